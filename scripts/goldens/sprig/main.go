// Command sprig-goldens renders template cases through Go's text/template with Sprig's hermetic
// function map registered under "sprig_" names (as Consul Template registers them) and writes
// what Go produced: the output, or the error text.
//
// Usage: sprig-goldens CASES OUT
//
// CASES is a text file with one case per line:
//
//	TEMPLATE                   the template text (no raw newlines; use "\n" in literals)
//	TEMPLATE @@ JSON           ... executed with the JSON as dot (decoded with UseNumber)
//	@@ct-output JSON-STRING    the output Consul Template gives for the previous case when
//	@@ct-error JSON-STRING     its Sprig/dependency versions differ from Debian's (see @@why)
//	@@why TEXT                 the reason for the @@ct-* line
//
// Blank lines and lines starting with "#" are ignored.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/Masterminds/sprig"
)

type golden struct {
	Template string `json:"template"`
	// The dot, as JSON text (kept as text so number literals such as 1.50 survive).
	Data   string  `json:"data,omitempty"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
	// Output or error text that is not valid UTF-8 (JSON cannot carry it): its bytes in base64.
	OutputBase64 *string `json:"outputBase64,omitempty"`
	ErrorBase64  *string `json:"errorBase64,omitempty"`
	CTOutput     *string `json:"ctOutput,omitempty"`
	CTError      *string `json:"ctError,omitempty"`
	Why          string  `json:"why,omitempty"`
}

func funcMap() template.FuncMap {
	out := template.FuncMap{}
	for name, fn := range sprig.HermeticTxtFuncMap() {
		out["sprig_"+name] = fn
	}
	return out
}

func render(text string, data string) (string, error) {
	// Consul Template: one template named "", missing keys render as zero values.
	t, err := template.New("").Option("missingkey=zero").Funcs(funcMap()).Parse(text)
	if err != nil {
		return "", err
	}
	var dot interface{}
	if len(data) > 0 {
		dec := json.NewDecoder(strings.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&dot); err != nil {
			return "", fmt.Errorf("bad case data %s: %v", data, err)
		}
	}
	var b strings.Builder
	if err := t.Execute(&b, dot); err != nil {
		return "", err
	}
	return b.String(), nil
}

func unquoteJSON(s string) string {
	var out string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		fmt.Fprintf(os.Stderr, "bad JSON string %s: %v\n", s, err)
		os.Exit(1)
	}
	return out
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sprig-goldens CASES OUT")
		os.Exit(2)
	}
	in, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer in.Close()
	var cases []*golden
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "@@") {
			last := cases[len(cases)-1]
			directive := strings.TrimPrefix(line, "@@")
			switch {
			case strings.HasPrefix(directive, "ct-output "):
				v := unquoteJSON(strings.TrimPrefix(directive, "ct-output "))
				last.CTOutput = &v
			case strings.HasPrefix(directive, "ct-error "):
				v := unquoteJSON(strings.TrimPrefix(directive, "ct-error "))
				last.CTError = &v
			case strings.HasPrefix(directive, "why "):
				last.Why = strings.TrimPrefix(directive, "why ")
			default:
				fmt.Fprintf(os.Stderr, "unknown directive %q\n", line)
				os.Exit(1)
			}
			continue
		}
		c := &golden{Template: line}
		if i := strings.Index(line, " @@ "); i >= 0 {
			c.Template = line[:i]
			c.Data = strings.TrimSpace(line[i+4:])
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, c := range cases {
		out, err := render(c.Template, c.Data)
		if err != nil {
			msg := err.Error()
			if utf8.ValidString(msg) {
				c.Error = &msg
			} else {
				b := base64.StdEncoding.EncodeToString([]byte(msg))
				c.ErrorBase64 = &b
			}
		} else if utf8.ValidString(out) {
			c.Output = &out
		} else {
			b := base64.StdEncoding.EncodeToString([]byte(out))
			c.OutputBase64 = &b
		}
	}
	f, err := os.Create(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d cases written to %s\n", len(cases), os.Args[2])
}

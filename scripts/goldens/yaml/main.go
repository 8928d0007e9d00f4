// Command yamlgoldens records what gopkg.in/yaml.v2 2.4.0 (the YAML library Consul Template uses
// for parseYAML and toYAML) does with the cases in cases.txt, so that vaultrun's own YAML code
// can be compared against it byte for byte by tests/template/funcs/yaml-goldens.test.ts.
//
// For each YAML case it writes:
//   - value: the decoded Go value as a typed dump (see dump), or err: yaml.Unmarshal's error;
//   - marshal: yaml.Marshal of the decoded value (untrimmed);
//   - tpl (hand-written cases only): the output (or error) of four templates run the way Consul Template runs them:
//     {{ parseYAML "<input>" }}, {{ printf "%T" (parseYAML "<input>") }},
//     {{ parseYAML "<input>" | toJSON }}, {{ parseYAML "<input>" | toYAML }}.
//
// JSON cases ("json" flag) are decoded like Vault responses (json.Number for numbers) and
// marshalled: that is what {{ .Data.data | toYAML }} prints.
//
// Build in GOPATH mode against Debian's packages: see gen.sh.
package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v2"
)

type result struct {
	Out     *string `json:"out,omitempty"`
	Err     *string `json:"err,omitempty"`
	BadUTF8 bool    `json:"badUtf8,omitempty"`
}

type goldenCase struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"` // "yaml", "json" or "typed"
	Input string `json:"input"`
	// Input was not valid UTF-8 (it is stored with U+FFFD replacements): its bytes are in InputHex.
	BadInput bool   `json:"badInput,omitempty"`
	InputHex string `json:"inputHex,omitempty"`
	Value    *string            `json:"value,omitempty"`
	Err      *string            `json:"err,omitempty"`
	Marshal  *result            `json:"marshal,omitempty"`
	Tpl      map[string]*result `json:"tpl,omitempty"`
	// Some decoded map has a key that is not a string.
	NonStringKeys bool `json:"nonStringKeys,omitempty"`
}

func str(s string) *string { return &s }

func res(out string, err error) *result {
	if err != nil {
		e := err.Error()
		return &result{Err: &e, BadUTF8: !utf8.ValidString(e)}
	}
	return &result{Out: &out, BadUTF8: !utf8.ValidString(out)}
}

// Consul Template's helpers, as template/funcs.go defines them.
var funcs = template.FuncMap{
	"parseYAML": func(s string) (interface{}, error) {
		if s == "" {
			return map[string]interface{}{}, nil
		}
		var data interface{}
		if err := yaml.Unmarshal([]byte(s), &data); err != nil {
			return nil, err
		}
		return data, nil
	},
	"toYAML": func(m interface{}) (string, error) {
		result, err := yaml.Marshal(m)
		if err != nil {
			return "", fmt.Errorf("toYAML: %w", err) // errors.Wrap: same text
		}
		return string(bytes.TrimSpace(result)), nil
	},
	"toJSON": func(i interface{}) (string, error) {
		result, err := json.Marshal(i)
		if err != nil {
			return "", fmt.Errorf("toJSON: %w", err)
		}
		return string(bytes.TrimSpace(result)), err
	},
}

func runTemplate(text string) *result {
	t, err := template.New("").Funcs(funcs).Parse(text)
	if err != nil {
		return res("", err)
	}
	var b bytes.Buffer
	err = t.Execute(&b, nil)
	return res(b.String(), err)
}

// dump renders a decoded value with its Go types, ASCII only; map entries sorted by key dump.
func dump(v interface{}, nonString *bool) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case bool:
		return "bool:" + strconv.FormatBool(x)
	case int:
		return "int:" + strconv.Itoa(x)
	case int64:
		return "int64:" + strconv.FormatInt(x, 10)
	case uint64:
		return "uint64:" + strconv.FormatUint(x, 10)
	case float64:
		return "float64:" + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "string:" + strconv.QuoteToASCII(x)
	case []interface{}:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = dump(e, nonString)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[interface{}]interface{}:
		parts := make([]string, 0, len(x))
		for k, e := range x {
			if _, ok := k.(string); !ok {
				*nonString = true
			}
			parts = append(parts, dump(k, nonString)+"="+dump(e, nonString))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprintf("?%T", v)
}

func marshal(v interface{}) (out *result) {
	defer func() {
		if r := recover(); r != nil {
			e := fmt.Sprint(r)
			out = &result{Err: &e}
		}
	}()
	b, err := yaml.Marshal(v)
	return res(string(b), err)
}

func yamlCase(name, input string, templates bool) *goldenCase {
	c := &goldenCase{Name: name, Kind: "yaml", Input: input, BadInput: !utf8.ValidString(input)}
	if c.BadInput {
		c.InputHex = hex.EncodeToString([]byte(input))
	}
	var v interface{}
	if err := yaml.Unmarshal([]byte(input), &v); err != nil {
		c.Err = str(err.Error())
	} else {
		c.Value = str(dump(v, &c.NonStringKeys))
		c.Marshal = marshal(v)
	}
	if !templates {
		return c
	}
	lit := strconv.Quote(input)
	c.Tpl = map[string]*result{
		"print": runTemplate("{{ parseYAML " + lit + " }}"),
		"type":  runTemplate("{{ printf \"%T\" (parseYAML " + lit + ") }}"),
		"json":  runTemplate("{{ parseYAML " + lit + " | toJSON }}"),
		"yaml":  runTemplate("{{ parseYAML " + lit + " | toYAML }}"),
	}
	return c
}

func jsonCase(name, input string) *goldenCase {
	c := &goldenCase{Name: name, Kind: "json", Input: input}
	dec := json.NewDecoder(strings.NewReader(input))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		fmt.Fprintf(os.Stderr, "case %s: bad JSON: %v\n", name, err)
		os.Exit(1)
	}
	c.Marshal = marshal(v)
	return c
}

// Values a template can hand to toYAML that neither YAML nor JSON produce; the test builds the
// same values by name.
func typedCases() []*goldenCase {
	type sec struct {
		RequestID     string
		LeaseDuration int
		Renewable     bool
		Data          map[string]interface{}
		Warnings      []string
		Auth          *struct{ Accessor string }
	}
	values := []struct {
		name string
		v    interface{}
	}{
		{"int64", int64(-5)},
		{"uint64-max", uint64(math.MaxUint64)},
		{"float32", float32(0.1)},
		{"float64-third", 1.0 / 3},
		{"float64-big", 1e21},
		{"float64-small", 1e-7},
		{"float64-negzero", math.Copysign(0, -1)},
		{"nan", math.NaN()},
		{"inf", math.Inf(-1)},
		{"nil", nil},
		{"nil-slice", []string(nil)},
		{"nil-map", map[string]string(nil)},
		{"nil-ptr", (*sec)(nil)},
		{"empty-slice", []interface{}{}},
		{"string-slice", []string{"a", "b"}},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 67000000, time.UTC)},
		{"time-zone", time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", -5*3600))},
		{"struct", sec{RequestID: "r", LeaseDuration: 30, Renewable: true, Data: map[string]interface{}{"k": "v"}}},
		{"complex", complex(1, 2)},
		{"chan", (<-chan int)(make(chan int))},
		{"bad-utf8", "\xff\xfe ok"},
		{"bad-utf8-long", strings.Repeat("\x80", 60)},
		{"map-bool-keys", map[interface{}]interface{}{true: 1, false: 0, "x": 2, nil: 3, 1.5: 4, 2: 5}},
	}
	var out []*goldenCase
	for _, tv := range values {
		out = append(out, &goldenCase{Name: tv.name, Kind: "typed", Marshal: marshal(tv.v)})
	}
	return out
}

var escape = regexp.MustCompile(`\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[ntr\\])`)

func unescape(s string) string {
	return escape.ReplaceAllStringFunc(s, func(m string) string {
		switch m[1] {
		case 'n':
			return "\n"
		case 't':
			return "\t"
		case 'r':
			return "\r"
		case '\\':
			return "\\"
		case 'x':
			b, _ := strconv.ParseUint(m[2:], 16, 8)
			return string([]byte{byte(b)})
		}
		r, _ := strconv.ParseUint(m[2:], 16, 32)
		return string(rune(r))
	})
}

// generated builds inputs too large or regular to write by hand.
func generated(spec string) string {
	f := strings.Fields(spec)
	n, _ := strconv.Atoi(f[1])
	switch f[0] {
	case "flowseq":
		return strings.Repeat("[", n) + strings.Repeat("]", n)
	case "flowmap":
		return strings.Repeat("{a: ", n) + "x" + strings.Repeat("}", n)
	case "blockseq":
		return strings.Repeat("- ", n) + "x"
	case "blockmap":
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(strings.Repeat(" ", i) + "k:\n")
		}
		b.WriteString(strings.Repeat(" ", n) + "v")
		return b.String()
	case "laughs":
		// The classic billion laughs, n levels of 9 aliases.
		var b strings.Builder
		b.WriteString("a0: &a0 [\"lol\"]\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "a%d: &a%d [", i, i)
			for j := 0; j < 9; j++ {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "*a%d", i-1)
			}
			b.WriteString("]\n")
		}
		return b.String()
	case "aliases":
		// Many uses of one small anchor: fine for yaml.v2 until aliases dominate.
		var b strings.Builder
		b.WriteString("base: &b {x: 1}\nitems:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "- {name: n%d, v: %d}\n- *b\n", i, i)
		}
		return b.String()
	case "longkey":
		return strings.Repeat("k", n) + ": v"
	case "bigdoc":
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "key%d:\n  name: \"item %d\"\n  list: [a, b, %d]\n  flag: yes\n", i, i, i)
		}
		return b.String()
	case "ctrl-late":
		// A control character beyond libyaml's first 512-byte read, after a syntax error.
		return "a: b: c\n" + strings.Repeat("x", n) + "\x01"
	case "ctrl-after-doc":
		return "a: 1\n---\n" + strings.Repeat("# pad\n", n) + "\x01"
	}
	fmt.Fprintf(os.Stderr, "unknown generator %q\n", spec)
	os.Exit(1)
	return ""
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: yamlgoldens cases.txt > goldens.json")
		os.Exit(2)
	}
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var cases []*goldenCase
	seen := map[string]bool{}
	// A case's body runs up to the line break before the next "=== " header; a blank last line
	// gives the input a trailing line break.
	blocks := strings.Split("\n"+strings.TrimSuffix(string(text), "\n"), "\n=== ")
	for _, blk := range blocks[1:] {
		header, body, _ := strings.Cut(blk, "\n")
		fields := strings.Fields(header)
		name, flags := fields[0], fields[1:]
		if seen[name] {
			fmt.Fprintf(os.Stderr, "duplicate case %s\n", name)
			os.Exit(1)
		}
		seen[name] = true
		kind := "yaml"
		templates := true
		for _, f := range flags {
			switch f {
			case "esc":
				body = unescape(body)
			case "json":
				kind = "json"
			case "gen":
				// Generated inputs are large: decode and marshal only, no template runs.
				body = generated(body)
				templates = false
			default:
				fmt.Fprintf(os.Stderr, "case %s: unknown flag %s\n", name, f)
				os.Exit(1)
			}
		}
		if kind == "json" {
			cases = append(cases, jsonCase(name, body))
		} else {
			cases = append(cases, yamlCase(name, body, templates))
		}
	}
	cases = append(cases, typedCases()...)
	out, err := json.MarshalIndent(map[string]interface{}{
		"note":  "Generated by scripts/goldens/yaml/gen.sh from cases.txt with gopkg.in/yaml.v2 2.4.0. Do not edit.",
		"cases": cases,
	}, "", " ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(append(out, '\n'))
}

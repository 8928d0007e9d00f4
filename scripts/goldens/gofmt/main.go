// Command gofmt-goldens renders template cases through Go's text/template and records the exact
// bytes Go produced (or the error text), for the byte-exactness tests of vaultrun's engine:
// printf verbs × flags × width/precision over every kind of value, len/index/slice of strings,
// quoting and unquoting, the html/js/urlquery escapers, Consul Template's string and encoding
// functions, and template sources holding bytes that are not UTF-8.
//
// Usage: gofmt-goldens OUT.json
//
// Data reaches templates through a `data` function (Consul Template executes with nil data); the
// TypeScript test builds the same values (tests/template/core/bytes-goldens.test.ts, keep them in
// step). Strings that are not valid UTF-8 are stored base64-encoded (fields ending in B64).
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"text/template"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

func data() map[string]interface{} {
	return map[string]interface{}{
		"s":       "hello",
		"u":       "héllo, 世界 😀",
		"bad":     "a\xffb\xc0\xafz",
		"sur":     "\xed\xa0\x80x",
		"trunc":   "ab\xe2\x82",
		"big":     "\xf4\x90\x80\x80!",
		"fffd":    "\uFFFD",
		"esc":     "a\x00b<>&'\"=\\",
		"ctl":     "\t\n\x7f\u200b\u00ad\u2028",
		"empty":   "",
		"sp":      " \t\u00a0x\xff \u3000",
		"i":       42,
		"neg":     -7,
		"zero":    0,
		"u8":      uint8(200),
		"r":       rune(0xe9),
		"i64":     int64(-1),
		"huge":    uint64(math.MaxUint64),
		"surr":    0xD800,
		"maxr":    0x10FFFF,
		"toobig":  0x110000,
		"f":       1.5,
		"fz":      0.0,
		"fneg":    -2.25,
		"ftiny":   5e-324,
		"fbig":    1e300,
		"third":   1.0 / 3,
		"f32":     float32(0.1),
		"nan":     math.NaN(),
		"inf":     math.Inf(1),
		"ninf":    math.Inf(-1),
		"fint":    100.0,
		"negz":    math.Copysign(0, -1),
		"c":       complex(1.5, -2),
		"t":       true,
		"fa":      false,
		"nil":     nil,
		"num":     json.Number("12.50"),
		"numbad":  json.Number("1\xff"),
		"m":       map[string]interface{}{"b": 1, "a": "x\xff", "\xffk": true},
		"jsonbad": "\"a\xffb\\u00e9\\udcff\\ud83d\\ude00\"",
		"jsonkey": "{\"k\xfe\": \"\xc0\"}",
		"keys":    map[string]interface{}{"\x80": 1, "é": 2, "\xff": 3, "\uFFFD": 4, "😀": 5, "\xf0": 6, "z": 7},
		"l":       []interface{}{1, "two\xfe", 3.5, nil},
		"ls":      []string{"x", "y\xff"},
		"bs":      []byte("a\xffb"),
		"nilbs":   []byte(nil),
	}
}

// Consul Template's string and encoding functions: each is the standard library call CT makes.
func funcMap() template.FuncMap {
	wrap := func(name string, err error) error { return fmt.Errorf("%s: %v", name, err) }
	return template.FuncMap{
		"data":    func() interface{} { return data() },
		"toUpper": func(s string) (string, error) { return strings.ToUpper(s), nil },
		"toLower": func(s string) (string, error) { return strings.ToLower(s), nil },
		"toTitle": func(s string) (string, error) {
			return cases.Title(language.Und, cases.NoLower).String(s), nil
		},
		"trimSpace":  func(s string) (string, error) { return strings.TrimSpace(s), nil },
		"trim":       func(cut, s string) (string, error) { return strings.Trim(s, cut), nil },
		"trimPrefix": func(p, s string) (string, error) { return strings.TrimPrefix(s, p), nil },
		"trimSuffix": func(p, s string) (string, error) { return strings.TrimSuffix(s, p), nil },
		"replaceAll": func(f, t, s string) (string, error) { return strings.ReplaceAll(s, f, t), nil },
		"join":       func(sep string, a []string) (string, error) { return strings.Join(a, sep), nil },
		"split": func(sep, s string) ([]string, error) {
			s = strings.TrimSpace(s)
			if s == "" {
				return []string{}, nil
			}
			return strings.Split(s, sep), nil
		},
		"base64Encode": func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil },
		"base64Decode": func(s string) (string, error) {
			v, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return "", wrap("base64Decode", err)
			}
			return string(v), nil
		},
		"toJSON": func(v interface{}) (string, error) {
			b, err := json.Marshal(v)
			if err != nil {
				return "", wrap("toJSON", err)
			}
			return string(bytes.TrimSpace(b)), nil
		},
		"parseJSON": func(s string) (interface{}, error) {
			var out interface{}
			if err := json.Unmarshal([]byte(s), &out); err != nil {
				return nil, err
			}
			return out, nil
		},
		"base64URLEncode": func(s string) (string, error) { return base64.URLEncoding.EncodeToString([]byte(s)), nil },
		"base64URLDecode": func(s string) (string, error) {
			v, err := base64.URLEncoding.DecodeString(s)
			if err != nil {
				return "", wrap("base64URLDecode", err)
			}
			return string(v), nil
		},
		"sha256Hex": func(s string) (string, error) {
			h := sha256.Sum256([]byte(s))
			return hex.EncodeToString(h[:]), nil
		},
		"md5sum": func(s string) (string, error) { return fmt.Sprintf("%x", md5.Sum([]byte(s))), nil },
		"hmacSHA256Hex": func(msg, key string) (string, error) {
			h := hmac.New(sha256.New, []byte(key))
			h.Write([]byte(msg))
			return hex.EncodeToString(h.Sum(nil)), nil
		},
	}
}

type golden struct {
	Name   string  `json:"name"`
	Tpl    string  `json:"tpl,omitempty"`
	TplB64 string  `json:"tplB64,omitempty"`
	Out    *string `json:"out,omitempty"`
	OutB64 *string `json:"outB64,omitempty"`
	Err    *string `json:"err,omitempty"`
	ErrB64 *string `json:"errB64,omitempty"`
}

func render(src string) (string, error) {
	// Consul Template: one template named "", missing keys render as zero values, nil data.
	t, err := template.New("").Option("missingkey=zero").Funcs(funcMap()).Parse(src)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, nil); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func put(text string, plain, b64 **string) {
	if utf8.ValidString(text) {
		*plain = &text
	} else {
		enc := base64.StdEncoding.EncodeToString([]byte(text))
		*b64 = &enc
	}
}

var out []golden

func add(name, src string) {
	g := golden{Name: name}
	if utf8.ValidString(src) {
		g.Tpl = src
	} else {
		g.TplB64 = base64.StdEncoding.EncodeToString([]byte(src))
	}
	res, err := render(src)
	if err != nil {
		put(err.Error(), &g.Err, &g.ErrB64)
	} else {
		put(res, &g.Out, &g.OutB64)
	}
	out = append(out, g)
}

var (
	stringKeys  = []string{"s", "u", "bad", "sur", "trunc", "big", "fffd", "esc", "ctl", "empty", "sp", "num", "numbad"}
	intKeys     = []string{"i", "neg", "zero", "u8", "r", "i64", "huge", "surr", "maxr", "toobig"}
	floatKeys   = []string{"f", "fz", "fneg", "ftiny", "fbig", "third", "f32", "nan", "inf", "ninf", "fint", "negz"}
	otherKeys   = []string{"c", "t", "fa", "nil", "m", "l", "ls", "bs", "nilbs"}
	allVerbs    = []string{"v", "s", "q", "x", "X", "d", "c", "U", "b", "o", "O", "e", "E", "f", "F", "g", "G", "t", "T"}
	numberVerbs = []string{"v", "d", "x", "X", "b", "o", "O", "e", "E", "f", "F", "g", "G"}
	// Flags, width and precision; zeroSpecs add the 0 flag (and 0 beside -), which pads every
	// kind of value with zeros on the left, strings and bools included, up to Go 1.26 at least.
	specs     = []string{"", "+", "-", "#", " ", "8", "-8", ".0", ".2", "8.3", "-10.4", "+.3", "#.3", "# ", "+#", " .1", "#8.1"}
	zeroSpecs = []string{"08", "+08", "08.3", " 012", "#010", "+#012.2", "020.10", "-08", "0-8"}
)

func printfCase(key string, verbs []string, spec string) {
	var f, args []string
	for _, v := range verbs {
		f = append(f, "%"+spec+v)
		args = append(args, "."+key)
	}
	add(fmt.Sprintf("printf %%%s %s", spec, key), fmt.Sprintf("{{with data}}{{printf %q %s}}{{end}}", strings.Join(f, "|"), strings.Join(args, " ")))
}

func main() {
	keys := append(append(append(append([]string{}, stringKeys...), intKeys...), floatKeys...), otherKeys...)
	for _, k := range keys {
		for _, spec := range specs {
			printfCase(k, allVerbs, spec)
		}
	}
	for _, k := range append(append([]string{}, intKeys...), floatKeys...) {
		for _, spec := range zeroSpecs {
			printfCase(k, numberVerbs, spec)
		}
	}
	for _, k := range append(append([]string{}, stringKeys...), otherKeys...) {
		for _, spec := range zeroSpecs {
			printfCase(k, allVerbs, spec)
		}
	}
	// Precision rounding of hex floats, and %b/%x of special values and float32.
	for _, lit := range []string{"1.0", "1.5", "0.1", "1.96875", "2.5", "0.999999999", "1e-320", "123456.789", "-0.0"} {
		for _, f := range []string{"%x", "%X", "%.0x", "%.1x", "%.3X", "%.14x", "%.20x", "%#.0x", "%#x", "%#X", "%#.3x", "%b", "%+b", "%12.2x", "%-12.1X|", "%+012.1x"} {
			add("float "+f+" "+lit, fmt.Sprintf("{{printf %q %s}}", f, lit))
		}
	}

	// len, index and slice of strings count and cut bytes.
	for _, k := range append(append([]string{}, stringKeys...), "bs", "nilbs") {
		add("len "+k, "{{with data}}{{len ."+k+"}}{{end}}")
		for _, i := range []string{"0", "1", "2", "3", "100"} {
			add("index "+k+" "+i, "{{with data}}{{index ."+k+" "+i+"}}{{end}}")
		}
		for _, r := range []string{"1", "1 3", "0 2", "2 4", "3 1", "0 100", "1 2 3"} {
			add("slice "+k+" "+r, "{{with data}}{{slice ."+k+" "+r+"}}{{end}}")
			add("slice %q "+k+" "+r, "{{with data}}{{slice ."+k+" "+r+" | printf \"%q|%x|%v\" }}{{end}}")
		}
		for _, fn := range []string{"html", "js", "urlquery", "print", "println"} {
			add(fn+" "+k, "{{with data}}{{"+fn+" ."+k+"}}{{end}}")
		}
		add("html2 "+k, "{{with data}}{{html ."+k+" .i .nil}}{{end}}")
	}
	// Bytes cut apart compare, index and print as the bytes they are.
	for _, src := range []string{
		`{{with data}}{{eq .u (printf "%s%s" (slice .u 0 2) (slice .u 2))}}{{end}}`,
		`{{with data}}{{eq (slice .u 1 2) (slice .u 1 2)}}{{end}}`,
		`{{with data}}{{len (printf "%s%s" (slice .u 1 2) (slice .u 2 3))}}{{end}}`,
		`{{with data}}{{printf "%q" (printf "%s%s" (slice .u 1 2) (slice .u 2 3))}}{{end}}`,
		`{{with data}}{{printf "%5.3s|" (printf "%s%s" (slice .u 1 2) (slice .u 2))}}{{end}}`,
		`{{with data}}{{lt .bad .u}} {{lt .u .bad}} {{lt (slice .bad 1 2) "\uFFFD"}} {{lt (slice .u 1 2) "é"}} {{gt .sur .u}}{{end}}`,
		`{{with data}}{{index .m "\xffk"}} {{index .m (slice .bad 1 2 | printf "%sk")}}{{end}}`,
		`{{with data}}{{.m}} {{printf "%q %x %v" .m .m .l}} {{printf "%#v" .ls}}{{end}}`,
		"{{with data}}{{.keys}} {{range $k, $v := .keys}}{{$k | printf \"%q\"}}{{end}} {{lt \"\\x80\" \"é\"}} {{lt \"\\xff\" \"\\uFFFD\"}} {{lt \"😀\" \"\\xf0\"}}{{end}}",
		`{{with data}}{{range $k, $v := .m}}{{printf "%q=%v;" $k $v}}{{end}}{{end}}`,
		`{{with data}}{{range .bs}}{{.}},{{end}} {{printf "%T %T" (index .bs 0) (slice .bs 1)}}{{end}}`,
		`{{with data}}{{printf "%s|%v|%d|%x|% X|%q|%#v|%5.1s|" .bs .bs .bs .bs .bs .bs .bs .bs}}{{end}}`,
		`{{with data}}{{printf "%s|%v|%x|%#v|%q" .nilbs .nilbs .nilbs .nilbs .nilbs}}{{end}}`,
		`{{with data}}{{printf "%v %s" .l .ls}} {{printf "%x" .l}} {{printf "%q" .l}}{{end}}`,
		`{{with data}}{{printf "%c%c%c%c" 0xe9 .surr .toobig -1}} {{printf "%q %+q %#q" .surr 0x1F600 0x1F600}} {{printf "%U %#U %#.6U %#U" .maxr 0x1F600 0xe9 .toobig}}{{end}}`,
		`{{printf "%d %s" "\xff" 3}} {{printf "%!" }} {{printf "%[2]x %[1]q" "\xff\xfe" "é"}}`,
		`{{printf "%.2q|%.1x|%.3s|%-6q|%6.2q" "\xffé\xfe" "\xffé" "\xffé\xfe!" "é\xff" "\xffab"}}`,
		`{{printf "%#q|%#q|%#q|%#+q" "\xff" "é" "a` + "`" + `b" "é"}}`,
		`{{printf "% x|%# x|%#X|% X" "\xff\x00é" "\xff\x00é" "\xff\x00é" ""}}`,
		`{{printf "%\xff" 1}}|{{printf "%\xff"}}|{{printf "%\xc3\xa9|%-\xe2" 1 2}}|{{printf "%5\xff|" "x"}}`,
	} {
		add("bytes "+src, src)
	}

	// String literals: escapes make bytes; raw strings keep backslashes.
	for _, lit := range []string{
		`"\xff"`, `"\377"`, `"\xe2\x82\xac"`, `"\xe2\x82"`, `"\u00e9"`, `"\U0001F600"`, `"a\x00b"`,
		`"\ud800"`, `"\U00110000"`, `"\x"`, `"\xg0"`, `"\400"`, `"\8"`, `"\'"`, "`raw\\xff`", "`a\r\nb`",
		`'\xff'`, `'\377'`, `'é'`, `'\u00e9'`, `'\''`, `'ab'`, `'\ud800'`,
	} {
		add("literal "+lit, "{{"+lit+"}}|{{printf \"%q %x\" "+lit+"}}|{{len "+lit+" }}")
	}

	// Template sources with bytes that are not UTF-8.
	for _, src := range []string{
		"a\xffb{{1}}c\xfe\xed\xa0\x80",
		"\xef\xbb\xbfbom{{\"x\"}}",
		"{{\"a\xffb\"}}|{{printf \"%q\" \"a\xffb\"}}|{{len \"a\xffb\"}}",
		"{{\"a\xffb\\x41\"}}|{{len \"\xc0\xaf\\n\"}}",
		"{{`a\xffb`}}|{{printf \"%q\" `a\xffb`}}|{{len `\xff`}}",
		"{{\xff}}",
		"{{1 \xff}}",
		"{{ \xed\xa0\x80 }}",
		"{{.a\xff}}",
		"{{$x\xff := 1}}",
		"{{/* \xff */}}ok",
		"{{'\xff'}}",
		"{{'\xc3\xa9'}}|{{'\xc3'}}",
		"{{define \"a\xff\"}}in{{end}}{{template \"a\xff\"}}",
		"{{template \"b\xff\"}}",
		"{{printf \"%s\xff%d\" \"x\" 1}}",
		"{{if 1}}\xff{{else}}\xfe{{end}}{{range $i, $c := \"a\xffb\"}}{{$i}}{{end}}",
		"{{html \"\xff<\"}}{{js \"\xff'\xc3\xa9\u2028\"}}{{urlquery \"\xff \xc3\xa9\"}}",
		"{{nofunc \"\xff\"}}",
		"x\xff{{",
		"{{\"unterminated\xff}}",
		"{{\"\xff\" | printf \"%v|%10q|%-4x|\"}}",
	} {
		add("source "+src, src)
	}

	// Consul Template's string and encoding functions.
	strFuncs := []string{"toUpper", "toLower", "toTitle", "trimSpace", "base64Encode", "base64URLEncode", "sha256Hex", "md5sum"}
	for _, k := range stringKeys[:11] {
		for _, fn := range strFuncs {
			add(fn+" "+k, "{{with data}}{{"+fn+" ."+k+" | printf \"%q\"}}{{end}}")
		}
		add("roundtrip "+k, fmt.Sprintf("{{with data}}{{eq (.%s | base64Encode | base64Decode) .%s}} {{.%s | base64URLEncode | base64URLDecode}}{{end}}", k, k, k))
		add("hmac "+k, "{{with data}}{{hmacSHA256Hex .s ."+k+"}} {{hmacSHA256Hex ."+k+" .bad}}{{end}}")
		for _, cut := range []string{`"a"`, `"az"`, `"\xff"`, `"\uFFFD"`, `"\xc0"`, `" x\xff"`, `"é"`} {
			add("trim "+cut+" "+k, "{{with data}}{{trim "+cut+" ."+k+" | printf \"%q\"}}{{end}}")
		}
		for _, sep := range []string{`","`, `"\xff"`, `"\x80"`, `"\xa9"`, `"l"`} {
			add("split "+sep+" "+k, "{{with data}}{{split "+sep+" ."+k+" | printf \"%q\"}}{{end}}")
			add("replaceAll "+sep+" "+k, "{{with data}}{{replaceAll "+sep+" \"_\" ."+k+" | printf \"%q\"}}{{end}}")
			add("trimPrefix "+sep+" "+k, "{{with data}}{{trimPrefix "+sep+" ."+k+" | printf \"%q\"}} {{trimSuffix "+sep+" ."+k+" | printf \"%q\"}}{{end}}")
		}
		add("replaceAll empty "+k, "{{with data}}{{replaceAll \"\" \"_\" ."+k+" | printf \"%q\"}}{{end}}")
	}
	for _, src := range []string{
		`{{with data}}{{toJSON .bad}} {{toJSON .m}} {{toJSON .ls}} {{toJSON (printf "%s%s" (slice .u 1 2) (slice .u 2))}} {{toJSON .ctl}}{{end}}`,
		`{{with data}}{{parseJSON .jsonbad | printf "%q"}} {{parseJSON .jsonkey | printf "%q"}}{{end}}`,
		`{{base64Decode "/+7dzA==" | printf "%q %x"}}`,
		`{{base64Decode "/+7dzA==" | len}} {{base64Decode "wK8=" | printf "%q"}} {{base64URLDecode "_-7d" | printf "%x"}}`,
		`{{base64Decode "/+7dzA="}}`,
		"{{base64Decode \"/+7d\xffzA==\"}}",
		`{{split "" "ab€" | printf "%q"}} {{join "\xff" (split "," "a,b")}}`,
		`{{"é\u0301 ǆ ß İ ﬁ" | toUpper}} {{"É ǅ İ Σ" | toLower}} {{"ǆemal dž \xffwörld a\xffb" | toTitle}}`,
		`{{toTitle "123abc def_ghi _abc a1b c 'hello' world don't stop 1.5x ab-cd éa x.y z 12ab34cd αβγ δ 日本語 abc _x_y 3d --a"}}`,
	} {
		add("funcs "+src, src)
	}

	enc := json.NewEncoder(os.Stdout)
	if len(os.Args) > 1 {
		f, err := os.Create(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		enc = json.NewEncoder(f)
	}
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(map[string]interface{}{"goVersion": runtime.Version(), "cases": out}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

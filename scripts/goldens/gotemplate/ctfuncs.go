package main

// Consul Template's pure template helpers, registered under CT's names with CT's argument order,
// each a thin call to the Go standard library call (or the library) CT makes. Written from
// reading hashicorp/consul-template v0.42.1 (commit 1deacb7d, template/funcs.go, scratch.go,
// dependency/vault_common.go, vault_read.go, vault_write.go) and docs/templating-language.md.
//
// Left out: everything that talks to Consul, Nomad or Vault other than `secret` (served from a
// fixed store below), env/file/timestamp (the machine and the clock), plugin/writeToFile/
// sockaddr/spew_* (processes, files, network, debug dumps), mergeMap* (dario.cat/mergo is not
// installed here), and the sprig_* functions.
//
// Library versions (make-goldens.sh): gopkg.in/yaml.v2 2.4.0 as CT; BurntSushi/toml 1.3.2 (CT:
// 1.5.0; both encode every golden case alike, bookworm's 1.2.0 does not); golang.org/x/text 0.7.0
// (CT: 0.38.0; every toTitle golden case comes out alike).

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v2"

	ctscratch "./ctscratch"
	"./dependency"
)

const ctVersion = "consul-template v0.42.1 (1deacb7dc074de5c7bb9cc35bab825ba1dc41103)"

// wrapErr is github.com/pkg/errors.Wrap's message: "prefix: cause".
func wrapErr(prefix string, err error) error {
	return fmt.Errorf("%s: %w", prefix, err)
}

func ctFuncMap(tmpl *template.Template, store *secretStore) template.FuncMap {
	scratch := &ctscratch.Scratch{}
	return template.FuncMap{
		"secret":          store.secret,
		"executeTemplate": executeTemplateFunc(tmpl),
		"scratch":         func() *ctscratch.Scratch { return scratch },

		"base64Decode": func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return "", wrapErr("base64Decode", err)
			}
			return string(b), nil
		},
		"base64Encode": func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil },
		"base64URLDecode": func(s string) (string, error) {
			b, err := base64.URLEncoding.DecodeString(s)
			if err != nil {
				return "", wrapErr("base64URLDecode", err)
			}
			return string(b), nil
		},
		"base64URLEncode": func(s string) (string, error) { return base64.URLEncoding.EncodeToString([]byte(s)), nil },

		"contains":       func(v, l interface{}) (bool, error) { return in(l, v) },
		"containsAll":    containsSome(true, true),
		"containsAny":    containsSome(false, false),
		"containsNone":   containsSome(true, false),
		"containsNotAll": containsSome(false, true),
		"in":             in,
		"explodeMap":     explodeMap,
		"indent":         indent,
		"loop":           loop,

		"join":       func(sep string, a []string) (string, error) { return strings.Join(a, sep), nil },
		"trim":       func(cutset, s string) (string, error) { return strings.Trim(s, cutset), nil },
		"trimPrefix": func(prefix, s string) (string, error) { return strings.TrimPrefix(s, prefix), nil },
		"trimSuffix": func(suffix, s string) (string, error) { return strings.TrimSuffix(s, suffix), nil },
		"trimSpace":  func(s string) (string, error) { return strings.TrimSpace(s), nil },
		"toLower":    func(s string) (string, error) { return strings.ToLower(s), nil },
		"toUpper":    func(s string) (string, error) { return strings.ToUpper(s), nil },
		"toTitle": func(s string) (string, error) {
			return cases.Title(language.Und, cases.NoLower).String(s), nil
		},
		"replaceAll": func(f, t, s string) (string, error) { return strings.ReplaceAll(s, f, t), nil },
		"regexReplaceAll": func(re, pl, s string) (string, error) {
			c, err := regexp.Compile(re)
			if err != nil {
				return "", err
			}
			return c.ReplaceAllString(s, pl), nil
		},
		"regexMatch": func(re, s string) (bool, error) {
			c, err := regexp.Compile(re)
			if err != nil {
				return false, err
			}
			return c.MatchString(s), nil
		},
		"split":      split,
		"splitToMap": splitToMap,

		"parseBool": func(s string) (bool, error) {
			if s == "" {
				return false, nil
			}
			v, err := strconv.ParseBool(s)
			if err != nil {
				return false, wrapErr("parseBool", err)
			}
			return v, nil
		},
		"parseFloat": func(s string) (float64, error) {
			if s == "" {
				return 0, nil
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return 0, wrapErr("parseFloat", err)
			}
			return v, nil
		},
		"parseInt": func(s string) (int64, error) {
			if s == "" {
				return 0, nil
			}
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return 0, wrapErr("parseInt", err)
			}
			return v, nil
		},
		"parseUint": func(s string) (uint64, error) {
			if s == "" {
				return 0, nil
			}
			v, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return 0, wrapErr("parseUint", err)
			}
			return v, nil
		},
		"parseJSON": func(s string) (interface{}, error) {
			if s == "" {
				return map[string]interface{}{}, nil
			}
			var v interface{}
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				return nil, err
			}
			return v, nil
		},
		"parseYAML": func(s string) (interface{}, error) {
			if s == "" {
				return map[string]interface{}{}, nil
			}
			var v interface{}
			if err := yaml.Unmarshal([]byte(s), &v); err != nil {
				return nil, err
			}
			return v, nil
		},

		"sha256Hex": func(s string) (string, error) {
			sum := sha256.Sum256([]byte(s))
			return hex.EncodeToString(sum[:]), nil
		},
		"md5sum": func(s string) (string, error) { return fmt.Sprintf("%x", md5.Sum([]byte(s))), nil },
		"hmacSHA256Hex": func(message, key string) (string, error) {
			h := hmac.New(sha256.New, []byte(key))
			h.Write([]byte(message))
			return hex.EncodeToString(h.Sum(nil)), nil
		},

		"toJSON": func(v interface{}) (string, error) {
			b, err := json.Marshal(v)
			if err != nil {
				return "", wrapErr("toJSON", err)
			}
			return string(bytes.TrimSpace(b)), nil
		},
		"toJSONPretty": func(v interface{}) (string, error) {
			b, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				return "", wrapErr("toJSONPretty", err)
			}
			return string(bytes.TrimSpace(b)), nil
		},
		"toUnescapedJSON":       func(v interface{}) (string, error) { return unescapedJSON("toUnescapedJSON", v, false) },
		"toUnescapedJSONPretty": func(v interface{}) (string, error) { return unescapedJSON("toUnescapedJSONPretty", v, true) },
		"toYAML": func(v interface{}) (string, error) {
			b, err := yaml.Marshal(v)
			if err != nil {
				return "", wrapErr("toYAML", err)
			}
			return string(bytes.TrimSpace(b)), nil
		},
		"toTOML": func(v interface{}) (string, error) {
			var buf bytes.Buffer
			if err := toml.NewEncoder(&buf).Encode(v); err != nil {
				return "", wrapErr("toTOML", err)
			}
			return string(bytes.TrimSpace(buf.Bytes())), nil
		},

		"add":      arith("add"),
		"subtract": arith("subtract"),
		"multiply": arith("multiply"),
		"divide":   arith("divide"),
		"modulo":   arith("modulo"),
		"minimum":  pick("minimum"),
		"maximum":  pick("maximum"),
	}
}

func unescapedJSON(name string, v interface{}, pretty bool) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if pretty {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return "", wrapErr(name, err)
	}
	return strings.TrimRight(buf.String(), "\r\n"), nil
}

// executeTemplate runs a template defined in the same text, with nil or the given dot.
func executeTemplateFunc(t *template.Template) func(string, ...interface{}) (string, error) {
	return func(name string, data ...interface{}) (string, error) {
		if len(data) > 1 {
			return "", fmt.Errorf("executeTemplate: wrong number of arguments, expected 1 or 2, but got %d", len(data)+1)
		}
		var dot interface{}
		if len(data) == 1 {
			dot = data[0]
		}
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, name, dot); err != nil {
			return "", err
		}
		return b.String(), nil
	}
}

// split trims the string first and gives an empty slice for an empty result (not [""]).
func split(sep, s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return []string{}, nil
	}
	return strings.Split(s, sep), nil
}

func splitToMap(sep1, sep2, s string) (map[string]string, error) {
	m := map[string]string{}
	s = strings.TrimSpace(s)
	if s == "" {
		return m, nil
	}
	for _, item := range strings.Split(s, sep1) {
		if k, v, found := strings.Cut(item, sep2); found {
			m[k] = v
		}
	}
	return m, nil
}

// indent puts `spaces` spaces before every line that is not empty.
func indent(spaces int, s string) (string, error) {
	if spaces < 0 {
		return "", fmt.Errorf("indent value must be a positive integer")
	}
	pad := strings.Repeat(" ", spaces)
	var out strings.Builder
	atLineStart := true
	for i := 0; i < len(s); i++ {
		if atLineStart && s[i] != '\n' {
			out.WriteString(pad)
		}
		out.WriteByte(s[i])
		atLineStart = s[i] == '\n'
	}
	return out.String(), nil
}

// loop yields start..stop-1 on a channel; its bounds may be ints, uints or decimal strings.
func loop(args ...interface{}) (<-chan int64, error) {
	bound := func(x interface{}) (int64, error) {
		v := reflect.ValueOf(x)
		switch {
		case isIntKind(v.Kind()):
			return v.Int(), nil
		case isUintKind(v.Kind()):
			return int64(v.Uint()), nil
		case v.Kind() == reflect.String:
			if v.String() == "" {
				return 0, nil
			}
			n, err := strconv.ParseInt(v.String(), 10, 64)
			if err != nil {
				return 0, wrapErr("parseInt", err)
			}
			return n, nil
		}
		return 0, fmt.Errorf("loop: bad argument type: %T", x)
	}
	var lo, hi interface{}
	switch len(args) {
	case 1:
		lo, hi = 0, args[0]
	case 2:
		lo, hi = args[0], args[1]
	default:
		return nil, fmt.Errorf("loop: wrong number of arguments, expected 1 or 2, but got %d", len(args))
	}
	start, err := bound(lo)
	if err != nil {
		return nil, err
	}
	stop, err := bound(hi)
	if err != nil {
		return nil, err
	}
	ch := make(chan int64)
	go func() {
		for i := start; i < stop; i++ {
			ch <- i
		}
		close(ch)
	}()
	return ch, nil
}

func isIntKind(k reflect.Kind) bool {
	return k == reflect.Int || k == reflect.Int8 || k == reflect.Int16 || k == reflect.Int32 || k == reflect.Int64
}

func isUintKind(k reflect.Kind) bool {
	return k == reflect.Uint || k == reflect.Uint8 || k == reflect.Uint16 || k == reflect.Uint32 || k == reflect.Uint64
}

func isFloatKind(k reflect.Kind) bool { return k == reflect.Float32 || k == reflect.Float64 }

// in reports whether v is an element of the slice l (ints match ints, floats match floats,
// strings match strings of the same type; nothing else ever matches) or a substring of the
// string l (same string type only).
func in(l, v interface{}) (bool, error) {
	lv, vv := reflect.ValueOf(l), reflect.ValueOf(v)
	switch lv.Kind() {
	case reflect.Slice, reflect.Array:
		elems, _ := l.([]interface{})
		for i := 0; i < lv.Len(); i++ {
			e := lv.Index(i)
			if elems != nil {
				// Look through the interface to the element's dynamic type.
				e = reflect.ValueOf(elems[i])
			}
			switch {
			case isIntKind(e.Kind()):
				if isIntKind(vv.Kind()) && vv.Int() == e.Int() {
					return true, nil
				}
			case isFloatKind(e.Kind()):
				if isFloatKind(vv.Kind()) && vv.Float() == e.Float() {
					return true, nil
				}
			case e.Kind() == reflect.String:
				// CT compares types first; a nil needle panics here as it does in CT.
				if vv.Type() == e.Type() && vv.String() == e.String() {
					return true, nil
				}
			}
		}
	case reflect.String:
		if vv.Type() == lv.Type() && strings.Contains(lv.String(), vv.String()) {
			return true, nil
		}
	}
	return false, nil
}

// containsSome builds containsAll/Any/None/NotAll: it stops at the first needle whose presence
// differs from `invert` and answers !retTrue, else retTrue. in()'s panics surface as CT's do.
func containsSome(retTrue, invert bool) func([]interface{}, interface{}) (bool, error) {
	return func(needles []interface{}, l interface{}) (bool, error) {
		for _, n := range needles {
			if found, _ := in(l, n); found != invert {
				return !retTrue, nil
			}
		}
		return retTrue, nil
	}
}

// explodeMap turns "a/b/c" keys into nested maps, visiting keys in sorted order.
func explodeMap(src map[string]interface{}) (map[string]interface{}, error) {
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]interface{}{}
	for _, k := range keys {
		if err := explodeInto(out, k, src[k], k); err != nil {
			return nil, wrapErr("explodeMap", err)
		}
	}
	return out, nil
}

func explodeInto(m map[string]interface{}, key string, v interface{}, whole string) error {
	if !strings.Contains(key, "/") {
		if key != "" {
			m[key] = v
		}
		return nil
	}
	parts := strings.Split(key, "/")
	head, rest := parts[0], strings.Join(parts[1:], "/")
	if _, ok := m[head]; !ok {
		m[head] = map[string]interface{}{}
	}
	sub, ok := m[head].(map[string]interface{})
	if !ok {
		return fmt.Errorf("not a map: %q: %q already has value %q", whole, head, m[head])
	}
	return explodeInto(sub, rest, v, key)
}

type numClass int

const (
	numOther numClass = iota
	numInt
	numUint
	numFloat
)

func classify(v reflect.Value) numClass {
	switch k := v.Kind(); {
	case isIntKind(k):
		return numInt
	case isUintKind(k):
		return numUint
	case isFloatKind(k):
		return numFloat
	}
	return numOther
}

func asFloat(v reflect.Value, c numClass) float64 {
	switch c {
	case numInt:
		return float64(v.Int())
	case numUint:
		return float64(v.Uint())
	}
	return v.Float()
}

func asInt64(v reflect.Value, c numClass) int64 {
	if c == numUint {
		return int64(v.Uint())
	}
	return v.Int()
}

// arith is CT's add/subtract/multiply/divide/modulo: func(b, a) computing `a OP b`, so the
// piped value is the left operand. int64 for ints (uint mixed in converts to int64), uint64
// for two uints, float64 once a float is involved; modulo refuses floats. The second
// parameter's type is checked first; an unusable operand is named with %q of its
// reflect.Value and %T. Integer division by zero panics, which text/template reports.
func arith(name string) func(b, a interface{}) (interface{}, error) {
	return func(b, a interface{}) (interface{}, error) {
		av, bv := reflect.ValueOf(a), reflect.ValueOf(b)
		ac, bc := classify(av), classify(bv)
		if ac == numOther || (name == "modulo" && ac == numFloat) {
			return nil, fmt.Errorf("%s: unknown type for %q (%T)", name, av, a)
		}
		if bc == numOther || (name == "modulo" && bc == numFloat) {
			return nil, fmt.Errorf("%s: unknown type for %q (%T)", name, bv, b)
		}
		if ac == numFloat || bc == numFloat {
			x, y := asFloat(av, ac), asFloat(bv, bc)
			switch name {
			case "add":
				return x + y, nil
			case "subtract":
				return x - y, nil
			case "multiply":
				return x * y, nil
			}
			return x / y, nil
		}
		if ac == numUint && bc == numUint {
			x, y := av.Uint(), bv.Uint()
			switch name {
			case "add":
				return x + y, nil
			case "subtract":
				return x - y, nil
			case "multiply":
				return x * y, nil
			case "divide":
				return x / y, nil
			}
			return x % y, nil
		}
		x, y := asInt64(av, ac), asInt64(bv, bc)
		switch name {
		case "add":
			return x + y, nil
		case "subtract":
			return x - y, nil
		case "multiply":
			return x * y, nil
		case "divide":
			return x / y, nil
		}
		return x % y, nil
	}
}

// widen is the operand as CT returns it from minimum/maximum: int64, uint64 or float64.
func widen(v reflect.Value, c numClass) interface{} {
	switch c {
	case numInt:
		return v.Int()
	case numUint:
		return v.Uint()
	}
	return v.Float()
}

// pick is CT's minimum/maximum: compares `a` (second parameter) with `b` — as floats when
// either is a float, as int64 when ints and uints mix — and returns the winner widened; on a
// tie it returns b.
func pick(name string) func(b, a interface{}) (interface{}, error) {
	return func(b, a interface{}) (interface{}, error) {
		av, bv := reflect.ValueOf(a), reflect.ValueOf(b)
		ac, bc := classify(av), classify(bv)
		if ac == numOther {
			return nil, fmt.Errorf("%s: unknown type for %q (%T)", name, av, a)
		}
		if bc == numOther {
			return nil, fmt.Errorf("%s: unknown type for %q (%T)", name, bv, b)
		}
		var aWins bool
		switch {
		case ac == numFloat || bc == numFloat:
			x, y := asFloat(av, ac), asFloat(bv, bc)
			aWins = (name == "minimum" && x < y) || (name == "maximum" && x > y)
		case ac == numUint && bc == numUint:
			x, y := av.Uint(), bv.Uint()
			aWins = (name == "minimum" && x < y) || (name == "maximum" && x > y)
		default:
			x, y := asInt64(av, ac), asInt64(bv, bc)
			aWins = (name == "minimum" && x < y) || (name == "maximum" && x > y)
		}
		if aWins {
			return widen(av, ac), nil
		}
		return widen(bv, bc), nil
	}
}

// vaultResponse is the part of Vault's JSON response (api.Secret) CT copies into a Secret.
type vaultResponse struct {
	RequestID     string                 `json:"request_id"`
	LeaseID       string                 `json:"lease_id"`
	LeaseDuration int                    `json:"lease_duration"`
	Renewable     bool                   `json:"renewable"`
	Data          map[string]interface{} `json:"data"`
	Warnings      []string               `json:"warnings"`
	Auth          *struct {
		ClientToken   string            `json:"client_token"`
		Accessor      string            `json:"accessor"`
		Policies      []string          `json:"policies"`
		Metadata      map[string]string `json:"metadata"`
		LeaseDuration int               `json:"lease_duration"`
		Renewable     bool              `json:"renewable"`
	} `json:"auth"`
	WrapInfo *struct {
		Token           string    `json:"token"`
		TTL             int       `json:"ttl"`
		CreationTime    time.Time `json:"creation_time"`
		WrappedAccessor string    `json:"wrapped_accessor"`
	} `json:"wrap_info"`
}

// toSecret copies a response the way CT's updateSecret fills a fresh Secret: only non-empty
// values are taken, so empty data, warnings, policies and metadata stay nil.
func toSecret(r *vaultResponse) *dependency.Secret {
	s := &dependency.Secret{RequestID: r.RequestID, LeaseID: r.LeaseID, LeaseDuration: r.LeaseDuration, Renewable: r.Renewable}
	if len(r.Data) != 0 {
		s.Data = r.Data
	}
	if len(r.Warnings) != 0 {
		s.Warnings = r.Warnings
	}
	if a := r.Auth; a != nil {
		s.Auth = &dependency.SecretAuth{ClientToken: a.ClientToken, Accessor: a.Accessor, LeaseDuration: a.LeaseDuration, Renewable: a.Renewable}
		if len(a.Policies) != 0 {
			s.Auth.Policies = a.Policies
		}
		if len(a.Metadata) != 0 {
			s.Auth.Metadata = a.Metadata
		}
	}
	if w := r.WrapInfo; w != nil {
		s.WrapInfo = &dependency.SecretWrapInfo{Token: w.Token, TTL: w.TTL, CreationTime: w.CreationTime, WrappedAccessor: w.WrappedAccessor}
	}
	return s
}

type secretStore struct {
	byPath map[string]string
}

func newSecretStore(raw map[string]string) (*secretStore, error) {
	for path, text := range raw {
		if _, err := decodeResponse(text); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return &secretStore{byPath: raw}, nil
}

func decodeResponse(text string) (*vaultResponse, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var r vaultResponse
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// secret is CT's `secret` once the data is fetched: a read (path only) of a stored path gives a
// fresh *Secret; anything else (unknown path, a write with k=v args) gives nil, which is what
// CT's first pass sees.
func (st *secretStore) secret(s ...string) (interface{}, error) {
	if len(s) == 0 {
		return nil, nil
	}
	path, rest := s[0], s[1:]
	for _, kv := range rest {
		if kv != "" && !strings.Contains(kv, "=") {
			return nil, fmt.Errorf("not k=v pair %q", kv)
		}
	}
	clean := strings.Trim(strings.TrimSpace(path), "/")
	if clean == "" {
		op := "read"
		if len(rest) > 0 {
			op = "write"
		}
		return nil, fmt.Errorf("vault.%s: invalid format: %q", op, clean)
	}
	if len(rest) > 0 {
		return nil, nil
	}
	u, err := url.Parse(clean)
	if err != nil {
		return nil, err
	}
	text, ok := st.byPath[u.Path]
	if !ok {
		return nil, nil
	}
	r, _ := decodeResponse(text)
	return toSecret(r), nil
}

package main

// Consul Template v0.42.1 is built with Go 1.26; the newest Go available here is older (1.23,
// or 1.19). Between them text/template changed in ways the goldens would otherwise record
// wrongly (the changes were read from a copy of Go 1.26's text/template, diffed against 1.23).
// The ones this harness can reproduce are reproduced; the others are left out of the goldens.
//
// Reproduced:
//   - Go 1.26: eq/ne/lt/le/gt/ge name both types in "incompatible types for comparison: T1 and
//     T2" (the types after looking through interfaces). The comparison itself is unchanged, so
//     the wrappers below let the running Go's own builtin decide and only reword that error.
//
// Left out (skipBeforeRun, skipResult):
//   - Go 1.23: {{else with}}; Go 1.24: range over an integer.
//   - Go 1.24 counts the newlines inside a {{/* */}} comment when numbering parse-error lines;
//     1.23 does not, so parse errors of templates with a multi-line comment are left out.
//   - Go 1.26 `slice` looks through a pointer first ("slice of nil pointer").
//   - Go 1.27 (newer than CT's) writes a node in an error context with the template's own
//     delimiters (<[[template "x"]]>); 1.26 and older write {{ }}. Should the goldens ever be
//     made with Go 1.27+, exec errors under custom delimiters are left out.

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"text/template"
)

const badComparison = "incompatible types for comparison"

// compareTemplates run the running Go's comparison builtins on two values.
var compareTemplates = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"eq", "lt", "le", "gt", "ge"} {
		m[name] = template.Must(template.New(name).Parse("{{" + name + " .A .B}}"))
	}
	return m
}()

type comparePair struct{ A, B interface{} }

func asInterface(v reflect.Value) interface{} {
	if !v.IsValid() {
		return nil
	}
	return v.Interface()
}

func throughInterface(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Interface {
		return v.Elem()
	}
	return v
}

// goCompare runs builtin `name` on (a, b) and returns its result or its own error.
func goCompare(name string, a, b reflect.Value) (bool, error) {
	var out bytes.Buffer
	err := compareTemplates[name].Execute(&out, comparePair{asInterface(a), asInterface(b)})
	if err == nil {
		return out.String() == "true", nil
	}
	// ExecError wraps "error calling NAME: %w", which wraps the builtin's error.
	var ee template.ExecError
	if errors.As(err, &ee) {
		if inner := errors.Unwrap(ee.Err); inner != nil {
			if inner.Error() == badComparison {
				return false, fmt.Errorf("%s: %v and %v", badComparison, throughInterface(a).Type(), throughInterface(b).Type())
			}
			return false, inner
		}
	}
	return false, err
}

// modernComparisons replaces the comparison builtins with wrappers of the same signatures.
func modernComparisons() template.FuncMap {
	two := func(name string) func(a, b reflect.Value) (bool, error) {
		return func(a, b reflect.Value) (bool, error) { return goCompare(name, a, b) }
	}
	return template.FuncMap{
		// eq compares arg1 with each further argument in turn, stopping at the first match.
		"eq": func(arg1 reflect.Value, rest ...reflect.Value) (bool, error) {
			if len(rest) == 0 {
				return false, errors.New("missing argument for comparison")
			}
			for _, arg := range rest {
				equal, err := goCompare("eq", arg1, arg)
				if err != nil || equal {
					return equal, err
				}
			}
			return false, nil
		},
		"ne": func(a, b reflect.Value) (bool, error) {
			equal, err := goCompare("eq", a, b)
			return !equal, err
		},
		"lt": two("lt"),
		"le": two("le"),
		"gt": two("gt"),
		"ge": two("ge"),
	}
}

var (
	elseWith       = regexp.MustCompile(`\{\{-?\s*else\s+with\b`)
	rangeOverInt   = regexp.MustCompile(`range can't iterate over -?[0-9]+$`)
	comment        = regexp.MustCompile(`(?s)/\*.*?\*/`)
	sliceOfPointer = regexp.MustCompile(`error calling slice: can't slice item of type \*`)
	hasElseWith    = goMinor() >= 23
	hasRangeInt    = goMinor() >= 24
	countsComments = goMinor() >= 24
	slicesThroughP = goMinor() >= 26
	nodesUseDelims = goMinor() >= 27
)

// goMinor is the minor version of the running Go ("go1.23.5" -> 23), or 0 if unknown.
func goMinor() int {
	var major, minor int
	if _, err := fmt.Sscanf(runtimeVersion(), "go%d.%d", &major, &minor); err != nil || major != 1 {
		return 0
	}
	return minor
}

// skipBeforeRun: templates whose result the Go here cannot tell the way Go 1.26 would.
func skipBeforeRun(tpl string) bool {
	return !hasElseWith && elseWith.MatchString(tpl)
}

// skipResult: results that differ between the Go here and Go 1.26.
func skipResult(c *tcase, msg string) bool {
	tpl, phase := c.Tpl, c.Phase
	switch {
	case phase == "exec" && nodesUseDelims && len(c.Delims) == 2:
		return true
	case phase == "parse" && !countsComments && hasMultiLineComment(tpl):
		return true
	case phase == "exec" && !hasRangeInt && rangeOverInt.MatchString(msg):
		return true
	case phase == "exec" && !slicesThroughP && sliceOfPointer.MatchString(msg):
		return true
	}
	return false
}

func hasMultiLineComment(tpl string) bool {
	for _, c := range comment.FindAllString(tpl, -1) {
		if strings.Contains(c, "\n") {
			return true
		}
	}
	return false
}

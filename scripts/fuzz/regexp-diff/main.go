// Go's side of scripts/fuzz/regexp-diff.ts: reads one case a line as JSON ({"p": pattern, "s":
// subject, "r": replacement template}, each as base64 bytes, so that invalid UTF-8 gets through)
// and writes one result a line: the Compile error, or what each regexp call the template
// functions make returns (FindAllStringSubmatchIndex for the engines' positions and groups, and
// the calls behind regexMatch, regexFind, regexFindAll, regexSplit, regexReplaceAll and
// regexReplaceAllLiteral), strings again as base64 bytes, and how long it all took.
//
//	go build -o /tmp/regexp-diff-go scripts/fuzz/regexp-diff/main.go
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
	"time"
)

type input struct {
	P []byte `json:"p"`
	S []byte `json:"s"`
	R []byte `json:"r"`
}

type output struct {
	Err     []byte   `json:"err,omitempty"`
	All     [][]int  `json:"all"`
	Match   bool     `json:"match"`
	Find    []byte   `json:"find"`
	FindAll [][]byte `json:"findAll"`
	Split   [][]byte `json:"split"`
	Rep     []byte   `json:"rep"`
	Lit     []byte   `json:"lit"`
	// How long Compile and the calls took, for the fuzzer's slowness check.
	Ns int64 `json:"ns"`
}

func byteSlices(ss []string) [][]byte {
	if ss == nil {
		return nil
	}
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<30)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		var o output
		start := time.Now()
		re, err := regexp.Compile(string(c.P))
		if err != nil {
			o.Err = []byte(err.Error())
		} else {
			s, r := string(c.S), string(c.R)
			o.All = re.FindAllStringSubmatchIndex(s, -1)
			o.Match = re.MatchString(s)
			o.Find = []byte(re.FindString(s))
			o.FindAll = byteSlices(re.FindAllString(s, -1))
			o.Split = byteSlices(re.Split(s, -1))
			o.Rep = []byte(re.ReplaceAllString(s, r))
			o.Lit = []byte(re.ReplaceAllLiteralString(s, r))
		}
		o.Ns = time.Since(start).Nanoseconds()
		if err := enc.Encode(o); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}

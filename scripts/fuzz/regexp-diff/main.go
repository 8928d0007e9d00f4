// Go's side of scripts/fuzz/regexp-diff.ts: reads one case a line as JSON ({"p": pattern, "s":
// subject, "r": replacement template}) and writes one result a line: the Compile error, or what
// each regexp call the template functions make returns (FindAllStringSubmatchIndex for the
// engines' positions and groups, and the calls behind regexMatch, regexFind, regexFindAll,
// regexSplit, regexReplaceAll and regexReplaceAllLiteral).
//
//	go build -o /tmp/regexp-diff-go scripts/fuzz/regexp-diff/main.go
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
)

type input struct {
	P string `json:"p"`
	S string `json:"s"`
	R string `json:"r"`
}

type output struct {
	Err     string   `json:"err,omitempty"`
	All     [][]int  `json:"all"`
	Match   bool     `json:"match"`
	Find    string   `json:"find"`
	FindAll []string `json:"findAll"`
	Split   []string `json:"split"`
	Rep     string   `json:"rep"`
	Lit     string   `json:"lit"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
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
		re, err := regexp.Compile(c.P)
		if err != nil {
			o.Err = err.Error()
		} else {
			o.All = re.FindAllStringSubmatchIndex(c.S, -1)
			o.Match = re.MatchString(c.S)
			o.Find = re.FindString(c.S)
			o.FindAll = re.FindAllString(c.S, -1)
			o.Split = re.Split(c.S, -1)
			o.Rep = re.ReplaceAllString(c.S, c.R)
			o.Lit = re.ReplaceAllLiteralString(c.S, c.R)
		}
		if err := enc.Encode(o); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}

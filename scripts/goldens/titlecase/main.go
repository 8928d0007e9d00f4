// Classifies every Unicode code point the way golang.org/x/text/cases' title caser treats it,
// by observing cases.Title(language.Und, cases.NoLower) (Consul Template's toTitle) on probe
// strings, and writes JSON: {"unicode": version, "runs": [[first, class], ...], "title":
// [[rune, "mapping"], ...]}. Classes: 0 breaks a word, 1 continues a word, 2 "mid" (continues a
// word unless doubled), 3 cased (title-cased when it starts a word).
//
// With the argument "title" it instead reads a JSON array of hex-encoded strings (any bytes)
// on stdin and writes the hex-encoded toTitle of each: the goldens. See make-table.sh.
package main

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

const (
	classBreak = iota
	classLetter
	classMid
	classCased
)

func main() {
	title := cases.Title(language.Und, cases.NoLower)
	if len(os.Args) > 1 && os.Args[1] == "title" {
		var inputs []string
		if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
			panic(err)
		}
		out := make([]string, len(inputs))
		for i, h := range inputs {
			b, err := hex.DecodeString(h)
			if err != nil {
				panic(err)
			}
			out[i] = hex.EncodeToString([]byte(title.String(string(b))))
		}
		if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
			panic(err)
		}
		return
	}
	classify := func(s string) int {
		// A cased rune starts a word, so the "a" after it is inside that word and stays lower.
		if strings.HasSuffix(title.String(s+"a"), "a") {
			return classCased
		}
		// After "a" the caser is inside a word; a breaking rune ends it, so the next "a" is titled.
		if strings.HasSuffix(title.String("a"+s+"a"), "A") {
			return classBreak
		}
		// Two mid runes in a row end the word; two letter-like ones do not.
		if strings.HasSuffix(title.String("a"+s+s+"a"), "A") {
			return classMid
		}
		return classLetter
	}
	var runs [][2]int
	var titles [][2]interface{}
	last := -1
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		s := string(r)
		c := classify(s)
		if c != last {
			runs = append(runs, [2]int{int(r), c})
			last = c
		}
		if t := title.String(s); t != s {
			titles = append(titles, [2]interface{}{int(r), t})
		}
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(map[string]interface{}{"unicode": cases.UnicodeVersion, "runs": runs, "title": titles}); err != nil {
		panic(err)
	}
}

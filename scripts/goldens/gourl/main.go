// Reads a JSON array of strings on stdin and writes, for each, the error text of Go's
// url.Parse (or null) as a JSON array on stdout. See make-goldens.sh.
package main

import (
	"encoding/json"
	"net/url"
	"os"
)

func main() {
	var inputs []string
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		panic(err)
	}
	out := make([]interface{}, len(inputs))
	for i, s := range inputs {
		if _, err := url.Parse(s); err != nil {
			out[i] = err.Error()
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}

/**
 * Consul Template's parseYAML and toYAML, which call gopkg.in/yaml.v2 2.4 (Unmarshal into an
 * interface{}, Marshal). Both are reimplemented in ./yaml/ to give yaml.v2's results byte for
 * byte: YAML 1.1 scalar resolution, its error texts, map[interface{}]interface{} maps, its
 * emitter's quoting, folding and key order. (CT itself handles parseYAML "" → an empty
 * map[string]interface{} and trims toYAML's output; see funcs/index.ts.)
 */
import { compose, decode } from "./yaml/decode.ts";
import { marshal } from "./yaml/encode.ts";
import { Parser } from "./yaml/parser.ts";
import { goStringBytes, Reader } from "./yaml/reader.ts";
import { Scanner } from "./yaml/scanner.ts";

export { GO_KEY_TYPE, GO_MAP_KEYS, goKeyOf, isInterfaceMap } from "./yaml/gomap.ts";
export { keyLess as yamlKeyLess } from "./yaml/encode.ts";

/**
 * yaml.Unmarshal(s, &v) with v interface{}: the first document's value (null when there is
 * none). Throws an Error carrying yaml.v2's message ("yaml: line 3: …").
 */
export function parseYaml(s: string): unknown {
  // yaml.v2 parses an empty input as a single line break.
  const reader = new Reader(s === "" ? new Uint8Array([0x0a]) : goStringBytes(s));
  const root = compose(new Parser(new Scanner(reader)));
  return root === null ? null : decode(root);
}

/** yaml.Marshal(v) as text (with yaml.v2's trailing newline). */
export function toYaml(v: unknown): string {
  return marshal(v);
}

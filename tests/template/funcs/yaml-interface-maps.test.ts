import { expect, test } from "bun:test";
// Meant for tests/template/funcs/ once engine-interface-maps.patch is applied.
import { run } from "./helpers.ts";
test("iface maps in the engine", () => {
  expect(run('{{ index (parseYAML "80: http\\n443: https") 80 }}')).toBe("http");
  expect(run('{{ index (parseYAML "80: http") "80" }}')).toBe("<no value>");
  expect(
    run('{{ range $k, $v := parseYAML "443: b\\n80: a" }}{{ printf "%T" $k }}{{ $k }}={{ $v }};{{ end }}'),
  ).toBe("int80=a;int443=b;");
  expect(run('{{ printf "%#v" (parseYAML "a: [1, x]") }}')).toBe(
    'map[interface {}]interface {}{"a":[]interface {}{1, "x"}}',
  );
  expect(run('{{ parseYAML "a: 1" | toJSON }}')).toBe(
    'ERR template: :1:22: executing "" at <toJSON>: error calling toJSON: toJSON: json: unsupported type: map[interface {}]interface {}',
  );
  expect(run(`{{ parseYAML "a: 1" | sprig_keys }}`)).toBe(
    `ERR template: :1:22: executing "" at <sprig_keys>: wrong type for value; expected map[string]interface {}; got map[interface {}]interface {}`,
  );
});

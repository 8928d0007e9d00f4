/**
 * Template engine budgets (issue 3): a realistic 40-line KV v2 template ≥ 50,000 renders/s warm
 * (parsed once), a 1 MB template compiled + rendered in ≤ 50 ms, and runaway {{template}}
 * recursion stopped by Go's depth limit quickly. Run: bun bench/template.ts
 */
import { JsonNumber } from "../src/common/json.ts";
import {
  compile,
  type Dependencies,
  type FuncMap,
  GoStruct,
  type TemplateHost,
} from "../src/template/index.ts";

class Secret extends GoStruct {
  readonly goType = "*dependency.Secret";
  override readonly goFields = ["RequestID", "LeaseID", "LeaseDuration", "Renewable", "Data"];
  RequestID = "r";
  LeaseID = "";
  LeaseDuration = 0n;
  Renewable = false;
  constructor(public Data: Record<string, unknown>) {
    super();
  }
}

const secret = new Secret({
  data: {
    username: "app",
    password: "hunter2",
    port: new JsonNumber("5432"),
    host: "db.internal",
    tags: ["a", "b", "c"],
  },
  metadata: { version: new JsonNumber("3"), created_time: "2024-01-01T00:00:00Z", destroyed: false },
});

// A stand-in toJSON until the function library (src/template/funcs) is wired into this bench.
const toJSON = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? Number(x) : x));

const funcs = (): FuncMap => ({
  secret: { signature: "func(...string) (interface {}, error)", fn: () => secret },
  toUpper: { signature: "func(string) string", fn: ((s: string) => s.toUpperCase()) as never },
  toJSON: {
    signature: "func(interface {}) (string, error)",
    fn: ((v: unknown) =>
      toJSON ? toJSON(v) : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? Number(x) : x))) as never,
  },
});

const lines = [
  '{{- with secret "secret/app" }}',
  "# generated",
  "[database]",
  'user = "{{ .Data.data.username }}"',
  'password = "{{ .Data.data.password }}"',
  'host = "{{ .Data.data.host }}"',
  'port = {{ printf "%s" .Data.data.port }}',
  "version = {{ .Data.metadata.version }}",
  "{{- if .Data.metadata.destroyed }}",
  "destroyed = true",
  "{{- else }}",
  "destroyed = false",
  "{{- end }}",
  'tags = [{{ range $i, $t := .Data.data.tags }}{{ if $i }}, {{ end }}{{ printf "%q" $t }}{{ end }}]',
  "{{ range $k, $v := .Data.data }}",
  "{{ $k }} = {{ $v }}",
  "{{- end }}",
  'url = {{ printf "postgres://%s:%s@%s:%s/db" .Data.data.username .Data.data.password .Data.data.host .Data.data.port }}',
  "json = {{ toJSON .Data.metadata }}",
  '{{ if eq .Data.data.username "app" }}role = app{{ else }}role = other{{ end }}',
  "{{- end }}",
];
while (lines.length < 40) lines.push(`line {{ "${lines.length}" | toUpper }} {{ len "abcdef" }}`);
const text = lines.join("\n");

const deps: Dependencies = { secret: () => undefined, secrets: () => undefined, pkiCert: () => undefined };
const host: TemplateHost = { env: () => undefined, environ: () => ({}), readFile: () => "", now: () => 0 };

const tpl = compile(text, { name: "" }, funcs);
for (let i = 0; i < 5000; i++) tpl.execute(deps, host);
const n = 100000;
let t0 = performance.now();
for (let i = 0; i < n; i++) tpl.execute(deps, host);
let ms = performance.now() - t0;
console.log(`realistic 40-line template: ${Math.round((n / ms) * 1000)} renders/s (budget ≥ 50000)`);

const chunk = 'Some text {{ .x }} and {{ if 1 }}yes{{ end }} {{ printf "%d" 42 }}\n';
const big = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
t0 = performance.now();
compile(big, { name: "" }, funcs).execute(deps, host);
ms = performance.now() - t0;
console.log(`1 MB template compile+render: ${ms.toFixed(1)} ms (budget ≤ 50)`);

t0 = performance.now();
let msg = "";
try {
  compile('{{define "a"}}{{template "a" .}}{{end}}{{template "a"}}', { name: "" }, funcs).execute(deps, host);
} catch (e) {
  msg = (e as Error).message;
}
ms = performance.now() - t0;
console.log(`deep recursion: ${ms.toFixed(1)} ms → ${msg}`);

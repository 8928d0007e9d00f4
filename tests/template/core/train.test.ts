/**
 * The JIT training (src/template/train.ts) that runs before a process's first compile. Its
 * failures are swallowed (it only informs the JIT), so what it renders is checked here: a training
 * template that stopped working would otherwise go unnoticed and quietly train nothing.
 */
import { describe, expect, test } from "bun:test";
import { compile, type DependencyRequest } from "../../../src/template/index.ts";
import { TRAINING_TEMPLATES, train } from "../../../src/template/train.ts";
import { host } from "./helpers.ts";

describe("JIT training", () => {
  test("renders what Go and Consul Template render for its templates", () => {
    const outputs = train((text) => compile(text, { name: "train" }));
    expect(outputs).toEqual([
      [
        "<no value> 1 s true",
        "ab",
        "42 s 7",
        "app 5432 app",
        "enabled=true port=5432 user=app ",
      ].join("\n"),
    ]);
  });

  test("covers what the evaluator's hot paths meet: missing values, ints, %d, a secret", () => {
    const text = TRAINING_TEMPLATES.join("\n");
    for (const piece of ["{{ .missing }}", "{{ if 1 }}", '{{ printf "%d" 42 }}', '{{ with secret "']) {
      expect(text).toContain(piece);
    }
  });

  test("leaves nothing behind in the templates compiled after it", () => {
    // The training reads a secret of its own; a template compiled later reports only its own.
    const seen: string[] = [];
    const t = compile('{{ with secret "kv/mine" }}{{ .Data.x }}{{ end }}', { name: "t" });
    const r = t.execute(
      {
        secret: (path) => {
          seen.push(path);
          return undefined;
        },
        secrets: () => undefined,
        pkiCert: () => undefined,
      },
      host,
    );
    expect(r.output).toBe("");
    expect(seen).toEqual(["kv/mine"]);
    expect(r.missing.map((d: DependencyRequest) => d.key)).toEqual(["secret(kv/mine)"]);
    expect(r.used.map((d: DependencyRequest) => d.key)).toEqual(["secret(kv/mine)"]);
  });
});

/**
 * `secret` reads take their path from Go's url.Parse as Consul Template does: percent-escapes
 * decoded, a fragment dropped, the query sent as parameters.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readPath } from "../../src/dependency/kv.ts";
import { vault } from "../helpers/devserver.ts";
import { type Harness, harness, TOKEN_FILE_AUTH, until } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

test("readPath: decoded path, no fragment, form-decoded query", () => {
  expect(readPath("/kv/a%20b/")).toEqual({ path: "kv/a b", query: {} });
  expect(readPath("kv/app#frag")).toEqual({ path: "kv/app", query: {} });
  expect(readPath("kv/a+b?version=2&x=a+b%21#f")).toEqual({
    path: "kv/a+b",
    query: { version: "2", x: "a b!" },
  });
  expect(readPath("kv/%C3%A9")).toEqual({ path: "kv/é", query: {} });
});

test("through the agent: escaped, fragment and versioned reads", async () => {
  await vault(h.server, "POST", "secret/data/a b", { data: { v: "spaced" } });
  await vault(h.server, "POST", "secret/data/app", { data: { v: "one" } });
  await vault(h.server, "POST", "secret/data/app", { data: { v: "two" } });
  const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template {
  destination = "{{DIR}}/out.txt"
  contents    = <<EOT
{{ with secret "secret/a%20b" }}{{ .Data.data.v }}{{ end }},{{ with secret "secret/app#ignored" }}{{ .Data.data.v }}{{ end }},{{ with secret "secret/app?version=1" }}{{ .Data.data.v }}{{ end }}
EOT
}`);
  const out = join(h.dir, "out.txt");
  await until(() => existsSync(out));
  expect(readFileSync(out, "utf8")).toBe("spaced,two,one\n");
  await agent.stop();
});

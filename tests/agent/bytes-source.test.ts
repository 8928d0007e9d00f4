/**
 * Go templates are byte strings: a template file whose text holds bytes that are not UTF-8 renders
 * a destination file with those same raw bytes, through the real agent (source read → compile →
 * render → atomic write), as Vault Agent does.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { vault } from "../helpers/devserver.ts";
import { type Harness, harness, TOKEN_FILE_AUTH, until } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

test("a template file with invalid UTF-8 renders the same raw bytes", async () => {
  await vault(h.server, "POST", "secret/data/app", { data: { user: "zoë" } });
  const source = join(h.dir, "in.tpl");
  const dest = join(h.dir, "out.txt");
  writeFileSync(
    source,
    bytes(
      [0xff, 0xfe],
      " latin-1 caf",
      [0xe9],
      " surrogate ",
      [0xed, 0xa0, 0x80],
      ' {{ with secret "secret/data/app" }}{{ .Data.data.user }}{{ end }}',
      ' {{ "\\xc0\\xaf" }} {{ slice "é" 0 1 }} {{ len "',
      [0xf5],
      '" }}\n',
    ),
  );
  const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template {
  source      = "${source}"
  destination = "${dest}"
}`);
  await until(() => existsSync(dest));
  await agent.stop();
  // In a literal the raw byte F5 is U+FFFD to Go (3 bytes); escapes and slices make raw bytes.
  const want = bytes(
    [0xff, 0xfe],
    " latin-1 caf",
    [0xe9],
    " surrogate ",
    [0xed, 0xa0, 0x80],
    " zoë ",
    [0xc0, 0xaf],
    " ",
    [0xc3],
    " 3\n",
  );
  expect(readFileSync(dest).toString("hex")).toBe(want.toString("hex"));
});

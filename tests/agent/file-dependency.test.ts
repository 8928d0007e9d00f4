/**
 * The `file` template function as Consul Template runs it: a watched local dependency, polled
 * every 2 s (FakeClock), re-rendered when the file changes; a missing file keeps the template from
 * rendering (reported once, at once — local dependencies get no retry budget) until it appears,
 * and stops the agent with exit_on_retry_failure.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
const fileTpl = (dest: string, input: string, extra = "") => `
template {
  destination = "{{DIR}}/${dest}"
  contents    = "[{{ file \\"${input}\\" }}]"
${extra}
}`;
const fileErrors = (path: string) =>
  h.logs.lines.filter((l) => l.includes(`file(${path}): stat ${path}: no such file or directory`));

describe("file(): a watched local dependency", () => {
  test("rendered, and rendered again after the file changes (2 s poll)", async () => {
    const input = join(h.dir, "in.txt");
    writeFileSync(input, "one");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}\n${fileTpl("out.txt", input)}`);
    const out = join(h.dir, "out.txt");
    await until(() => read(out) === "[one]");

    writeFileSync(input, "second");
    await h.clock.advance(1_000); // before the poll: still the old text
    await Bun.sleep(20);
    expect(read(out)).toBe("[one]");
    await h.clock.advance(1_000);
    await until(() => read(out) === "[second]");
    await agent.stop();
  });

  test("an unchanged file is not read or rendered again", async () => {
    const input = join(h.dir, "same.txt");
    writeFileSync(input, "same");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}\n${fileTpl("same-out.txt", input)}`);
    await until(() => read(join(h.dir, "same-out.txt")) === "[same]");
    const fetched = () =>
      h.logs.lines.filter((l) => l.includes("fetched") && l.includes(`file(${input})`)).length;
    expect(fetched()).toBe(1);
    for (let i = 0; i < 3; i++) await h.clock.advance(2_000);
    await Bun.sleep(20);
    expect(fetched()).toBe(1);
    await agent.stop();
  });

  test("mixed with a secret: both dependencies feed one template", async () => {
    await vault(h.server, "POST", "secret/data/app", { data: { user: "u1" } });
    const input = join(h.dir, "suffix.txt");
    writeFileSync(input, "-sfx");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template {
  destination = "{{DIR}}/mixed.txt"
  contents    = "{{ with secret \\"secret/app\\" }}{{ .Data.data.user }}{{ end }}{{ file \\"${input}\\" }}"
}`);
    await until(() => read(join(h.dir, "mixed.txt")) === "u1-sfx");
    await agent.stop();
  });

  test("a missing file: not rendered, one error line, rendered once the file appears", async () => {
    const input = join(h.dir, "later.txt");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}\n${fileTpl("later-out.txt", input)}`);
    await until(() => fileErrors(input).length > 0);
    for (let i = 0; i < 3; i++) await h.clock.advance(2_000);
    await Bun.sleep(20);
    expect(existsSync(join(h.dir, "later-out.txt"))).toBe(false);
    // Polled every 2 s, but the same error is reported once (by the watcher and by the runner).
    expect(fileErrors(input).length).toBe(2);

    writeFileSync(input, "here");
    await h.clock.advance(2_000);
    await until(() => read(join(h.dir, "later-out.txt")) === "[here]");

    // Deleted again: the last rendering stays, and the error is reported anew.
    rmSync(input);
    await h.clock.advance(2_000);
    await until(() => fileErrors(input).length === 4);
    expect(read(join(h.dir, "later-out.txt"))).toBe("[here]");
    await agent.stop();
  });

  test("a missing file with exit_on_retry_failure: the agent exits 1 at once", async () => {
    const input = join(h.dir, "never.txt");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template_config { exit_on_retry_failure = true }
${fileTpl("never-out.txt", input)}`);
    expect(await agent.exited).toBe(1);
    expect(fileErrors(input).length).toBeGreaterThan(0);
  });

  test("sandbox_path: outside the sandbox is a template error, inside is watched", async () => {
    const input = join(h.dir, "box", "in-sandbox.txt");
    mkdirSync(join(h.dir, "box"));
    writeFileSync(input, "boxed");
    const outside = join(h.dir, "outside.txt");
    writeFileSync(outside, "secret");
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
${fileTpl("boxed.txt", input, `  sandbox_path = "{{DIR}}/box"`)}
${fileTpl("escaped.txt", outside, `  sandbox_path = "{{DIR}}/box"`)}`);
    await until(() => read(join(h.dir, "boxed.txt")) === "[boxed]");
    await until(() => h.logs.lines.some((l) => l.includes(`'${outside}' is outside of sandbox`)));
    expect(existsSync(join(h.dir, "escaped.txt"))).toBe(false);
    await agent.stop();
  });
});

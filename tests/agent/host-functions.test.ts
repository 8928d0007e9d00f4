/**
 * writeToFile and plugin through the agent: off by default with an error naming the switch; with
 * template_config.allow_functions they work as in Vault Agent (the PKI "split the bundle" idiom).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { vault } from "../helpers/devserver.ts";
import { type Harness, harness, TOKEN_FILE_AUTH, until } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness();
  await vault(h.server, "POST", "secret/data/tls", { data: { cert: "CERT-PEM", key: "KEY-PEM" } });
});
afterEach(async () => {
  await h.close();
});

const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
const splitTpl = `
template {
  destination = "{{DIR}}/bundle.txt"
  contents    = <<EOT
{{ with secret "secret/tls" }}{{ .Data.data.key | writeToFile "{{DIR}}/out/tls.key" "" "" "0600" }}{{ .Data.data.cert }}{{ end }}
EOT
}`;

describe("host-effect template functions", () => {
  test("writeToFile is off by default, and the error says how to turn it on", async () => {
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}\n${splitTpl}`);
    await until(() =>
      h.logs.lines.some((l) => l.includes("writeToFile: writing files from templates is turned off")),
    );
    const line = h.logs.lines.find((l) => l.includes("writeToFile: writing files"))!;
    expect(line).toContain('allow_functions = ["writeToFile"]');
    expect(line).not.toContain("KEY-PEM"); // the secret argument is not in the message
    expect(existsSync(join(h.dir, "out", "tls.key"))).toBe(false);
    await agent.stop();
  });

  test("allowed: the key goes to its own 0600 file, the template renders the rest", async () => {
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template_config { allow_functions = ["writeToFile", "plugin"] }
${splitTpl}
template {
  destination = "{{DIR}}/plugin.txt"
  contents    = "{{ plugin \\"printf\\" \\"%s-%s\\" \\"a\\" \\" b \\" }}"
}`);
    await until(() => read(join(h.dir, "bundle.txt")) === "CERT-PEM\n");
    expect(read(join(h.dir, "out", "tls.key"))).toBe("KEY-PEM");
    expect(statSync(join(h.dir, "out", "tls.key")).mode & 0o777).toBe(0o600);
    await until(() => read(join(h.dir, "plugin.txt")) === "a-b");
    await agent.stop();
  });
});

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { vault } from "../helpers/devserver.ts";
import { type Harness, harness, pump, TOKEN_FILE_AUTH, until } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
const fetches = (key: string) => h.logs.lines.filter((l) => l.includes("fetched") && l.includes(key)).length;

describe("agent runtime (in-process, FakeClock)", () => {
  test("KV v2 file templates: rendered, shared fetch, refreshed on the static interval", async () => {
    await vault(h.server, "POST", "secret/data/app", { data: { user: "u1", password: "p1" } });
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template_config { static_secret_render_interval = "60s" }
template {
  destination = "{{DIR}}/a.txt"
  perms = "0600"
  contents = "{{ with secret \\"secret/app\\" }}{{ .Data.data.user }}{{ end }}"
}
template {
  destination = "{{DIR}}/b.txt"
  contents = "{{ with secret \\"secret/app\\" }}{{ .Data.data.password }}{{ end }}"
}`);
    await until(() => read(join(h.dir, "a.txt")) === "u1" && read(join(h.dir, "b.txt")) === "p1");
    expect(statSync(join(h.dir, "a.txt")).mode & 0o777).toBe(0o600);
    expect(fetches("secret(secret/app)")).toBe(1); // one fetch feeds both templates
    await vault(h.server, "POST", "secret/data/app", { data: { user: "u2", password: "p2" } });
    // refresh at 60 s × (0.9 ± 0.05): nothing before 51 s, done by 57 s
    await h.clock.advance(50_000);
    expect(read(join(h.dir, "a.txt"))).toBe("u1");
    await h.clock.advance(7_000);
    await until(() => read(join(h.dir, "a.txt")) === "u2" && read(join(h.dir, "b.txt")) === "p2");
    expect(fetches("secret(secret/app)")).toBe(2);
    expect(h.logs.text()).not.toContain("p2");
    await agent.stop();
  });

  test("exit_after_auth renders once and exits 0; a failing template exits non-zero and writes nothing", async () => {
    await vault(h.server, "POST", "secret/data/once", { data: { v: "x" } });
    const ok = h.agent(`${TOKEN_FILE_AUTH}
exit_after_auth = true
template {
  destination = "{{DIR}}/once.txt"
  contents = "{{ with secret \\"secret/once\\" }}{{ .Data.data.v }}{{ end }}"
}`);
    expect(await ok.agent.exited).toBe(0);
    expect(read(join(h.dir, "once.txt"))).toBe("x");

    const bad = h.agent(`${TOKEN_FILE_AUTH}
exit_after_auth = true
template {
  destination = "{{DIR}}/bad.txt"
  error_on_missing_key = true
  contents = "{{ with secret \\"secret/once\\" }}{{ .Data.data.nope }}{{ end }}"
}`);
    expect(await bad.agent.exited).toBe(1);
    expect(existsSync(join(h.dir, "bad.txt"))).toBe(false);
    expect(h.logs.text()).toContain('map has no entry for key "nope"');
  });

  test("dynamic credentials: renewed, then fetched anew near the max TTL", async () => {
    await vault(h.server, "POST", "sys/mounts/database", { type: "database" });
    await vault(h.server, "POST", "database/config/db", {
      plugin_name: "postgresql-database-plugin",
      allowed_roles: "*",
    });
    await vault(h.server, "POST", "database/roles/app", {
      db_name: "db",
      default_ttl: "60s",
      max_ttl: "180s",
      creation_statements: "x",
    });
    const { agent } = h.agent(`${TOKEN_FILE_AUTH}
template {
  destination = "{{DIR}}/db.txt"
  contents = "{{ with secret \\"database/creds/app\\" }}{{ .Data.username }}{{ end }}"
}`);
    const file = join(h.dir, "db.txt");
    await until(() => read(file) !== "");
    const first = read(file);
    const renewals = () => h.logs.lines.filter((l) => l.includes("renewed lease")).length;
    await until(() => renewals() >= 1);
    // Renewals keep the credentials (pump waits for each timer's HTTP work to show, rather than a
    // fixed real-time sleep that a loaded machine can outrun)...
    await pump(h.clock, () => renewals() >= 2);
    expect(read(file)).toBe(first);
    // ...until the max TTL is near; then they are fetched anew.
    await pump(h.clock, () => read(file) !== first, 40);
    expect(read(file)).not.toBe("");
    await agent.stop();
  });
});

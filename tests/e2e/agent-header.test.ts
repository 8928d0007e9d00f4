import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBinary } from "../helpers/binary.ts";

test("-header is sent on the agent's own requests", async () => {
  const seen: Record<string, string>[] = [];
  // A Vault stand-in that only answers the token_file lookup: enough for auth + a sink.
  const fake = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      seen.push(Object.fromEntries(req.headers));
      if (new URL(req.url).pathname === "/v1/auth/token/lookup-self") {
        return Response.json({
          data: { id: "s.header-test-token", ttl: 0, renewable: false, type: "service" },
        });
      }
      return Response.json({ errors: [] }, { status: 404 });
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "vaultrun-header-"));
  try {
    writeFileSync(join(dir, "token"), "s.header-test-token");
    writeFileSync(
      join(dir, "agent.hcl"),
      `auto_auth {\n  method "token_file" {\n    config { token_file_path = "${dir}/token" }\n  }\n  sink "file" {\n    config { path = "${dir}/out" }\n  }\n}\n`,
    );
    const r = await runBinary([
      "agent",
      `-config=${dir}/agent.hcl`,
      `-address=http://127.0.0.1:${fake.port}`,
      "-header=X-Team=platform",
      "-exit-after-auth",
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "out"), "utf8")).toBe("s.header-test-token");
    const lookup = seen.find((h) => h["x-vault-token"] === "s.header-test-token");
    expect(lookup?.["x-team"]).toBe("platform");
    expect(lookup?.["x-vault-request"]).toBe("true");
  } finally {
    fake.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
});

#!/usr/bin/env bun
/**
 * Agent benchmarks against a local `vaultrun server -dev` (both the compiled binary dist/vaultrun;
 * build it first with `npm run build`). Prints numbers; budgets from issues 5 and 6:
 *   - process start → 3 templates rendered (exit_after_auth)            ≤ 80 ms
 *   - 1,000 templates over 1,000 distinct secrets (10,000 lookups)      ≤ 10 s, RSS ≤ 200 MB
 *   - steady RSS with 100 templates                                      ≤ 60 MB
 *   - `vaultrun agent` with the seed env+exec config → child running     ≤ 150 ms
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createConnection, createServer } from "node:net";
import { join, resolve } from "node:path";

const bin = resolve(import.meta.dir, "../dist/vaultrun");
if (!existsSync(bin)) {
  console.error("dist/vaultrun is missing: run `npm run build` first");
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), "vaultrun-bench-"));
const port = 18200 + Math.floor(Math.random() * 1000);
const addr = `http://127.0.0.1:${port}`;
const server = Bun.spawn(
  [bin, "server", "-dev", "-dev-root-token-id=root", `-dev-listen-address=127.0.0.1:${port}`],
  {
    stdout: "ignore",
    stderr: "ignore",
  },
);

async function until(cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error("timed out");
    await Bun.sleep(1);
  }
}
const put = (path: string, data: Record<string, string>) =>
  fetch(`${addr}/v1/secret/data/${path}`, {
    method: "POST",
    headers: { "X-Vault-Token": "root" },
    body: JSON.stringify({ data }),
  });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

try {
  await until(async () => (await fetch(`${addr}/v1/sys/health`).catch(() => null))?.ok === true);
  writeFileSync(join(dir, "token"), "root");
  const auth = `auto_auth {\n  method "token_file" {\n    config { token_file_path = "${dir}/token" }\n  }\n}\nvault { address = "${addr}" }\n`;
  const tpl = (i: number, secret: string) =>
    `template {\n  destination = "${dir}/out/${i}.txt"\n  contents = "{{ with secret \\"secret/${secret}\\" }}{{ .Data.data.v }}{{ end }}"\n}\n`;

  // 1. start → 3 templates rendered
  for (let i = 0; i < 3; i++) await put(`s${i}`, { v: `value-${i}` });
  writeFileSync(
    join(dir, "three.hcl"),
    `${auth}exit_after_auth = true\n${[0, 1, 2].map((i) => tpl(i, `s${i}`)).join("")}`,
  );
  const times: number[] = [];
  for (let run = 0; run < 15; run++) {
    rmSync(join(dir, "out"), { recursive: true, force: true });
    const t0 = performance.now();
    const p = Bun.spawn([bin, "agent", `-config=${dir}/three.hcl`, "-log-level=error"], {
      stdout: "ignore",
      stderr: "inherit",
    });
    if ((await p.exited) !== 0) throw new Error("agent failed");
    times.push(performance.now() - t0);
  }
  console.log(
    `start → 3 templates rendered (exit_after_auth): median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms (budget ≤ 80 ms)`,
  );

  // 2. 1,000 templates over 1,000 secrets, 10 lookups each — through a TCP proxy that counts how
  // many connections the agent holds open at once (max_connections_per_host = 10).
  let open = 0;
  let maxOpen = 0;
  const proxy = createServer((client) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    const upstream = createConnection(port, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const done = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once("close", () => {
      open--;
      done();
    });
    upstream.once("close", done);
    client.on("error", done);
    upstream.on("error", done);
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const proxyAddr = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  const N = 1000;
  await Promise.all(Array.from({ length: N }, (_, i) => put(`bulk/${i}`, { v: `v${i}` })));
  const many: string[] = [];
  for (let i = 0; i < N; i++) {
    const refs = Array.from(
      { length: 10 },
      (_, k) => `{{ with secret \\"secret/bulk/${(i + k * 97) % N}\\" }}{{ .Data.data.v }}{{ end }}`,
    ).join(",");
    many.push(`template {\n  destination = "${dir}/many/${i}.txt"\n  contents = "${refs}"\n}\n`);
  }
  writeFileSync(
    join(dir, "many.hcl"),
    `${auth.replace(addr, proxyAddr)}exit_after_auth = true\ntemplate_config { max_connections_per_host = 10 }\n${many.join("")}`,
  );
  {
    const t0 = performance.now();
    const p = Bun.spawn([bin, "agent", `-config=${dir}/many.hcl`, "-log-level=error"], {
      stdout: "ignore",
      stderr: "inherit",
    });
    let peak = 0;
    const timer = setInterval(() => {
      const r = rssOf(p.pid);
      if (r > peak) peak = r;
    }, 20);
    const code = await p.exited;
    clearInterval(timer);
    console.log(
      `1,000 templates / 1,000 secrets / 10,000 lookups: ${(performance.now() - t0).toFixed(0)} ms, exit ${code}, peak RSS ${peak.toFixed(0)} MB, at most ${maxOpen} connections open at once (budget ≤ 10 s, ≤ 200 MB, ≤ 10 connections for templates + 1 for auth)`,
    );
    proxy.close();
  }

  // 3. steady RSS with 100 templates
  writeFileSync(
    join(dir, "hundred.hcl"),
    `${auth}${Array.from({ length: 100 }, (_, i) => tpl(1000 + i, `bulk/${i}`)).join("")}`,
  );
  {
    const p = Bun.spawn([bin, "agent", `-config=${dir}/hundred.hcl`, "-log-level=error"], {
      stdout: "ignore",
      stderr: "inherit",
    });
    await until(() => existsSync(`${dir}/out/1099.txt`));
    await Bun.sleep(1000);
    console.log(`steady RSS with 100 templates: ${rssOf(p.pid).toFixed(1)} MB (budget ≤ 60 MB)`);
    p.kill("SIGTERM");
    await p.exited;
  }

  // 4. seed env+exec config → child running
  await put("test-cred1", { user: "my-user", password: "my-password" });
  await put("test-cred2", { foo: "bar", baz: "qux" });
  const seed = readFileSync(resolve(import.meta.dir, "../examples/env-exec/vault-agent.hcl"), "utf8")
    .replace('address = "http://127.0.0.1:8200"', `address = "${addr}"`)
    .replace('"./.vault-token"', `"${dir}/token"`)
    .replace('pid_file = "./agent.pid"', "")
    .replace(
      'command                   = ["node", "app.mjs"]',
      `command = ["sh", "-c", "echo $TEST_CRED1_USER > ${dir}/child-started; exec sleep 60"]`,
    );
  writeFileSync(join(dir, "seed.hcl"), seed);
  const childTimes: number[] = [];
  for (let run = 0; run < 10; run++) {
    rmSync(join(dir, "child-started"), { force: true });
    const t0 = performance.now();
    const p = Bun.spawn([bin, "agent", `-config=${dir}/seed.hcl`, "-log-level=error"], {
      stdout: "ignore",
      stderr: "inherit",
    });
    await until(
      () =>
        existsSync(join(dir, "child-started")) &&
        readFileSync(join(dir, "child-started"), "utf8").includes("my-user"),
    );
    childTimes.push(performance.now() - t0);
    p.kill("SIGTERM");
    await p.exited;
  }
  console.log(
    `seed env+exec config → child running: median ${median(childTimes).toFixed(1)} ms (budget ≤ 150 ms; Vault Agent > 2 s by design)`,
  );

  // 5. agent CPU while idle (seed config: a 10 s static refresh interval; measured over 5 s)
  {
    const p = Bun.spawn([bin, "agent", `-config=${dir}/seed.hcl`, "-log-level=error"], {
      stdout: "ignore",
      stderr: "ignore",
    });
    await until(() => existsSync(join(dir, "child-started")));
    await Bun.sleep(500);
    const ticks = () => {
      const f = readFileSync(`/proc/${p.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (1/100 s)
    };
    const t0 = ticks();
    await Bun.sleep(5000);
    const used = (ticks() - t0) * 10; // ms of CPU
    console.log(
      `agent CPU while idle: ${used} ms over 5 s (${((used / 5000) * 100).toFixed(2)} %) (budget ≈ 0)`,
    );
    p.kill("SIGTERM");
    await p.exited;
  }
} finally {
  server.kill("SIGTERM");
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
}

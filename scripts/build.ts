#!/usr/bin/env bun
/**
 * Builds the single-file binary.
 *   bun scripts/build.ts          → dist/vaultrun (this machine)
 *   bun scripts/build.ts --all    → dist/vaultrun-{linux-x64,linux-arm64,darwin-x64,darwin-arm64,windows-x64.exe}
 * Cross-compiling works offline: the matching @oven/bun-<os>-<arch> package is installed from npm
 * (into .tmp/bun-runtimes, not package.json) and passed with --compile-executable-path.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};
const bunVersion = pkg.devDependencies.bun!;

interface Target {
  name: string; // output suffix
  target: string; // bun --target
  pkg: string; // @oven/bun-<os>-<arch>
  bin: string; // path of the runtime inside the package
}

const targets: Target[] = [
  { name: "linux-x64", target: "bun-linux-x64", pkg: "@oven/bun-linux-x64", bin: "bin/bun" },
  { name: "linux-arm64", target: "bun-linux-arm64", pkg: "@oven/bun-linux-aarch64", bin: "bin/bun" },
  { name: "darwin-x64", target: "bun-darwin-x64", pkg: "@oven/bun-darwin-x64", bin: "bin/bun" },
  { name: "darwin-arm64", target: "bun-darwin-arm64", pkg: "@oven/bun-darwin-aarch64", bin: "bin/bun" },
  { name: "windows-x64.exe", target: "bun-windows-x64", pkg: "@oven/bun-windows-x64", bin: "bin/bun.exe" },
];

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
  } catch {
    return "";
  }
}

function runtimeFor(t: Target): string {
  const dir = join(root, ".tmp", "bun-runtimes", t.name);
  const bin = join(dir, "node_modules", t.pkg, t.bin);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    console.log(`fetching ${t.pkg}@${bunVersion} from npm…`);
    // --force: the package declares os/cpu for its own platform only.
    execFileSync(
      "npm",
      ["install", "--no-save", "--force", "--ignore-scripts", "--prefix", dir, `${t.pkg}@${bunVersion}`],
      { stdio: "inherit" },
    );
  }
  return bin;
}

async function compile(outfile: string, cross?: { target: string; executablePath: string }): Promise<void> {
  const args = [
    "build",
    "--compile",
    "--minify",
    "--bytecode",
    "--define",
    `VAULTRUN_VERSION=${JSON.stringify(pkg.version)}`,
    "--define",
    `VAULTRUN_COMMIT=${JSON.stringify(gitCommit())}`,
    join(root, "main.ts"),
    "--outfile",
    outfile,
  ];
  if (cross) args.push("--target", cross.target, "--compile-executable-path", cross.executablePath);
  const proc = Bun.spawn([process.execPath, ...args], { cwd: root, stdout: "inherit", stderr: "inherit" });
  if ((await proc.exited) !== 0) throw new Error(`build of ${outfile} failed`);
}

mkdirSync(join(root, "dist"), { recursive: true });
if (process.argv.includes("--all")) {
  for (const t of targets) {
    const out = join(root, "dist", `vaultrun-${t.name}`);
    await compile(out, { target: t.target, executablePath: runtimeFor(t) });
    console.log(`built ${out}`);
  }
} else {
  const out = join(root, "dist", process.platform === "win32" ? "vaultrun.exe" : "vaultrun");
  await compile(out);
  console.log(`built ${out}`);
}

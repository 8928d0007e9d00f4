import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileAstToJson, parseHcl } from "../../src/config/hcl/parser.ts";

const corpus = join(import.meta.dir, "../../../shared/corpus/openbao-agent-configs");

function fixtures(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...fixtures(join(dir, e.name)));
    else if (e.name.endsWith(".hcl")) out.push(join(dir, e.name));
  }
  return out;
}

describe("HCL1 AST agrees with hashicorp/hcl v1 on every corpus fixture", () => {
  test("every fixture has its golden", () => {
    const files = fixtures(corpus);
    expect(files.length).toBeGreaterThanOrEqual(61);
    for (const f of files) expect(existsSync(f.replace(/\.hcl$/, ".ast.json"))).toBe(true);
  });
  for (const file of fixtures(corpus)) {
    const golden = file.replace(/\.hcl$/, ".ast.json");
    let want: unknown;
    try {
      want = JSON.parse(readFileSync(golden, "utf8"));
    } catch {
      continue;
    }
    test(file.slice(corpus.length + 1), () => {
      expect(fileAstToJson(parseHcl(readFileSync(file, "utf8")))).toEqual(want);
    });
  }
});

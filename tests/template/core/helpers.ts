import { compile, type Dependencies, type FuncMap, type TemplateHost } from "../../../src/template/index.ts";

export const noDeps: Dependencies = {
  secret: () => undefined,
  secrets: () => undefined,
  pkiCert: () => undefined,
};
export const host: TemplateHost = {
  env: () => undefined,
  environ: () => ({}),
  readFile: () => "",
  now: () => 0,
};

/** A tiny FuncMap standing in for Consul Template's library: `secret` returns nil (the first pass). */
export const testFuncs = (): FuncMap => ({
  secret: { signature: "func(...string) (interface {}, error)", fn: () => null },
  toUpper: { signature: "func(string) string", fn: ((s: string) => s.toUpperCase()) as never },
  join: {
    signature: "func(string, []string) string",
    fn: ((sep: string, a: string[] | null) => (a ?? []).join(sep)) as never,
  },
  fail: {
    signature: "func() (string, error)",
    fn: () => {
      throw new Error("boom");
    },
  },
  half: { signature: "func(float64) float64", fn: ((x: number) => x / 2) as never },
  data: { signature: "func() interface {}", fn: () => null },
});

/** Renders with nil data; returns output or "ERR <message>". */
export function render(
  text: string,
  opts: {
    errorOnMissingKey?: boolean;
    funcs?: () => FuncMap;
    denylist?: string[];
    left?: string;
    right?: string;
  } = {},
): string {
  try {
    return compile(
      text,
      {
        name: "",
        errorOnMissingKey: opts.errorOnMissingKey,
        functionDenylist: opts.denylist,
        leftDelim: opts.left,
        rightDelim: opts.right,
      },
      opts.funcs ?? testFuncs,
    ).execute(noDeps, host).output;
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

/**
 * url.Parse's errors, which Consul Template's vault.read (`secret` without k=v arguments) and
 * pkiCert return for their path. testdata/gourl-goldens.json holds Go's own error text for each
 * input (scripts/goldens/gourl/make-goldens.sh); every one must come out the same.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { goUrlParseError } from "../../../src/template/funcs/gourl.ts";
import { run } from "./helpers.ts";

interface Golden {
  go: string;
  cases: { input: string; err: string | null }[];
}

const goldens = (await Bun.file(join(import.meta.dir, "testdata/gourl-goldens.json")).json()) as Golden;

describe(`url.Parse errors match ${goldens.go}`, () => {
  test("the goldens cover errors and successes", () => {
    const errors = goldens.cases.filter((c) => c.err !== null).length;
    expect(errors).toBeGreaterThan(100);
    expect(goldens.cases.length - errors).toBeGreaterThan(100);
  });

  test("every input", () => {
    const mismatches = goldens.cases
      .map((c) => ({ input: c.input, go: c.err, ours: goUrlParseError(c.input) }))
      .filter((m) => m.go !== m.ours);
    expect(mismatches).toEqual([]);
  });
});

describe("Vault functions return url.Parse's error as CT does", () => {
  const secrets = { "kv/app": '{"data":{"a":"1"}}' };

  test("secret (a read) refuses a bad escape, with Go's text and nothing added", () => {
    expect(run('{{ secret "kv/%zz" }}', { secrets })).toBe(
      'ERR template: :1:3: executing "" at <secret "kv/%zz">: error calling secret: parse "kv/%zz": invalid URL escape "%zz"',
    );
  });

  test("the path is checked after trimming spaces and slashes", () => {
    expect(run('{{ secret " /1x:y/ " }}')).toBe(
      'ERR template: :1:3: executing "" at <secret " /1x:y/ ">: error calling secret: parse "1x:y": first path segment in URL cannot contain colon',
    );
    expect(run('{{ secret "kv/a\\x01b" }}')).toContain(
      'error calling secret: parse "kv/a\\x01b": net/url: invalid control character in URL',
    );
  });

  test("a write (k=v arguments, even empty ones) does not parse the path", () => {
    expect(run('{{ secret "kv/%zz" "" }}')).toBe("<no value>");
    expect(run('{{ secret "kv/%zz" "a=b" }}')).toBe("<no value>");
  });

  test("pkiCert parses its path; secrets (a list) does not", () => {
    expect(run('{{ pkiCert "pki/issue/%zz" }}')).toContain(
      'error calling pkiCert: parse "pki/issue/%zz": invalid URL escape "%zz"',
    );
    expect(run('{{ secrets "kv/%zz" }}')).toBe("[]");
  });

  test("a valid path still reads the secret", () => {
    expect(run('{{ (secret "kv/app").Data.a }}', { secrets })).toBe("1");
  });
});

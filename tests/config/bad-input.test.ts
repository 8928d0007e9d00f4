/** Bad input is a ConfigError "file:line:col: message" (exit code 1) — never a crash. */
import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config/index.ts";
import { BASE, loadError, tempDir } from "./helpers.ts";

const t = tempDir();

function rejects(name: string, text: string | Uint8Array, where: string, message: string | RegExp): void {
  const file = t.write(name, text);
  const err = loadError([file]);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.exitCode).toBe(1);
  expect(err.message.startsWith(`${file}:${where}: `)).toBe(true);
  if (typeof message === "string")
    expect(err.message.slice(file.length + where.length + 3)).toContain(message);
  else expect(err.message).toMatch(message);
}

describe("syntax errors carry file:line:col", () => {
  test("unterminated string", () =>
    rejects("s.hcl", `${BASE}pid_file = "abc\n`, "7:16", "literal not terminated"));
  test("unterminated heredoc", () =>
    rejects("h.hcl", `${BASE}template {\n  contents = <<EOT\nhello\n`, "10:1", "heredoc not terminated"));
  // hcl reports end-of-file errors one column past the end here (its scanner reads EOF twice); we agree.
  test("unterminated block", () =>
    rejects("b.hcl", `${BASE}vault {\n  address = "x"\n`, "9:2", "object expected closing RBRACE got: EOF"));
  test("unterminated comment", () => rejects("c.hcl", `${BASE}/* open`, "7:8", "comment not terminated"));
  test("illegal character", () => rejects("i.hcl", `${BASE}pid_file = @x\n`, "7:12", "illegal char"));
  test("bad escape", () => rejects("e.hcl", `pid_file = "a\\qb"\n`, "1:15", "illegal char escape"));
  test("illegal octal number", () =>
    rejects("o.hcl", `${BASE}template { perms = 0689 }\n`, "7:24", "illegal octal number"));
  test("invalid UTF-8 points at the byte", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('pid_file = "é'), 0xff, 0x22, 0x0a]);
    rejects("u.hcl", bytes, "1:14", "invalid UTF-8 encoding");
  });
  test("invalid JSON", () =>
    rejects("j.json", '{\n  "pid_file": "x",\n  "vault": [1,\n', "4:1", "unexpected end of JSON"));
  test("invalid TOML", () => rejects("t.toml", 'pid_file = "x"\nvault = {\n', "3:1", "invalid TOML"));
});

describe("empty inputs", () => {
  test("empty file", () => rejects("empty.hcl", "", "1:1", "empty configuration file"));
  test("whitespace and comments only are empty too", () =>
    rejects("blank.hcl", "  \n\n", "1:1", "empty configuration file"));
  test("empty directory", () => {
    const dir = `${t.dir}/emptydir`;
    t.write("emptydir/notes.txt", "not a config");
    const err = loadError([dir]);
    expect(err.message).toBe(
      `error loading configuration from ${dir}: no configuration files (*.hcl, *.json, *.toml) in directory`,
    );
  });
  test("missing path", () => {
    expect(loadError([`${t.dir}/nope.hcl`]).message).toBe(
      `error loading configuration from ${t.dir}/nope.hcl: no such file or directory`,
    );
  });
});

describe("wrong types", () => {
  test("bool", () =>
    rejects(
      "wt1.hcl",
      `${BASE}exit_after_auth = "maybe"\n`,
      "7:19",
      'exit_after_auth: cannot parse "maybe" as a boolean',
    ));
  test("duration", () =>
    rejects(
      "wt2.hcl",
      `${BASE}template_config { static_secret_render_interval = "soon" }\n`,
      "7:51",
      "static_secret_render_interval",
    ));
  test("allow_functions names only functions vaultrun turns off", () =>
    rejects(
      "wt8.hcl",
      `${BASE}template_config { allow_functions = ["writeToFile", "secret"] }\n`,
      "7:37",
      'template_config.allow_functions: "secret" is not a function vaultrun turns off (writeToFile, plugin)',
    ));
  test("block given a value", () =>
    rejects("wt3.hcl", `${BASE}vault = "x"\n`, "7:9", "vault: expected a block, got a value"));
  test("file mode", () =>
    rejects("wt4.hcl", `${BASE}template { perms = "rw" }\n`, "7:20", 'cannot parse "rw" as a file mode'));
  test("list where a value is expected", () =>
    rejects("wt5.hcl", `${BASE}pid_file = ["a"]\n`, "7:12", "pid_file: expected a value, got a list"));
  test("integer", () =>
    rejects(
      "wt6.hcl",
      `${BASE}vault {\n  retry { num_retries = "many" }\n}\n`,
      "8:25",
      'cannot parse "many" as an integer',
    ));
  test("signal", () =>
    rejects(
      "wt7.hcl",
      `${BASE}env_template "A" { contents = "x" }\nexec {\n  command = ["env"]\n  restart_stop_signal = "TERM"\n}\n`,
      "10:25",
      `error parsing 'exec': invalid signal "TERM" - valid signals are [SIGABRT`,
    ));
});

describe("unknown keys and blocks", () => {
  test("strict blocks reject unknown keys (template)", () =>
    rejects(
      "uk1.hcl",
      `${BASE}template {\n  destination = "/x"\n  destinaton = "/y"\n}\n`,
      "9:3",
      "has invalid keys: destinaton",
    ));
  test("strict blocks reject unknown blocks (exec)", () =>
    rejects(
      "uk2.hcl",
      `${BASE}env_template "A" { contents = "x" }\nexec {\n  command = ["env"]\n  restart_kill_signal = "SIGTERM"\n}\n`,
      "10:3",
      "has invalid keys: restart_kill_signal",
    ));
  test("unknown top-level blocks and keys elsewhere are warnings with positions", () => {
    const file = t.write(
      "uk3.hcl",
      `${BASE}vualt {\n  address = "x"\n}\nvault {\n  adress = "http://x"\n}\n`,
    );
    const { warnings } = loadConfig([file], { env: {} });
    expect(warnings.map((w) => `${w.pos.line}:${w.pos.column} ${w.message}`)).toEqual([
      '7:1 unknown key "vualt" in the top level is ignored',
      '11:3 unknown key "adress" in vault is ignored',
    ]);
  });
});

describe("duplicates", () => {
  test("a second single block is an error at the second one", () =>
    rejects(
      "d1.hcl",
      `${BASE}vault {}\nvault {}\n`,
      "8:1",
      `error parsing 'vault':one and only one "vault" block is required`,
    ));
  test("two exec blocks", () =>
    rejects(
      "d2.hcl",
      `${BASE}env_template "A" { contents = "x" }\nexec { command = ["a"] }\nexec { command = ["b"] }\n`,
      "9:1",
      `error parsing 'exec': at most one "exec" block is allowed`,
    ));
  test("two auto_auth blocks", () =>
    rejects(
      "d3.hcl",
      `${BASE}${BASE}`,
      "7:1",
      `error parsing 'auto_auth': at most one "auto_auth" block is allowed`,
    ));
  test("a repeated single key: the last wins, with a warning (Vault accepts it)", () => {
    const file = t.write("d4.hcl", `${BASE}pid_file = "/a"\npid_file = "/b"\n`);
    const { config, warnings } = loadConfig([file], { env: {} });
    expect(config.pidFile).toBe("/b");
    expect(warnings[0]!.pos.line).toBe(8);
    expect(warnings[0]!.message).toContain('duplicate key "pid_file"');
  });
});

describe("validation errors point at the offending stanza", () => {
  test("exec without env_template", () =>
    rejects(
      "v1.hcl",
      `${BASE}exec { command = ["env"] }\n`,
      "7:1",
      "error validating configuration: must specify at least one 'env_template' element with a top-level 'exec' element",
    ));
  test("a message without a stanza has no position", () => {
    const file = t.write("v2.hcl", `pid_file = "/x"\n`);
    expect(loadError([file]).message).toBe(
      "error validating configuration: no auto_auth, cache, or listener block found in config",
    );
  });
});

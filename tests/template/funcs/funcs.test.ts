/**
 * Consul Template's function library through the real engine (compile → execute), checked
 * against Go/CT facts: exact output bytes or the exact Go error text.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFuncs, SPRIG_UNSUPPORTED } from "../../../src/template/funcs/index.ts";
import { compileGoRegexp, goRegexpReplaceAll } from "../../../src/template/funcs/regexp.ts";
import { PemEncoded } from "../../../src/template/secret.ts";
import { firstPass, run, type World } from "./helpers.ts";

const kv2 =
  '{"request_id":"r1","lease_id":"","lease_duration":0,"renewable":false,"data":{"data":{"password":"s3cr3t!","port":5432,"ratio":1.50,"tags":["a","b"]},"metadata":{"version":3}},"warnings":null,"auth":null,"wrap_info":null}';
const W: World = { secrets: { "secret/app": kv2 }, env: { HOME: "/root", EMPTY: "" } };
const ok = (tpl: string, want: string, w: World = W) => expect(run(tpl, w)).toBe(want);
const fails = (tpl: string, msg: string, w: World = W) => {
  const out = run(tpl, w);
  expect(out.startsWith("ERR ")).toBe(true);
  expect(out).toContain(msg);
};

describe("vault functions", () => {
  test("KV v2 shape, json.Number text, struct printing and JSON", () => {
    ok(
      '{{ with secret "secret/app" }}{{ .Data.data.password }} {{ .Data.data.port }} {{ .Data.data.ratio }}{{ end }}',
      "s3cr3t! 5432 1.50",
    );
    ok('{{ with secret "/secret/app/ " }}{{ .Data.metadata.version }}{{ end }}', "3");
    ok(
      '{{ with secret "secret/app" }}{{ . }}{{ end }}',
      "{r1  0 false map[data:map[password:s3cr3t! port:5432 ratio:1.50 tags:[a b]] metadata:map[version:3]] [] <nil> <nil>}",
    );
    ok(
      '{{ with secret "secret/app" }}{{ . | toJSON }}{{ end }}',
      '{"RequestID":"r1","LeaseID":"","LeaseDuration":0,"Renewable":false,"Data":{"data":{"password":"s3cr3t!","port":5432,"ratio":1.50,"tags":["a","b"]},"metadata":{"version":3}},"Warnings":null,"Auth":null,"WrapInfo":null}',
    );
    fails(
      '{{ with secret "secret/app" }}{{ .Auth.ClientToken }}{{ end }}',
      "nil pointer evaluating *dependency.SecretAuth.ClientToken",
    );
  });

  test("the empty first pass: unguarded use fails, `with` renders nothing and records", () => {
    expect(firstPass('{{ (secret "secret/app").Data.data.pw | toUpper }}')).toContain(
      "invalid value; expected string",
    );
    const r = firstPass('{{ with secret "secret/app" }}x{{ end }}{{ secrets "kv/" | len }}');
    expect(typeof r).toBe("object");
    if (typeof r === "object") {
      expect(r.output).toBe("0");
      expect(r.complete).toBe(false);
      expect(r.missing.map((m) => m.key)).toEqual(["secret(secret/app)", "secrets(kv)"]);
    }
  });

  test("argument validation with CT's messages", () => {
    fails('{{ secret "" }}', 'error calling secret: vault.read: invalid format: ""');
    fails('{{ secret "/" "a=b" }}', 'vault.write: invalid format: ""');
    fails('{{ secret "a" "b" }}', 'error calling secret: not k=v pair "b"');
    fails('{{ secrets " / " }}', 'vault.list: invalid format: ""');
    ok('{{ secret }}|{{ secrets "" | toJSON }}', "<no value>|null");
  });

  test("writes pass normalised k=v args; pkiCert returns the struct value", () => {
    const w: World = { secrets: { "pki/issue/x common_name=a.b ttl=1h": '{"data":{"certificate":"C"}}' } };
    ok(
      '{{ with secret "pki/issue/x" " common_name = a.b" "" "ttl=1h" }}{{ .Data.certificate }}{{ end }}',
      "C",
      w,
    );
    const pki = new PemEncoded("CERT\n", "KEY\n", "CA\n", ["CA\n"]);
    ok(
      '{{ with pkiCert "pki/issue/r" "common_name=x" }}{{ .Cert }}{{ .Data.Key }}{{ .CAChain | len }}{{ .CaChainContains "CA\\n" }}{{ end }}',
      "CERT\nKEY\n1true",
      { pki: { "pki/issue/r": pki } },
    );
  });

  test("type errors on secret values name the type, never the value", () => {
    const out = run('{{ with secret "secret/app" }}{{ .Data.data.port | toUpper }}{{ end }}', W);
    expect(out).toContain("got json.Number");
    expect(out).not.toContain("5432");
  });
});

describe("math helpers", () => {
  test("operand order, result types, wrapping", () => {
    ok(
      "{{ subtract 1 5 }} {{ 10 | subtract 3 }} {{ divide 2 10 }} {{ divide 4 -10 }} {{ modulo 3 -10 }}",
      "4 7 5 -2 -1",
    );
    ok(
      "{{ add 1 9223372036854775807 }} {{ multiply 2 1.5 }} {{ divide 0.0 1 }}",
      "-9223372036854775808 3 +Inf",
    );
    ok(
      '{{ minimum 2.5 3 }} {{ maximum 2.5 3 }} {{ printf "%T %T" (maximum 2.5 3) (add 1 2) }}',
      "2.5 3 int64 int64",
    );
    ok('{{ subtract (parseUint "2") (parseUint "1") }}', "18446744073709551615");
  });
  test("errors: json.Number, floats in modulo, integer division by zero", () => {
    fails(
      '{{ with secret "secret/app" }}{{ add .Data.data.port 1 }}{{ end }}',
      'error calling add: add: unknown type for "5432" (json.Number)',
    );
    fails("{{ modulo 1.5 3 }}", "modulo: unknown type for %!q(float64=1.5) (float64)");
    fails("{{ divide 0 1 }}", "error calling divide: runtime error: integer divide by zero");
    fails("{{ add nil 1 }}", "add: unknown type for <invalid reflect.Value> (<nil>)");
  });
});

describe("strings", () => {
  test("Go case mapping, title, trimSpace", () => {
    ok('{{ "straße" | toUpper }} {{ "İstanbul" | toLower }} {{ "ΟΔΟΣ" | toLower }}', "STRAßE istanbul οδοσ");
    ok('{{ "hello world-foo bar_baz" | toTitle }}', "Hello World-Foo Bar_baz");
    ok('[{{ "\u00a0\u2003 x \ufeff" | trimSpace }}]', "[x \ufeff]");
    ok('{{ trim "xy" "xyaxbyx" }} {{ trimPrefix "a" "aab" }} {{ trimSuffix "b" "abb" }}', "axb ab ab");
  });
  test("split, join, splitToMap, replaceAll, indent", () => {
    ok(
      '{{ split "," " a,b,,c " | join "|" }} {{ split "," "" | len }} {{ split "" "ab" }}',
      "a|b||c 0 [a b]",
    );
    ok('{{ "a=1,b=2=3,c" | splitToMap "," "=" }}', "map[a:1 b:2=3]");
    ok('{{ replaceAll "" "-" "abc" }} {{ replaceAll "a" "b" "aaa" }}', "-a-b-c- bbb");
    ok('{{ indent 2 "a\\nb\\n\\nc" }}', "  a\n  b\n\n  c");
    fails('{{ indent -1 "a" }}', "indent value must be a positive integer");
    fails(
      '{{ with secret "secret/app" }}{{ .Data.data.tags | join "," }}{{ end }}',
      "expected []string; got []interface {}",
    );
  });
  test("regexes: RE2 syntax translated, Go expansion and empty-match rules", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go regexp expansion syntax, not JS
    ok('{{ regexReplaceAll "(?P<k>\\\\w+)=(\\\\w+)" "${k}:$2 $1x" "a=b c=d" }}', "a:b  c:d ");
    ok('{{ regexReplaceAll "b*" "-" "abc" }} {{ regexReplaceAll "" "-" "ab" }}', "-a-c- -a-b-");
    ok(
      '{{ regexMatch "(?i)^HELLO$" "hello" }} {{ regexMatch "^a$" "a\\n" }} {{ regexMatch "[[:alpha:]]+" "12" }}',
      "true false false",
    );
    ok(
      '{{ regexMatch "\\\\s" "\u00a0" }} {{ regexMatch "a.c" "a\\rc" }} {{ regexMatch "a{,2}" "a{,2}" }}',
      "false true true",
    );
    fails('{{ regexMatch "(?=x)" "x" }}', "error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    fails('{{ regexMatch "(a)\\\\1" "x" }}', "error parsing regexp: invalid escape sequence: `\\1`");
    fails('{{ regexMatch "a**" "x" }}', "error parsing regexp: invalid nested repetition operator: `**`");
  });
  test("regex translator details", () => {
    const err = (p: string) => {
      try {
        compileGoRegexp(p);
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err("(")).toBe("error parsing regexp: missing closing ): `(`");
    expect(err("a)")).toBe("error parsing regexp: unexpected ): `a)`");
    expect(err("*a")).toBe("error parsing regexp: missing argument to repetition operator: `*`");
    expect(err("[a")).toBe("error parsing regexp: missing closing ]: `[a`");
    expect(err("a{1001}")).toBe("error parsing regexp: invalid repeat count: `{1001}`");
    expect(err("[z-a]")).toBe("error parsing regexp: invalid character class range: `z-a`");
    expect(err("\\Z")).toBe("error parsing regexp: invalid escape sequence: `\\Z`");
    expect(goRegexpReplaceAll("x(?i)a|b", "X", "xAaBb")).toBe("XaXX");
    expect(goRegexpReplaceAll("(?m)^b$", "X", "a\nb\r\nb")).toBe("a\nb\r\nX");
    expect(goRegexpReplaceAll("[]a]", "X", "]a")).toBe("XX");
    expect(goRegexpReplaceAll("\\Qa.b\\E", "X", "a.bacb")).toBe("Xacb");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go regexp expansion syntax, not JS
    expect(goRegexpReplaceAll("(?P<1a>x)", "[$1a|${1a}]", "x")).toBe("[x|x]");
  });
});

describe("encodings and parsing", () => {
  test("JSON out: HTML escaping, floats, pretty form", () => {
    ok(
      '{{ toJSON "<a&b>\u2028" }} {{ toUnescapedJSON "<a&b>" }}',
      '"\\u003ca\\u0026b\\u003e\\u2028" "<a&b>"',
    );
    ok(
      "{{ toJSON 1e21 }} {{ toJSON 0.0000001 }} {{ toJSON 1000000.0 }} {{ toJSON -0.0 }}",
      "1e+21 1e-7 1000000 -0",
    );
    ok('{{ with secret "secret/app" }}{{ .Data.data.tags | toJSONPretty }}{{ end }}', '[\n  "a",\n  "b"\n]');
    ok('{{ toJSONPretty (parseJSON "{}") }} {{ split "," "" | toJSON }}', "{} []");
    fails('{{ toJSON (parseFloat "NaN") }}', "error calling toJSON: toJSON: json: unsupported value: NaN");
  });
  test("JSON in: float64 numbers and Go's scanner errors", () => {
    ok(
      '{{ parseJSON "1000000" }} {{ parseJSON `{"b":[1,2.5,"x"],"a":null}` }} {{ parseJSON "" }}',
      "1e+06 map[a:<nil> b:[1 2.5 x]] map[]",
    );
    ok("{{ parseJSON `[1,2]` | contains 1 }} {{ parseJSON `[1,2]` | contains 1.0 }}", "false true");
    fails(
      '{{ parseJSON `{"a":}` }}',
      "error calling parseJSON: invalid character '}' looking for beginning of value",
    );
    fails("{{ parseJSON `[1` }}", "unexpected end of JSON input");
    // Go's scanner ends the input with a space, which is the error inside a literal.
    fails("{{ parseJSON `tru` }}", "invalid character ' ' in literal true (expecting 'e')");
    fails("{{ parseJSON `1 2` }}", "invalid character '2' after top-level value");
  });
  test("YAML and TOML", () => {
    ok(
      '{{ with secret "secret/app" }}{{ .Data.data | toYAML }}{{ end }}',
      "password: s3cr3t!\nport: 5432\nratio: 1.5\ntags:\n- a\n- b",
    );
    ok(
      '{{ parseJSON `{"a10":"true","a9":"x: y","b":{"c":"multi\\nline"},"e":[]}` | toYAML }}',
      "a9: 'x: y'\na10: \"true\"\nb:\n  c: |-\n    multi\n    line\ne: []",
    );
    ok('{{ parseJSON `{"a":1,"t":{"x":"y"}}` | toTOML }}', 'a = 1.0\n\n[t]\n  x = "y"');
    ok('{{ (parseYAML "a: 1\\nb: [x, y]").b }}', "[x true]"); // YAML 1.1 (yaml.v2): y is a bool
  });
  test("base64, hashes, parse*", () => {
    ok(
      '{{ base64Encode "hi?" }} {{ base64Decode "aGk/" }} {{ base64URLEncode "hi?" }} {{ base64URLDecode "aGk_" }}',
      "aGk/ hi? aGk_ hi?",
    );
    fails('{{ base64Decode "aGk" }}', "base64Decode: illegal base64 data at input byte 0");
    fails('{{ base64Decode "a$==" }}', "illegal base64 data at input byte 1");
    ok(
      '{{ md5sum "a" }} {{ hmacSHA256Hex "msg" "key" }}',
      "0cc175b9c0f1b6a831c399e269772661 2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628",
    );
    ok(
      '{{ parseBool "" }} {{ parseBool "T" }} {{ parseInt "-12" }} {{ parseFloat "1_000.5" }} {{ parseFloat "0x1p-2" }}',
      "false true -12 1000.5 0.25",
    );
    fails('{{ parseBool "yes" }}', 'parseBool: strconv.ParseBool: parsing "yes": invalid syntax');
    fails(
      '{{ parseInt "9223372036854775808" }}',
      'parseInt: strconv.ParseInt: parsing "9223372036854775808": value out of range',
    );
    fails('{{ parseUint "-1" }}', 'parseUint: strconv.ParseUint: parsing "-1": invalid syntax');
  });
});

describe("environment, files, time", () => {
  test("env family reads only the host", () => {
    ok(
      '{{ env "HOME" }}|{{ env "NOPE" }}|{{ envOrDefault "EMPTY" "d" }}|{{ envOrDefault "NOPE" "d" }}',
      "/root|||d",
    );
    fails('{{ mustEnv "EMPTY" }}', "required environment variable EMPTY is empty");
  });
  test("timestamp uses Go layouts on host.now() in UTC", () => {
    ok('{{ timestamp }} {{ timestamp "unix" }}', "2024-01-02T03:04:05Z 1704164645");
    ok(
      '{{ timestamp "2006-01-02 15:04:05.000 MST Mon Jan _2 3PM .999 Z07:00 002" }}',
      "2024-01-02 03:04:05.067 UTC Tue Jan  2 3AM .067 Z 002",
    );
    // Go: "Jan"/"Mon" before a lower-case letter are text (checked against Go's time.Format).
    ok('{{ timestamp "Janet Monday Mondo Jan2" }}', "Janet Tuesday Mondo Jan2");
    fails('{{ timestamp "a" "b" }}', "timestamp: wrong number of arguments, expected 0 or 1, but got 2");
  });
  test("file honours sandbox_path, resolving symlinks", () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultrun-file-"));
    mkdirSync(join(dir, "box"));
    writeFileSync(join(dir, "outside.txt"), "no");
    symlinkSync(join(dir, "outside.txt"), join(dir, "box", "link"));
    const inside = join(dir, "box", "in.txt");
    const w: World = { sandboxPath: join(dir, "box"), files: {} };
    writeFileSync(inside, "yes");
    const real = (p: string) => require("node:fs").realpathSync(p) as string;
    w.files = { [real(inside)]: "yes" };
    ok(`{{ file " ${inside} " }}`, "yes", w);
    fails(
      `{{ file "${join(dir, "box", "link")}" }}`,
      `'${join(dir, "box", "link")}' is outside of sandbox`,
      w,
    );
    fails(`{{ file "${join(dir, "box", "nope")}" }}`, "failed to resolve target path: lstat", w);
    ok('{{ file "" }}', "", w);
  });
});

describe("collections", () => {
  test("contains/in match by Go kind; containsAll family needs []interface{}", () => {
    ok(
      '{{ with secret "secret/app" }}{{ .Data.data.tags | contains "a" }} {{ containsAll (parseJSON `["a","b"]`) .Data.data.tags }} {{ containsAny (parseJSON `["z"]`) .Data.data.tags }} {{ containsNone (parseJSON `["z"]`) .Data.data.tags }} {{ containsNotAll (parseJSON `["a","z"]`) .Data.data.tags }}{{ end }}',
      "true true false true true",
    );
    ok(
      '{{ with secret "secret/app" }}{{ .Data.data.ratio | in "x1.50" }} {{ in "x1.50" "1.50" }}{{ end }}',
      "false true",
    );
    fails('{{ containsAll (split "," "a") "a" }}', "expected []interface {}; got []string");
  });
  test("explodeMap, mergeMap, loop, scratch", () => {
    ok('{{ explodeMap (parseJSON `{"a/b":1,"a/c":2,"d":3,"x/":4}`) }}', "map[a:map[b:1 c:2] d:3 x:map[]]");
    fails(
      '{{ explodeMap (parseJSON `{"a":"1","a/b":2}`) }}',
      'explodeMap: not a map: "a/b": "a" already has value "1"',
    );
    ok('{{ mergeMap (parseJSON `{"a":1,"b":""}`) (parseJSON `{"a":2,"b":"x","c":3}`) }}', "map[a:1 b:x c:3]");
    ok('{{ mergeMapWithOverride (parseJSON `{"a":1,"b":2}`) (parseJSON `{"a":5}`) }}', "map[a:5 b:2]");
    ok(
      '{{ range loop 3 }}{{ . }}{{ end }} {{ range $i, $v := loop 5 7 }}{{ $i }}:{{ $v }} {{ end }}{{ range loop "2" }}x{{ end }}',
      "012 0:5 1:6 xx",
    );
    fails("{{ loop 1.5 }}", "loop: bad argument type: float64");
    fails("{{ loop }}", "loop: wrong number of arguments, expected 1 or 2, but got 0");
    ok(
      '{{ $s := scratch }}{{ $s.Set "a" 1 }}{{ $s.SetX "a" 2 }}{{ $s.MapSet "m" "z" 1 }}{{ $s.MapSetX "m" "z" 9 }}{{ $s.MapSet "m" "a" 2 }}{{ $s.Get "a" }} {{ $s.MapValues "m" }} {{ $s.Key "a" }} {{ $s.Key "b" }}',
      "1 [2 1] true false",
    );
    fails('{{ scratch.Set "a" 1 }}{{ scratch.MapSet "a" "k" 1 }}', '"a" is not a map');
  });
  test("executeTemplate", () => {
    ok(
      '{{ define "t" }}[{{ . }}]{{ end }}{{ executeTemplate "t" "x" }}{{ executeTemplate "t" }}',
      "[x][<no value>]",
    );
    fails(
      '{{ executeTemplate "t" 1 2 }}',
      "executeTemplate: wrong number of arguments, expected 1 or 2, but got 3",
    );
  });
});

describe("sprig, Consul/Nomad and refused functions", () => {
  test("common sprig functions with Sprig's argument order", () => {
    ok(
      '{{ sprig_default "x" "" }} {{ sprig_default "x" "y" }} {{ sprig_upper "a" }} {{ sprig_quote "a" 1 }} {{ sprig_sub 5 1 }}',
      'x y A "a" "1" 4',
    );
    ok(
      '{{ sprig_dict "a" 1 "b" | toJSON }} {{ sprig_list 1 "a" }} {{ sprig_ternary "y" "n" true }} {{ "a\\nb" | sprig_indent 2 }}',
      '{"a":1,"b":""} [1 a] y   a\n  b',
    );
    ok(
      '{{ sprig_splitList "," "a,b" }} {{ sprig_b64enc "hi" }} {{ sprig_toString 5 }} {{ sprig_trimAll "x" "xax" }}',
      "[a b] aGk= 5 a",
    );
    // Every hermetic Sprig function is implemented (tests/template/funcs/sprig-*.test.ts).
    expect(SPRIG_UNSUPPORTED).toEqual([]);
  });
  test("Consul/Nomad names parse (even unexecuted) and fail clearly when called", () => {
    ok('{{ if false }}{{ key "x" }}{{ service "db" }}{{ nomadVar "x" }}{{ end }}ok', "ok");
    fails('{{ key "x" }}', "key: Consul and Nomad functions are not available in Vault Agent templates");
    fails('{{ key "a" "b" }}', "wrong number of args for key: want 1 got 2");
    fails(
      '{{ plugin "ls" }}',
      'error calling plugin: plugin: running programs from templates is turned off in vaultrun; enable it with template_config { allow_functions = ["plugin"] }',
    );
    ok('{{ plugin "" }}', ""); // CT: an empty name is a no-op
    // writeToFile checks its arguments as CT does before anything is written.
    fails(
      '{{ "x" | writeToFile "/tmp/x" "" "" "rw" }}',
      'error calling writeToFile: strconv.ParseUint: parsing "rw": invalid syntax',
    );
    fails(
      '{{ "x" | writeToFile "/tmp/x" "" "" "0o644" }}',
      'strconv.ParseUint: parsing "0o644": invalid syntax',
    );
    fails(
      '{{ writeToFile "/tmp/x" "" "" "0644" }}',
      "error calling writeToFile: runtime error: index out of range [-1]",
    );
    fails(
      '{{ "x" | writeToFile "/tmp/x" "" "" "0644" }}',
      "writeToFile: writing files from templates is turned off in vaultrun",
    );
    ok("{{ byTag nil }}", "map[]");
  });
  test("every function has a parseable Go signature", () => {
    const funcs = createFuncs({} as never);
    for (const [name, g] of Object.entries(funcs)) {
      expect(g.signature.startsWith("func("), name).toBe(true);
    }
    // Sprig 3.3.0's HermeticTxtFuncMap: 194 names (push and mustPush included).
    expect(Object.keys(funcs).filter((n) => n.startsWith("sprig_")).length).toBe(194);
  });
});

/**
 * The toTOML golden cases, written as the JSON document main.go reads:
 *   bun scripts/goldens/toml/cases.ts > cases.json
 * (gen.sh runs the whole pipeline). Three kinds of input:
 *   - JSON documents as dot, decoded with UseNumber as Vault data is (numbers are json.Number);
 *   - values built in the template by CT's helpers (split, parseJSON's float64s, parseInt's
 *     int64, parseYAML's map[interface {}]interface {}, loop's channel) and Sprig's (list, dict);
 *   - `secret` results, the *dependency.Secret structs.
 * Every JSON text is kept as written, so number literals (1.50, 1e3, 2^70) reach both sides alike.
 */

interface Case {
  id: string;
  tpl: string;
  data?: string;
}

const datasets: Record<string, string> = {};
const cases: Case[] = [];

/** A JSON document encoded as dot: `{{ toTOML . }}`. */
function doc(id: string, json: string): void {
  datasets[id] = json;
  cases.push({ id, tpl: "{{ toTOML . }}", data: id });
}

/** A template (values built with functions); `data` names a dataset for dot. */
function tpl(id: string, text: string, data?: string): void {
  cases.push(data === undefined ? { id, tpl: text } : { id, tpl: text, data });
}

function numbered(prefix: string, items: string[], add: (id: string, item: string) => void): void {
  items.forEach((item, i) => {
    add(`${prefix}-${String(i + 1).padStart(3, "0")}`, item);
  });
}

// --- Layout: key order, tables, arrays of tables, indentation, blank lines ----------------------
numbered(
  "layout",
  [
    "{}",
    '{"a":1}',
    '{"x":{"y":{"z":1}}}',
    '{"b":2,"a":"one","c":[1,2]}',
    '{"z":1,"a":{"k":1},"m":[{"n":1}],"b":[1,2],"c":"s"}',
    '{"t":{"b":2},"u":{"c":3}}',
    '{"a":1,"t":{"b":2}}',
    '{"t":{"u":{"v":{"w":{"deep":true}}}}}',
    '{"t":{"a":1,"u":{"b":2},"c":3}}',
    '{"t":{"u":[{"a":1},{"a":2}]}}',
    '{"arr":[{"a":1},{"a":2}],"t":{}}',
    '{"t":{}}',
    '{"t":{},"u":{}}',
    '{"t":{"u":{}}}',
    '{"arr":[{}]}',
    '{"arr":[{},{}]}',
    '{"arr":[{"x":{"y":1}}]}',
    '{"arr":[{"in":[{"a":1},{"b":2}]}]}',
    '{"arr":[{"a":1,"t":{"b":2},"in":[{"c":3}]}],"z":0}',
    '{"a":{"b":{"c":[{"d":{"e":1}}]}}}',
    '{"a":[{"b":[{"c":[{"d":1}]}]}]}',
    '{"x":{"k":"v","y":{"k":"v"}},"w":{"k":"v"}}',
    '{"a":{"x":1},"b":[{"y":2}],"c":{"z":3}}',
    '{"b":[{"y":2}],"a":[{"x":1}]}',
    '{"a":{"b":1},"A":{"b":2},"_":{"b":3},"-":{"b":4},"0":{"b":5}}',
    '{"mixed":[{"a":1},2],"tbl":{"k":1}}',
    '{"t":{"list":[1,2],"inner":{"list":[3]}}}',
    '{"data":{"data":{"user":"admin","password":"p@ss","port":5432,"ratio":1.50,"tags":["a","b"],"nested":{"k":"v"},"nothing":null},"metadata":{"created_time":"2024-01-01T00:00:00Z","deletion_time":"","destroyed":false,"version":3,"custom_metadata":null}}}',
    '{"servers":[{"name":"a","ip":"10.0.0.1","ports":[80,443]},{"name":"b","ip":"10.0.0.2","ports":[]}],"owner":{"name":"Tom","dob":"1979-05-27T07:32:00-08:00"}}',
    '{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":"deep"}}}}}}}}',
    '{"top":[{"mid":{"low":[{"v":1}],"x":1}},{"mid":{"low":[]}}]}',
  ],
  doc,
);

// --- Keys: bare vs quoted, escapes inside quoted keys, byte order ------------------------------
numbered(
  "keys",
  [
    '{"with space":1,"with-dash":2,"under_score":3,"ünï":4,"":5,"10":6,"9":7}',
    '{"a.b":1,"a\\"b":2,"a\\\\b":3,"a\'b":4,"a=b":5,"a#b":6,"[x]":7}',
    '{"tab\\tkey":1,"nl\\nkey":2,"nul\\u0000":3,"del\\u007f":4,"esc\\u001b":5,"bs\\b":6,"ff\\f":7,"cr\\r":8,"vt\\u000b":9}',
    '{"ключ":1,"鍵":2,"😀":3,"é":4,"e\\u0301":5}',
    '{"B":1,"a":2,"_":3,"-":4,"0":5,"Z":6,"z":7,"aa":8,"a-b":9,"a_b":10,"~":11,"é":12,"\\u00ff":13,"\\u0100":14,"\\uffff":15,"\\ud83d\\ude00":16,"\\ue000":17}',
    '{"__proto__":1,"constructor":2,"toString":3,"hasOwnProperty":4,"valueOf":5}',
    '{"a b":{"c d":{"e":1}}}',
    '{"":{"":{"":1}}}',
    '{"a.b":{"c.d":[{"e.f":1}]}}',
    '{"quote\\"d":{"k":1},"back\\\\slash":[{"k":2}]}',
    '{"t":{"with space":1,"ünï":{"x":1}}}',
    '{"\\u0080":1,"\\u2028":2,"\\ufeff":3,"\\ufffd":4}',
    '{"inline":[{"a b":1,"":2,"é":3},1]}',
    '{"TRUE":true,"true":false,"1e3":1,"-1":2,"inf":3,"nan":4}',
  ],
  doc,
);

// --- Strings -----------------------------------------------------------------------------------
const ctl = Array.from({ length: 32 }, (_, i) => `\\u${i.toString(16).padStart(4, "0")}`).join("");
numbered(
  "strings",
  [
    '{"s":""}',
    '{"s":"plain"}',
    '{"s":"quote \\" and back\\\\slash and \'single\'"}',
    `{"s":"${ctl}"}`,
    '{"s":"del\\u007f c1\\u0080\\u009f nbsp\\u00a0 ls\\u2028 ps\\u2029 bom\\ufeff rep\\ufffd"}',
    '{"s":"multi\\nline\\nstring\\n"}',
    '{"s":"tab\\there\\r\\n"}',
    '{"s":"héllo, 世界 😀"}',
    '{"s":"<a href=\\"x\\">Tom & \'Jerry\'</a>"}',
    '{"s":"\\\\u0041 not an escape"}',
    '{"s":"trailing space   ","t":"   leading"}',
    '{"s":"\\"\\"\\"triple\\"\\"\\""}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${x} in the data
    '{"s":"$HOME ${x} {{ y }} #comment"}',
    '{"s":"\\ud800 lone surrogate"}',
    '{"list":["a","b\\"c","d\\\\e","\\u0000","ü"]}',
    '"top-level string"',
    '""',
    '"\\u0001 \\" \\\\ \\n"',
    '{"s":"   "}',
    '{"s":"\\n\\n"}',
  ],
  doc,
);

// --- Numbers: json.Number as Vault data carries them ------------------------------------------
numbered(
  "numbers",
  [
    "0",
    "-0",
    "1",
    "-1",
    "42",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "1180591620717411303424",
    "123456789012345678901234567890",
    "1.0",
    "1.50",
    "-1.5",
    "0.1",
    "0.5",
    "-0.0",
    "0.0",
    "1e3",
    "1E3",
    "1e+3",
    "1e-3",
    "1.5e-7",
    "1e-7",
    "0.000001",
    "0.0000001",
    "1e20",
    "1e21",
    "1e22",
    "1e100",
    "1.7976931348623157e308",
    "1e308",
    "1e309",
    "-1e400",
    "1e-400",
    "5e-324",
    "2.2250738585072014e-308",
    "123456789.123456789",
    "3.141592653589793238462643383279",
    "100.0e-2",
    "0e0",
    "0e-5",
    "-0e0",
    "1.0000000000000002",
    "9007199254740993",
    "9007199254740993.0",
    "0.30000000000000004",
    "12345678901234567890.5",
    "1e0",
    "2.5E+10",
  ],
  (id, n) => {
    doc(id, `{"n":${n}}`);
    doc(`${id}-top`, n);
    doc(`${id}-list`, `{"l":[${n},1]}`);
  },
);

// --- Other scalars, nil, empty containers ------------------------------------------------------
numbered(
  "scalars",
  [
    '{"t":true,"f":false}',
    '{"n":null}',
    '{"n":null,"a":1}',
    '{"a":{"n":null}}',
    '{"a":{"n":null,"b":{"n":null}}}',
    '{"e":[]}',
    '{"e":{}}',
    '{"e":[],"f":{},"g":""}',
    "true",
    "false",
    "null",
    "[]",
    "{}",
    '{"a":[[]]}',
    '{"a":[{}],"b":[[{}]]}',
  ],
  doc,
);

// --- Arrays: plain, mixed, nested, of tables, with nil ----------------------------------------
numbered(
  "arrays",
  [
    '{"a":[1,2,3]}',
    '{"a":["a","b"]}',
    '{"a":[1,"two",3.5,true]}',
    '{"a":[null]}',
    '{"a":[1,null]}',
    '{"a":[[1,2],["a"]]}',
    '{"a":[[1,[2,[3,[]]]]]}',
    '{"a":[[null]]}',
    '{"a":[{"b":1},{"c":2}]}',
    '{"a":[{"b":1},2]}',
    '{"a":[2,{"b":1}]}',
    '{"a":[{"b":1},null]}',
    '{"a":[null,{"b":1}]}',
    '{"a":[[{"b":1}]]}',
    '{"a":[[{"b":1},{"c":[1,2]}]]}',
    '{"a":[{"b":1,"c":null},1]}',
    '{"a":[{"c":null,"b":1},1]}',
    '{"a":[{"b":null},1]}',
    '{"a":[{"b":null,"c":null},1]}',
    '{"a":[{"t":{"x":1},"a":1},1]}',
    '{"a":[{"t":{"x":1},"a":null},1]}',
    '{"a":[{"t":{"x":1},"u":{"y":2}},1]}',
    '{"a":[{"t":[{"x":1}],"s":"v"},1]}',
    '{"a":[{"t":[{"x":1},2]},1]}',
    '{"a":[{"t":{}},1]}',
    '{"a":[{},1]}',
    '{"a":[{"x":{"y":{"z":null}}},1]}',
    '{"a":[{"l":[null]},1]}',
    '{"a":[{"l":[1,null]}]}',
    '{"a":[{"b":{"l":[null]}}]}',
    '{"a":{"b":[null]}}',
    '{"a":[{"b":[]}]}',
    '{"a":[[],[[]],{}]}',
    '{"a":[{"k":"v"}],"b":[{"k":"v"},"s"]}',
    '{"a":[1.5,1e3,-0.0,0.1,1e21]}',
    '{"a":[9223372036854775808,1e400]}',
    '{"a":[{"n":1e400}]}',
    '{"a":{"n":1e400}}',
    '{"a":[{"t":{"n":null},"m":[1]},"x"]}',
    "[1,2,3]",
    '["a","b"]',
    '[1,"a",null]',
    "[null]",
    '[{"a":1}]',
    '[{"a":1},2]',
    "[[1],[2]]",
    '[[{"a":1}]]',
    '[{"a":1},{"b":{"c":2}}]',
    "[[]]",
    "[{}]",
  ],
  doc,
);

// --- Values built in the template: Go types other than JSON's -----------------------------------
numbered(
  "built",
  [
    '{{ toTOML (split "," "a,b") }}',
    '{{ toTOML (split "," "") }}',
    '{{ toTOML (split "," "  a , b ") }}',
    '{{ toTOML (splitToMap "," "=" "b=1,a=2") }}',
    '{{ toTOML (splitToMap "," "=" "") }}',
    '{{ toTOML (splitToMap "," "=" "k=v with space,q=\\"x\\",e=") }}',
    '{{ toTOML "x" }}',
    '{{ toTOML "" }}',
    '{{ toTOML "a\\tb\\x00\\x7f" }}',
    "{{ toTOML 1 }}",
    "{{ toTOML -1 }}",
    "{{ toTOML 0x10 }}",
    "{{ toTOML 'a' }}",
    "{{ toTOML 1.5 }}",
    "{{ toTOML 1.0 }}",
    "{{ toTOML 1e21 }}",
    "{{ toTOML 1e-7 }}",
    "{{ toTOML 0.1 }}",
    "{{ toTOML 100.0 }}",
    "{{ toTOML true }}",
    "{{ toTOML false }}",
    "{{ toTOML nil }}",
    "{{ toTOML .missing }}",
    "{{ toTOML 1i }}",
    '{{ toTOML (parseInt "5") }}',
    '{{ toTOML (parseInt "-9223372036854775808") }}',
    '{{ toTOML (parseUint "18446744073709551615") }}',
    '{{ toTOML (parseFloat "1.5") }}',
    '{{ toTOML (parseFloat "3") }}',
    '{{ toTOML (parseFloat "1e300") }}',
    '{{ toTOML (parseFloat "inf") }}',
    '{{ toTOML (parseFloat "-Inf") }}',
    '{{ toTOML (parseFloat "NaN") }}',
    '{{ toTOML (parseFloat "-0") }}',
    '{{ toTOML (parseFloat "5e-324") }}',
    '{{ toTOML (parseFloat "1.7976931348623157e308") }}',
    '{{ toTOML (parseBool "true") }}',
    '{{ toTOML (parseJSON "{\\"a\\":1,\\"b\\":1.5,\\"c\\":1e21,\\"d\\":12345678901234567890,\\"e\\":-0.0,\\"f\\":1e-7}") }}',
    '{{ toTOML (parseJSON "[1,2.5,\\"x\\"]") }}',
    '{{ toTOML (parseJSON "[{\\"a\\":1}]") }}',
    '{{ toTOML (parseJSON "{\\"a\\":[{\\"b\\":1},{\\"b\\":2}],\\"c\\":{\\"d\\":null}}") }}',
    '{{ toTOML (parseJSON "") }}',
    '{{ toTOML (parseJSON "null") }}',
    '{{ toTOML (parseJSON "\\"s\\"") }}',
    '{{ toTOML (parseJSON "7") }}',
    '{{ toTOML (parseYAML "a: 1") }}',
    '{{ toTOML (parseYAML "{}") }}',
    '{{ toTOML (parseYAML "[1, 2]") }}',
    '{{ toTOML (parseYAML "[1, 2.5, x, true, 1e3]") }}',
    '{{ toTOML (parseYAML "- a: 1") }}',
    '{{ toTOML (parseYAML "[{a: 1}, 2]") }}',
    '{{ toTOML (parseYAML "x") }}',
    '{{ toTOML (parseYAML "~") }}',
    '{{ toTOML (parseYAML "[[1, 2], [x]]") }}',
    '{{ toTOML (sprig_dict "y" (parseYAML "a: 1")) }}',
    '{{ toTOML (sprig_dict "y" (parseYAML "[{a: 1}]")) }}',
    '{{ toTOML (sprig_dict "y" (parseYAML "[{a: 1}, 2]")) }}',
    '{{ toTOML (sprig_dict "y" (parseYAML "[1, null]")) }}',
    '{{ toTOML (sprig_dict "t" (parseYAML "2001-12-14t21:59:43.10-05:00")) }}',
    '{{ toTOML (sprig_dict "big" (parseYAML "18446744073709551615")) }}',
    "{{ toTOML (loop 3) }}",
    '{{ toTOML (sprig_dict "c" (loop 2)) }}',
    "{{ toTOML (sprig_list (loop 2)) }}",
    '{{ toTOML (sprig_dict "c" 1i) }}',
    "{{ toTOML (sprig_list 1i) }}",
    '{{ toTOML (sprig_dict "l" (sprig_list 1i)) }}',
    "{{ toTOML (sprig_list 1 2) }}",
    '{{ toTOML (sprig_list 1 "a" 1.5 true) }}',
    '{{ toTOML (sprig_list 1 "a" nil) }}',
    "{{ toTOML (sprig_list) }}",
    '{{ toTOML (sprig_list (sprig_dict "a" 1) (sprig_dict "b" 2)) }}',
    '{{ toTOML (sprig_list (sprig_list (sprig_dict "a" 1))) }}',
    '{{ toTOML (sprig_dict "a" 1 "b" (sprig_list 1 2)) }}',
    '{{ toTOML (sprig_dict "t" (sprig_dict "x" 1)) }}',
    '{{ toTOML (sprig_dict "arr" (sprig_list (sprig_dict "a" 1) (sprig_dict "a" 2))) }}',
    '{{ toTOML (sprig_dict "k" (parseInt "5") "u" (parseUint "7") "f" 2.0 "i" 3) }}',
    '{{ toTOML (sprig_dict "f" (parseFloat "inf") "g" (parseFloat "-inf") "n" (parseFloat "nan")) }}',
    '{{ toTOML (sprig_dict "z" (parseFloat "-0") "l" (sprig_list (parseFloat "-0") 0.0)) }}',
    '{{ toTOML (sprig_dict "n" nil "a" 1) }}',
    '{{ toTOML (sprig_dict "s" (split "," "a,b") "e" (split "," "")) }}',
    '{{ toTOML (sprig_dict "m" (splitToMap "," "=" "b=1,a=2") "e" (splitToMap "," "=" "")) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (splitToMap "," "=" "b=1,a=2"))) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (splitToMap "," "=" "b=1") 1)) }}',
    "{{ toTOML (sprig_until 3) }}",
    '{{ toTOML (sprig_dict "u" (sprig_until 3) "e" (sprig_until 0)) }}',
    '{{ toTOML (sprig_splitList "," "a,,b") }}',
    '{{ toTOML (sprig_dict "a" (sprig_atoi "12") "b" (sprig_int64 "13") "c" (sprig_float64 "1.25")) }}',
    '{{ toTOML (sprig_toStrings (sprig_list 1 "a" nil)) }}',
    '{{ toTOML (sprig_dict "n" (sprig_list (sprig_list))) }}',
    '{{ toTOML (sprig_dict "x" (sprig_dict)) }}',
    '{{ toTOML (sprig_dict "x" (sprig_dict "y" (sprig_dict))) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_dict) 1)) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_dict "a" nil) 1)) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_dict "a" 1 "b" nil) 1)) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_dict "a" nil "b" 1) 1)) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_dict "a" nil "t" (sprig_dict "k" 1)) 1)) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_dict "a" 1 "t" (sprig_dict "k" 1)) 1)) }}',
    '{{ toTOML (sprig_dict "d" (sprig_toDate "2006-01-02T15:04:05Z07:00" "2024-01-02T03:04:05.5+02:00")) }}',
    '{{ toTOML (sprig_toDate "2006-01-02T15:04:05Z07:00" "2024-01-02T03:04:05Z") }}',
    '{{ toTOML (sprig_list (sprig_toDate "2006-01-02T15:04:05.999999999Z07:00" "2024-01-02T03:04:05.123456789-07:30")) }}',
    '{{ toTOML (sprig_dict "a" (base64Decode "/w==") "b" "ok") }}',
    '{{ toTOML (sprig_dict (base64Decode "/w==") 1 "a" 2) }}',
    '{{ toTOML (sprig_dict (base64Decode "YcO/") 1 (base64Decode "Yf8=") 2 "a" 3) }}',
    '{{ toTOML (sprig_dict "k" (sprig_list "x" (base64Decode "gA=="))) }}',
    '{{ toTOML (sprig_semver "v1.2.3-rc.1+build.5") }}',
    '{{ toTOML (sprig_dict "v" (sprig_semver "1.2.3") "w" (sprig_semver "v2.0.0").IncMajor) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_semver "1.2.3") "x")) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list (sprig_semver "1.2.3"))) }}',
    "{{ toTOML . }}",
    "{{ toTOML }}",
    '{{ toTOML "a" "b" }}',
    '{{ toTOML (sprig_dict "a" 1) | printf "%q" }}',
    '{{ (sprig_dict "a" (sprig_dict "b" 1)) | toTOML }}',
    '{{ toTOML (sprig_dict "v" .) }}',
  ],
  (id, text) => tpl(id, text),
);

// Values reached through dot, so the executor's own typing (json.Number, nil) is in play.
datasets.mixed =
  '{"n":7,"f":1.50,"s":"str","l":[1,2],"nil":null,"m":{"b":2,"a":1},"e":{},"objs":[{"k":1},{"k":2}]}';
numbered(
  "dot",
  [
    "{{ toTOML .n }}",
    "{{ toTOML .f }}",
    "{{ toTOML .s }}",
    "{{ toTOML .l }}",
    "{{ toTOML .nil }}",
    "{{ toTOML .m }}",
    "{{ toTOML .e }}",
    "{{ toTOML .objs }}",
    "{{ toTOML .nope }}",
    "{{ toTOML (index .objs 0) }}",
    '{{ toTOML (sprig_dict "wrapped" .) }}',
    '{{ toTOML (sprig_dict "l" (sprig_list .m .n)) }}',
    "{{ range $k, $v := . }}{{ $k }}:{{ toTOML $v }};{{ end }}",
    "{{ with .m }}{{ toTOML . }}{{ end }}",
  ],
  (id, text) => tpl(id, text, "mixed"),
);

// --- `secret`: *dependency.Secret and its parts -------------------------------------------------
const secrets: Record<string, string> = {
  "kv/app":
    '{"request_id":"req-1","lease_id":"","lease_duration":0,"renewable":false,"data":{"data":{"user":"admin","password":"s3cr3t<&>","port":5432,"ratio":1.50,"enabled":true,"tags":["a","b"],"nested":{"k":"v"},"nothing":null,"big":123456789012345678901234567890},"metadata":{"created_time":"2024-01-01T00:00:00.000000Z","destroyed":false,"version":3}},"warnings":null}',
  "kv1/db":
    '{"request_id":"req-2","lease_id":"kv1/db/abc","lease_duration":2764800,"renewable":true,"data":{"username":"u","password":"p","ttl":3600},"warnings":["w1","w2"]}',
  empty: '{"request_id":"req-3","data":{}}',
  "auth/token/lookup":
    '{"request_id":"req-4","data":{"id":"tok"},"auth":{"client_token":"tok","accessor":"acc","policies":["default","p1"],"metadata":{"role":"r","a b":"c"},"lease_duration":60,"renewable":true}}',
  "auth/bare":
    '{"request_id":"req-5","data":{"id":"x"},"auth":{"client_token":"","accessor":"","policies":[],"metadata":{},"lease_duration":0,"renewable":false}}',
  wrapped:
    '{"request_id":"req-6","data":{"k":"v"},"wrap_info":{"token":"wtok","ttl":300,"creation_time":"2024-01-02T03:04:05.123456789Z","wrapped_accessor":"wacc"}}',
  "wrapped/offset":
    '{"request_id":"req-7","data":{"k":"v"},"wrap_info":{"token":"wtok","ttl":300,"creation_time":"2024-01-02T03:04:05+05:30","wrapped_accessor":"wacc"}}',
};
numbered(
  "secret",
  [
    '{{ toTOML (secret "kv/app") }}',
    '{{ toTOML (secret "kv/app").Data }}',
    '{{ toTOML (secret "kv/app").Data.data }}',
    '{{ with secret "kv/app" }}{{ .Data.data | toTOML }}{{ end }}',
    '{{ toTOML (secret "kv/app").Data.metadata }}',
    '{{ toTOML (secret "kv1/db") }}',
    '{{ toTOML (secret "kv1/db").Warnings }}',
    '{{ toTOML (secret "kv/app").Warnings }}',
    '{{ toTOML (secret "empty") }}',
    '{{ toTOML (secret "empty").Data }}',
    '{{ toTOML (secret "auth/token/lookup") }}',
    '{{ toTOML (secret "auth/token/lookup").Auth }}',
    '{{ toTOML (secret "auth/token/lookup").Auth.Metadata }}',
    '{{ toTOML (secret "auth/token/lookup").Auth.Policies }}',
    '{{ toTOML (secret "auth/bare") }}',
    '{{ toTOML (secret "auth/bare").Auth.Metadata }}',
    '{{ toTOML (secret "kv/app").Auth }}',
    '{{ toTOML (secret "wrapped") }}',
    '{{ toTOML (secret "wrapped").WrapInfo }}',
    '{{ toTOML (secret "wrapped").WrapInfo.CreationTime }}',
    '{{ toTOML (secret "wrapped/offset") }}',
    '{{ toTOML (secret "nope") }}',
    '{{ toTOML (sprig_dict "s" (secret "kv1/db")) }}',
    '{{ toTOML (sprig_dict "s" (sprig_list (secret "kv1/db") (secret "wrapped"))) }}',
    '{{ toTOML (sprig_dict "s" (sprig_list (secret "kv1/db") 1)) }}',
    '{{ toTOML (sprig_dict "s" (sprig_list (secret "auth/token/lookup") 1)) }}',
    '{{ toTOML (sprig_dict "s" (sprig_list (secret "empty") 1)) }}',
    '{{ toTOML (sprig_dict "s" (sprig_list (secret "wrapped").WrapInfo 1)) }}',
    '{{ toTOML (sprig_dict "s" (sprig_list (secret "nope"))) }}',
    '{{ toTOML (sprig_dict "s" (secret "nope")) }}',
    '{{ toTOML (sprig_list (secret "kv1/db")) }}',
    '{{ toTOML (sprig_list (secret "kv1/db") 1) }}',
  ],
  (id, text) => tpl(id, text),
);

// --- Seeded random documents: the layout rules in combination -----------------------------------
/** mulberry32: a small seeded generator, so the cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDocument(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const KEYS = ["a", "b", "Z", "k1", "k-2", "k_3", "x y", "é", "", "1", "a.b", 'q"', "ü"];
  const SCALARS = ["0", "-3", "42", "1.5", "1e3", "-0.0", "1e21", "9223372036854775808", "true", "false"];
  const STRINGS = ['"s"', '""', '"a\\nb"', '"tab\\t"', '"\\u0001"', '"ü 😀"', '"q\\"uote"'];
  const value = (depth: number, inArray: boolean): string => {
    const r = rand();
    if (depth > 3 || r < 0.4) {
      const s = rand();
      // nil is rare in arrays: one makes the whole document an error.
      if (s < (inArray ? 0.01 : 0.08)) return "null";
      return s < 0.55 ? pick(SCALARS) : pick(STRINGS);
    }
    if (r < 0.65) return object(depth + 1);
    if (r < 0.8) {
      const n = Math.floor(rand() * 3) + (rand() < 0.1 ? 0 : 1);
      return `[${Array.from({ length: n }, () => object(depth + 1)).join(",")}]`;
    }
    const n = Math.floor(rand() * 4);
    return `[${Array.from({ length: n }, () => value(depth + 1, true)).join(",")}]`;
  };
  const object = (depth: number): string => {
    const n = Math.floor(rand() * (depth > 2 ? 3 : 5));
    const keys = [...new Set(Array.from({ length: n }, () => pick(KEYS)))];
    return `{${keys.map((k) => `${JSON.stringify(k)}:${value(depth, false)}`).join(",")}}`;
  };
  return object(0);
}

{
  const rand = rng(20250101);
  for (let i = 1; i <= 150; i++) doc(`random-${String(i).padStart(3, "0")}`, randomDocument(rand));
}

if (import.meta.main) {
  process.stdout.write(JSON.stringify({ datasets, secrets, cases }));
}

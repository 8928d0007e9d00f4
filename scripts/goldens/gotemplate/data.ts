/**
 * The fixed inputs every golden case runs against: a data set for `.` (decoded in Go with
 * json.Decoder.UseNumber, so numbers are json.Number) and Vault responses served by `secret`.
 * Kept as JSON text so both sides decode the exact same bytes.
 */

const std = {
  str: "hello",
  empty: "",
  space: "  padded text \n",
  num: 42,
  neg: -7,
  zero: 0,
  float: "FLOAT",
  exp: "EXP",
  big: "BIG",
  t: true,
  f: false,
  nil: null,
  list: ["a", "b", "c"],
  nums: [3, 1, 2],
  mixed: [1, "two", 3.5, true, null, { k: "v" }, ["x"]],
  emptyList: [],
  map: { b: 2, a: "one", c: [1, 2] },
  nested: { x: { y: { z: "deep" } } },
  emptyMap: {},
  html: `<a href="x">Tom & 'Jerry'</a>`,
  uni: "héllo, 世界 😀",
  csv: "a,b,,c",
  json: '{"a":[1,2,{"b":null}],"c":1.5e3,"d":"x<y"}',
  yaml: "a: 1\nb: [x, y]\nc:\n  d: true\n",
  b64: "aGVsbG8gd29ybGQ=",
  tabs: "a\tb\nc",
  ctl: "nul\u0000bell\u0007del\u007f",
  numstr: "123",
  floatstr: "1.5",
  boolstr: "true",
  keys: { Upper: 1, lower: 2, "with space": 3, "with-dash": 4, ünï: 5, "": 6, "10": 7, "9": 8 },
  proto: { constructor: "c", toString: "t", hasOwnProperty: "h", valueOf: "v" },
  list2: [["a", "b"], ["c"]],
  objs: [
    { name: "x", port: 1 },
    { name: "y", port: 2 },
  ],
  slashes: { "a/b": "1", "a/c": "2", d: "3" },
};

/** JSON texts: number literals that JS would rewrite (1.50, 1e3, 2^70) are spliced in as text. */
export const DATASETS: Record<string, string> = {
  std: JSON.stringify(std)
    .replace('"FLOAT"', "1.50")
    .replace('"EXP"', "1e3")
    .replace('"BIG"', "1180591620717411303424")
    // A "__proto__" key, which JSON.parse keeps as an own property.
    .replace('"proto":{', '"proto":{"__proto__":"p",'),
  scalar: '"just a string"',
  number: "7",
  list: '[1,"a",null]',
  null: "null",
};

export const SECRETS: Record<string, string> = {
  // KV v2 as Vault returns it: data + metadata envelope.
  "kv/app": JSON.stringify({
    request_id: "req-1",
    lease_id: "",
    lease_duration: 0,
    renewable: false,
    data: {
      data: {
        user: "admin",
        password: "s3cr3t<&>",
        port: "PORT",
        ratio: "RATIO",
        enabled: true,
        tags: ["a", "b"],
        nested: { k: "v" },
        nothing: null,
        big: "BIG",
        zero: 0,
      },
      metadata: { created_time: "2024-01-01T00:00:00.000000Z", destroyed: false, version: 3 },
    },
    warnings: null,
  })
    .replace('"PORT"', "5432")
    .replace('"RATIO"', "1.50")
    .replace('"BIG"', "123456789012345678901234567890"),
  "kv1/db": JSON.stringify({
    request_id: "req-2",
    lease_id: "kv1/db/abc",
    lease_duration: 2764800,
    renewable: true,
    data: { username: "u", password: "p", ttl: 3600 },
    warnings: ["w1", "w2"],
  }),
  empty: JSON.stringify({ request_id: "req-3", data: {} }),
  "auth/token/lookup": JSON.stringify({
    request_id: "req-4",
    data: { id: "tok" },
    auth: {
      client_token: "tok",
      accessor: "acc",
      policies: ["default", "p1"],
      metadata: { role: "r" },
      lease_duration: 60,
      renewable: true,
    },
  }),
  "auth/bare": JSON.stringify({
    request_id: "req-5",
    data: { id: "x" },
    auth: { client_token: "", accessor: "", policies: [], metadata: {}, lease_duration: 0, renewable: false },
  }),
  wrapped: JSON.stringify({
    request_id: "req-6",
    data: { k: "v" },
    wrap_info: {
      token: "wtok",
      ttl: 300,
      creation_time: "2024-01-02T03:04:05.123456789Z",
      wrapped_accessor: "wacc",
    },
  }),
};

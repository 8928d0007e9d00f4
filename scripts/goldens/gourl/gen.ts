/**
 * Writes the inputs for the url.Parse goldens: hand-picked Vault-path shapes plus seeded random
 * strings over the characters url.Parse treats specially. Run by make-goldens.sh.
 */
const CURATED = [
  "kv/app",
  "kv/%zz",
  "kv/%4",
  "kv/%",
  "kv/a%20b",
  "kv/a%2Fb",
  "kv/app?version=2",
  "kv/app?version=%zz",
  "kv/app?",
  "kv/app??",
  "kv/app#frag",
  "kv/app#%zz",
  "kv/%zz#%yy",
  "kv/app#a#b",
  "kv/a\u0001b",
  "kv/a\u007fb",
  "kv/a\tb",
  ":kv",
  "1kv:x",
  "kv_x:y/z",
  "kv:x",
  "kv:x/%zz",
  "kv://host/x",
  "kv://host:80/x",
  "kv://host:x/y",
  "kv://[::1]/x",
  "kv://[::1/x",
  "kv://[::1]x/y",
  "kv://[fe80::1%25en0]/x",
  "kv://[fe80::1%25%zz]/x",
  "kv://[fe80::1%25%41]/x",
  "kv://[fe80::1%25%c3]/x",
  "kv://ho st/x",
  "kv://ho%41st/x",
  "kv://ho%c3st/x",
  "kv://user@host/x",
  "kv://us er@host/x",
  "kv://us%zzer@host/x",
  "kv://u:p%zz@host/x",
  "kv://ü@host/x",
  "kv:/x/%zz",
  "kv:///x",
  "a/b:c",
  "a:b:c",
  "kv/é%zé",
  "kv/%é",
  "kv/\u00e9:x",
  "é:x",
  "*",
  "kv/%E9",
  "kv/%e9%",
];

const ALPHABET = [
  "a",
  "b",
  "K",
  "1",
  "/",
  ":",
  "%",
  "?",
  "#",
  "@",
  "[",
  "]",
  ".",
  "-",
  "+",
  " ",
  "2",
  "5",
  "f",
  "z",
  "é",
  "_",
  "~",
];

function* randomInputs(n: number, seed: number): Generator<string> {
  let s = seed >>> 0;
  const next = () => {
    // xorshift32: deterministic, so the goldens only change when this file does.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const len = 1 + (next() % 14);
    let str = "";
    for (let j = 0; j < len; j++) str += ALPHABET[next() % ALPHABET.length];
    // Some with a scheme and authority, to reach the host and userinfo checks.
    yield i % 4 === 0 ? `kv://${str}` : str;
  }
}

console.log(JSON.stringify([...CURATED, ...randomInputs(600, 0x2545f491)]));

export {}; // a module, so its names stay its own

/**
 * Writes the inputs of the toTitle goldens as a JSON array of hex-encoded strings: hand-picked
 * words and punctuation, every ASCII byte between letters, and seeded random strings over
 * characters of each class (plus bytes that are not UTF-8). Run by make-table.sh.
 */
const CURATED = [
  "this is a sentence",
  "exp:1e3",
  "__proto__:p",
  "a,b,,c",
  "<a href=\"x\">Tom & 'Jerry'</a>",
  "hello world",
  "HELLO wORLD",
  "123abc 1a2b",
  "o'neil's x.y.z a:b:c a::b a..b a''b a.'b",
  "don’t stop·go",
  "ßtraße ŉx ǆemal ǈj ǉ ǰx ﬁsh ﬂow և",
  "ᾳ ᾀ ῼ ῳ ΐ",
  "ǅungla Ǆ ǅ ǆ",
  "this is a sentence\u2026and another sentence\u2026with a \u{1f680}rocket",
  "tab\tnew\nline\r\nx\u00a0y\u2028z",
  "x\u0301y e\u0301 \u0345a",
  "日本語 text カタカナ ひらがな",
  "ﾃｽﾄ test",
  "a\u200db a\u200cb a\u00adb",
  "$x @y #z %w ^v &u *t (s) [r] {q} |p \\o /n ~m `l -k +j =i !h ?g ;f ,e",
  "_a a_b __c 9_d",
  "İstanbul ıi",
  "\u{10428}x \u{10400}y",
  "1.5e3 0x1F 3rd",
];

const CLASSES = [
  ["a", "b", "Z", "é", "ß", "ǆ", "ǅ", "ﬁ", "σ", "Ω", "\u0345", "ᾳ", "İ", "ı", "\u{10428}"], // cased
  ["1", "_", "\u0301", "\u200d", "\u00ad", "日", "ª"], // letter-like or ignorable
  ["'", ".", ":", "·", "\u2019", "\u2024", "\ufe55"], // mid
  [" ", ",", ";", "-", "/", "\t", "!", "カ", "\u00a0", "\u{1f680}", "\u2028"], // breaks
];

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const utf8 = (s: string) => new TextEncoder().encode(s);

const inputs: string[] = CURATED.map((s) => hex(utf8(s)));
for (let b = 0; b < 0x80; b++) inputs.push(hex(Uint8Array.from([0x61, 0x62, b, 0x63, 0x64, b, b, 0x65])));

let seed = 0x9e3779b9;
const next = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
};
const INVALID = [[0xff], [0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f]];
for (let i = 0; i < 500; i++) {
  const parts: number[] = [];
  const len = 1 + (next() % 12);
  for (let j = 0; j < len; j++) {
    if (i % 5 === 0 && next() % 8 === 0) {
      parts.push(...INVALID[next() % INVALID.length]!);
      continue;
    }
    const cls = CLASSES[next() % CLASSES.length]!;
    parts.push(...utf8(cls[next() % cls.length]!));
  }
  inputs.push(hex(Uint8Array.from(parts)));
}
console.log(JSON.stringify(inputs));

export {}; // a module, so its names stay its own

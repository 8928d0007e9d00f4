/**
 * map[interface{}]interface{} — what yaml.v2 decodes every YAML mapping into.
 *
 * The template engine models Go maps as plain objects with string keys (value.ts). A YAML map is
 * such an object too, so field access, index with a string, range and printing work unchanged
 * for the usual all-string keys. Two non-enumerable tags carry what a plain object cannot:
 *
 *   [GO_KEY_TYPE]  "interface {}" — the Go key type (reflect's name for it), so the map's type
 *                  reads map[interface {}]interface {} (see typeName in gotype.ts).
 *   [GO_MAP_KEYS]  Map<property, key> for keys that are not strings (int 80, bool true, nil,
 *                  float 1.5, uint64): the property is the key as %v prints it ("80", "true",
 *                  "<nil>", "1.5") and the Map holds the Go value for sorting, emitting and
 *                  lookups by typed key.
 *
 * Two keys that print alike but differ in type (80 and "80") are distinct in Go; here the later
 * one wins. Real documents do not mix them.
 */
import { formatFloat } from "../../fmt.ts";
import { GoTyped } from "../../value.ts";

export const GO_KEY_TYPE = Symbol.for("vaultrun.goKeyType");
export const GO_MAP_KEYS = Symbol.for("vaultrun.goMapKeys");

/** A Go value usable as a map key here: nil, bool, int, float64, string, uint64. */
export type GoKey = null | boolean | bigint | number | string | GoTyped;

type Tagged = Record<string, unknown> & { [GO_KEY_TYPE]?: string; [GO_MAP_KEYS]?: Map<string, GoKey> };

export function newInterfaceMap(): Record<string, unknown> {
  const m = Object.create(null) as Record<string, unknown>;
  Object.defineProperty(m, GO_KEY_TYPE, { value: "interface {}", enumerable: false });
  return m;
}

/** Whether a value is a map made by newInterfaceMap. */
export function isInterfaceMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && (v as Tagged)[GO_KEY_TYPE] === "interface {}";
}

/** The key as fmt's %v prints it. */
export function keyName(key: GoKey): string {
  if (typeof key === "string") return key;
  if (key === null) return "<nil>";
  if (typeof key === "number") return formatFloat(key, "g", -1);
  if (key instanceof GoTyped) return String(key.value);
  return String(key);
}

export function setEntry(m: Record<string, unknown>, key: GoKey, value: unknown): void {
  const name = keyName(key);
  const t = m as Tagged;
  let keys = t[GO_MAP_KEYS];
  if (typeof key !== "string") {
    if (keys === undefined) {
      keys = new Map();
      Object.defineProperty(m, GO_MAP_KEYS, { value: keys, enumerable: false });
    }
    keys.set(name, key);
  } else keys?.delete(name);
  m[name] = value;
}

/** The Go key stored under a property name (the name itself for string keys). */
export function goKeyOf(m: object, name: string): GoKey {
  const keys = (m as Tagged)[GO_MAP_KEYS];
  if (keys === undefined) return name;
  const k = keys.get(name);
  return k === undefined ? name : k;
}

/**
 * Consul Template's toTOML: BurntSushi/toml's Encoder over the value (toml/encode.ts), its
 * errors wrapped as pkg/errors.Wrap(err, "toTOML") words them, the document trimmed of
 * surrounding white space. A Go panic inside the encoder (a nil value reaching reflect) is
 * reported by text/template as it is, without the prefix.
 */
import { goTrimSpace } from "./gostrings.ts";
import { encodeToml, TomlEncodeError } from "./toml/encode.ts";

export { encodeToml as toToml } from "./toml/encode.ts";

export function ctToToml(v: unknown): string {
  try {
    return goTrimSpace(encodeToml(v));
  } catch (e) {
    if (e instanceof TomlEncodeError) throw new Error(`toTOML: ${e.message}`);
    throw e;
  }
}

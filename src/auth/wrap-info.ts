import type { WrapInfo } from "../vault/types.ts";

/** The wrap_info as Vault's Go client serialises it (field order and names of api.SecretWrapInfo). */
export function wrapInfoJson(w: WrapInfo): string {
  return JSON.stringify({
    token: w.token,
    accessor: w.accessor,
    ttl: w.ttl,
    creation_time: w.creation_time,
    creation_path: w.creation_path,
    wrapped_accessor: w.wrapped_accessor ?? "",
  });
}

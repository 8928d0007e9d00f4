/**
 * The Go structs Consul Template hands to templates (spec template-semantics §3):
 * `*dependency.Secret` from `secret`, and `dependency.PemEncoded` from `pkiCert`. Field names and
 * nil-ness follow CT: empty `data` leaves Data nil, empty warnings leave Warnings nil, Auth and
 * WrapInfo are nil unless the response had them.
 */
import type { JsonNumber } from "../common/json.ts";
import type { VaultResponse } from "../vault/types.ts";
import { GoStruct, typedMap, typedSlice } from "./value.ts";

export class SecretAuth extends GoStruct {
  readonly goType = "*dependency.SecretAuth";
  constructor(
    readonly ClientToken: string,
    readonly Accessor: string,
    readonly Policies: string[] | null,
    readonly Metadata: Record<string, string> | null,
    readonly LeaseDuration: bigint,
    readonly Renewable: boolean,
  ) {
    super();
  }
}

export class SecretWrapInfo extends GoStruct {
  readonly goType = "*dependency.SecretWrapInfo";
  constructor(
    readonly Token: string,
    readonly TTL: bigint,
    readonly CreationTime: string,
    readonly WrappedAccessor: string,
  ) {
    super();
  }
}

export class Secret extends GoStruct {
  readonly goType = "*dependency.Secret";
  static readonly fieldOrder = ["RequestID", "LeaseID", "LeaseDuration", "Renewable", "Data", "Warnings", "Auth", "WrapInfo"];
  constructor(
    readonly RequestID: string,
    readonly LeaseID: string,
    readonly LeaseDuration: bigint,
    readonly Renewable: boolean,
    readonly Data: Record<string, unknown> | null,
    readonly Warnings: string[] | null,
    readonly Auth: SecretAuth | null,
    readonly WrapInfo: SecretWrapInfo | null,
  ) {
    super();
  }

  /** Builds the template's view of a Vault response (numbers in `data` stay JsonNumber). */
  static fromVault(resp: VaultResponse): Secret {
    const data = resp.data && Object.keys(resp.data).length > 0 ? resp.data : null;
    const warnings = resp.warnings && resp.warnings.length > 0 ? typedSlice("string", [...resp.warnings]) : null;
    const a = resp.auth;
    const auth = a
      ? new SecretAuth(
          a.client_token ?? "",
          a.accessor ?? "",
          a.policies && a.policies.length ? typedSlice("string", [...a.policies]) : null,
          a.metadata && Object.keys(a.metadata).length ? typedMap("string", { ...a.metadata }) : null,
          BigInt(Math.trunc(Number(a.lease_duration ?? 0))),
          Boolean(a.renewable),
        )
      : null;
    const w = resp.wrap_info;
    const wrap = w ? new SecretWrapInfo(w.token ?? "", BigInt(Math.trunc(Number(w.ttl ?? 0))), w.creation_time ?? "", w.wrapped_accessor ?? "") : null;
    return new Secret(
      resp.request_id ?? "",
      resp.lease_id ?? "",
      BigInt(Math.trunc(Number(resp.lease_duration ?? 0))),
      Boolean(resp.renewable),
      data as Record<string, unknown> | null,
      warnings,
      auth,
      wrap,
    );
  }
}

/** dependency.PemEncoded (a struct value, so always truthy). `.Data` returns itself. */
export class PemEncoded extends GoStruct {
  readonly goType = "dependency.PemEncoded";
  override readonly goMethods = ["Data"] as const;
  static readonly fieldOrder = ["Cert", "Key", "CA", "CAChain"];
  readonly CAChain: string[];
  constructor(
    readonly Cert: string,
    readonly Key: string,
    readonly CA: string,
    caChain: string[],
  ) {
    super();
    this.CAChain = typedSlice("string", caChain);
  }
  Data(): PemEncoded {
    return this;
  }
}

export type { JsonNumber };

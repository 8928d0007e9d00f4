/**
 * The Go structs Consul Template hands to templates (spec template-semantics §3):
 * `*dependency.Secret` from `secret`, and `dependency.PemEncoded` from `pkiCert`. Field names,
 * order and nil-ness follow CT's copy of the API response (updateSecret): empty `data` leaves
 * Data a nil map (prints `map[]`), empty warnings a nil []string, Auth and WrapInfo nil pointers
 * unless the response had them — typed nils, so `.Auth.ClientToken` fails as Go's does.
 */
import { JsonNumber } from "../common/json.ts";
import type { VaultResponse } from "../vault/types.ts";
import { parseRfc3339 } from "./funcs/gotime.ts";
import { SprigTime } from "./funcs/sprig/dates.ts";
import {
  type GoFunc,
  type GoNil,
  GoStruct,
  GoTime,
  registerStructFields,
  typedMap,
  typedNil,
  typedSlice,
} from "./value.ts";

/** Go's `int` from a JSON number that may arrive as a JS number, a JsonNumber or a string. */
function goInt(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  const n = v instanceof JsonNumber ? Number(v.text) : Number(v ?? 0);
  return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
}

function stringList(v: readonly unknown[] | null | undefined): string[] | GoNil {
  return v && v.length > 0 ? typedSlice("string", v.map(String)) : typedNil("[]string");
}

const SECRET_FIELDS = [
  "RequestID",
  "LeaseID",
  "LeaseDuration",
  "Renewable",
  "Data",
  "Warnings",
  "Auth",
  "WrapInfo",
] as const;
const AUTH_FIELDS = [
  "ClientToken",
  "Accessor",
  "Policies",
  "Metadata",
  "LeaseDuration",
  "Renewable",
] as const;
const WRAP_INFO_FIELDS = ["Token", "TTL", "CreationTime", "WrappedAccessor"] as const;

export class SecretAuth extends GoStruct {
  readonly goType = "*dependency.SecretAuth";
  override readonly goFields = AUTH_FIELDS;
  constructor(
    readonly ClientToken: string,
    readonly Accessor: string,
    readonly Policies: string[] | GoNil,
    readonly Metadata: Record<string, string> | GoNil,
    readonly LeaseDuration: bigint,
    readonly Renewable: boolean,
  ) {
    super();
  }
}

export class SecretWrapInfo extends GoStruct {
  readonly goType = "*dependency.SecretWrapInfo";
  override readonly goFields = WRAP_INFO_FIELDS;
  constructor(
    readonly Token: string,
    readonly TTL: bigint,
    readonly CreationTime: GoTime,
    readonly WrappedAccessor: string,
  ) {
    super();
  }
}

/** Go's zero time.Time (0001-01-01 00:00:00 UTC). */
const ZERO_TIME_MS = -62135596800000;

export class Secret extends GoStruct {
  readonly goType = "*dependency.Secret";
  override readonly goFields = SECRET_FIELDS;
  constructor(
    readonly RequestID: string,
    readonly LeaseID: string,
    readonly LeaseDuration: bigint,
    readonly Renewable: boolean,
    readonly Data: Record<string, unknown> | GoNil,
    readonly Warnings: string[] | GoNil,
    readonly Auth: SecretAuth | GoNil,
    readonly WrapInfo: SecretWrapInfo | GoNil,
  ) {
    super();
  }

  /**
   * Builds the template's view of a Vault response. `data` is used as is (JSON numbers should
   * already be JsonNumber leaves; KV v2 keeps its `data`/`metadata` envelope).
   */
  static fromVault(resp: VaultResponse): Secret {
    const data =
      resp.data && typeof resp.data === "object" && Object.keys(resp.data).length > 0
        ? resp.data
        : typedNil("map[string]interface {}");
    const a = resp.auth;
    const auth = a
      ? new SecretAuth(
          a.client_token ?? "",
          a.accessor ?? "",
          stringList(a.policies),
          a.metadata && Object.keys(a.metadata).length > 0
            ? typedMap("string", { ...(a.metadata as Record<string, string>) })
            : typedNil("map[string]string"),
          goInt(a.lease_duration),
          a.renewable === true,
        )
      : typedNil("*dependency.SecretAuth");
    const w = resp.wrap_info;
    const wrap = w
      ? new SecretWrapInfo(
          w.token ?? "",
          goInt(w.ttl),
          // A time.Time with its methods (.Unix, .Format …), as templates can call them in Go.
          SprigTime.of(parseRfc3339(String(w.creation_time ?? "")) ?? new GoTime(ZERO_TIME_MS)),
          w.wrapped_accessor ?? "",
        )
      : typedNil("*dependency.SecretWrapInfo");
    return new Secret(
      resp.request_id ?? "",
      resp.lease_id ?? "",
      goInt(resp.lease_duration),
      resp.renewable === true,
      data as Record<string, unknown> | GoNil,
      stringList(resp.warnings),
      auth,
      wrap,
    );
  }
}

// Secret.Auth and Secret.WrapInfo are typed nil pointers unless Vault's answer had them; reading
// a field through one fails differently for a field the struct has and one it has not.
registerStructFields("*dependency.Secret", SECRET_FIELDS);
registerStructFields("*dependency.SecretAuth", AUTH_FIELDS);
registerStructFields("*dependency.SecretWrapInfo", WRAP_INFO_FIELDS);

/** dependency.PemEncoded: a struct value (always truthy). `.Data` returns itself, as in CT. */
export class PemEncoded extends GoStruct {
  readonly goType = "dependency.PemEncoded";
  override readonly goFields = ["Cert", "Key", "CA", "CAChain"] as const;
  override readonly goMethods = ["Data", "Equals", "CaChainContains"] as const;
  readonly CAChain: string[] | GoNil;
  readonly Data: GoFunc = {
    signature: "func() dependency.PemEncoded",
    fn: (() => this) as never,
  };
  readonly Equals: GoFunc = {
    signature: "func(dependency.PemEncoded) bool",
    fn: ((o: PemEncoded) => {
      const a = Array.isArray(this.CAChain) ? this.CAChain : [];
      const b = Array.isArray(o.CAChain) ? o.CAChain : [];
      return (
        this.Cert === o.Cert &&
        this.Key === o.Key &&
        this.CA === o.CA &&
        a.length === b.length &&
        a.every((x, i) => x === b[i])
      );
    }) as never,
  };
  readonly CaChainContains: GoFunc = {
    signature: "func(string) bool",
    fn: ((item: string) => Array.isArray(this.CAChain) && this.CAChain.includes(item)) as never,
  };
  constructor(
    readonly Cert: string,
    readonly Key: string,
    readonly CA: string,
    caChain: string[] | null,
  ) {
    super();
    this.CAChain = caChain && caChain.length > 0 ? typedSlice("string", caChain) : typedNil("[]string");
  }
}

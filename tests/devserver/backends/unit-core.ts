/**
 * A small CoreServices for calling backends directly through the Backend interface: the token
 * issuer records what it was asked for and returns an AuthResult shaped like the core's.
 */
import { randomUUID } from "node:crypto";
import { FakeClock } from "../../../src/clock/clock.ts";
import type {
  Backend,
  BackendRequest,
  BackendResponse,
  CoreServices,
  IssueTokenOptions,
  Operation,
  TokenEntry,
} from "../../../src/devserver/types.ts";
import { BackendError } from "../../../src/devserver/types.ts";

export interface UnitCore extends CoreServices {
  clock: FakeClock;
  issued: { opts: IssueTokenOptions; path: string }[];
}

export function unitCore(clock = new FakeClock()): UnitCore {
  const issued: { opts: IssueTokenOptions; path: string }[] = [];
  return {
    clock,
    issued,
    randomId: () => randomUUID(),
    log: () => {},
    issueToken(opts, path) {
      issued.push({ opts, path });
      return {
        client_token: `hvs.${randomUUID()}`,
        accessor: randomUUID(),
        policies: opts.policies,
        token_policies: opts.policies,
        metadata: opts.meta ?? null,
        lease_duration: opts.ttl || 2764800,
        renewable: opts.type !== "batch",
        entity_id: "",
        token_type: opts.type ?? "service",
        orphan: true,
        mfa_requirement: null,
        num_uses: opts.numUses ?? 0,
      };
    },
  };
}

const METHOD: Record<Operation, string> = {
  read: "GET",
  list: "LIST",
  create: "POST",
  update: "POST",
  delete: "DELETE",
  patch: "PATCH",
};

export interface CallOptions {
  token?: TokenEntry | null;
  peerCertificateDer?: Uint8Array;
}

/** Invokes one backend operation the way the core would. */
export async function call(
  backend: Backend,
  mountPath: string,
  operation: Operation,
  path: string,
  body: Record<string, unknown> = {},
  opts: CallOptions = {},
): Promise<BackendResponse> {
  const req: BackendRequest = {
    operation,
    method: METHOD[operation],
    path,
    fullPath: `${mountPath}${path}`,
    mountPath,
    body,
    query: {},
    token: opts.token ?? null,
    peerCertificateDer: opts.peerCertificateDer,
    headers: new Headers(),
  };
  return await backend.handle(req);
}

/** The BackendError an operation fails with (fails the test when it succeeds). */
export async function callError(
  backend: Backend,
  mountPath: string,
  operation: Operation,
  path: string,
  body: Record<string, unknown> = {},
  opts: CallOptions = {},
): Promise<BackendError> {
  try {
    await call(backend, mountPath, operation, path, body, opts);
  } catch (e) {
    if (e instanceof BackendError) return e;
    throw e;
  }
  throw new Error(`expected ${operation} ${path} to fail`);
}

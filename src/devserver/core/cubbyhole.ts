/**
 * cubbyhole/: a private key/value space per token. Nobody else — not even root — sees it, and it
 * disappears with the token (the core calls `purge` on revocation).
 */
import { listKeys } from "../paths.ts";
import { type Backend, BackendError, type BackendRequest, type BackendResponse } from "../types.ts";

export class Cubbyhole implements Backend {
  readonly type = "cubbyhole";
  private byToken = new Map<string, Map<string, Record<string, unknown>>>();

  purge(tokenId: string): void {
    this.byToken.delete(tokenId);
  }

  handle(req: BackendRequest): BackendResponse {
    const owner = req.token?.id ?? "";
    const store = this.byToken.get(owner);
    const key = req.path.replace(/\/+$/, "");
    switch (req.operation) {
      case "read": {
        const d = store?.get(key);
        if (!d) throw new BackendError(404, "");
        return { data: { ...d } };
      }
      case "list": {
        const keys = listKeys(store?.keys() ?? [], key);
        if (keys.length === 0) throw new BackendError(404, "");
        return { data: { keys } };
      }
      case "create":
      case "update": {
        if (key === "") throw new BackendError(405, "unsupported operation");
        if (Object.keys(req.body).length === 0) throw new BackendError(400, "missing data fields");
        const s = store ?? new Map<string, Record<string, unknown>>();
        s.set(key, { ...req.body });
        this.byToken.set(owner, s);
        return { status: 204 };
      }
      case "delete":
        store?.delete(key);
        return { status: 204 };
      default:
        throw new BackendError(405, "unsupported operation");
    }
  }
}

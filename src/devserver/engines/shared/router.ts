/**
 * A tiny path router for backends: each route is a regular expression over the mount-relative
 * path with one handler per operation kind. Unknown paths and operations fail with Vault's
 * texts and statuses (404 "unsupported path", 405 "unsupported operation").
 */
import type { BackendRequest, BackendResponse } from "../../types.ts";
import { BackendError } from "../../types.ts";

export type Handler = (req: BackendRequest, params: string[]) => BackendResponse | Promise<BackendResponse>;

export interface Route {
  pattern: RegExp;
  read?: Handler;
  list?: Handler;
  /** create and update (Vault routes both to the same callback on these paths). */
  write?: Handler;
  delete?: Handler;
}

const multiError = (msg: string) => `1 error occurred:\n\t* ${msg}\n\n`;

export function dispatch(routes: Route[], req: BackendRequest): BackendResponse | Promise<BackendResponse> {
  const path = req.path.replace(/^\/+/, "").replace(/\/+$/, "");
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const kind =
      req.operation === "read"
        ? r.read
        : req.operation === "list"
          ? r.list
          : req.operation === "delete"
            ? r.delete
            : r.write;
    if (!kind) throw new BackendError(405, multiError("unsupported operation"));
    return kind(req, m.slice(1));
  }
  throw new BackendError(404, multiError("unsupported path"));
}

/** Vault's answer for a read of something that does not exist: 404 with an empty error list. */
export function notFound(): BackendResponse {
  return { raw: { status: 404, body: '{"errors":[]}', contentType: "application/json" } };
}

export function noContent(): BackendResponse {
  return { status: 204 };
}

export function listResponse(keys: Iterable<string>): BackendResponse {
  const sorted = [...keys].sort();
  if (sorted.length === 0) return notFound();
  return { data: { keys: sorted } };
}

/** Vault's logical.ErrorResponse: 400 with the message. */
export function badRequest(message: string): BackendError {
  return new BackendError(400, message);
}

/**
 * The list/read/write/delete routes of a case-insensitive named collection (`role/<name>`,
 * `certs/<name>`): LIST on `<prefix>`, and CRUD on `<prefix>/<name>`.
 */
export function collectionRoutes<T>(
  prefix: string,
  items: Map<string, T>,
  render: (item: T) => Record<string, unknown>,
  write: Handler,
): Route[] {
  return [
    { pattern: new RegExp(`^${prefix}$`), list: () => listResponse(items.keys()) },
    {
      pattern: new RegExp(`^${prefix}/([^/]+)$`),
      read: (_r, [n]) => {
        const item = items.get(n!.toLowerCase());
        return item ? { data: render(item) } : notFound();
      },
      write,
      delete: (_r, [n]) => {
        items.delete(n!.toLowerCase());
        return noContent();
      },
    },
  ];
}

import type { DependencyRequest } from "../template/api.ts";
import { FileDependency } from "./file.ts";
import { PkiCertDependency } from "./pki.ts";
import type { Dependency } from "./types.ts";
import { ListSecretsDependency, ReadSecretDependency, WriteSecretDependency } from "./vault.ts";

export interface DependencyOptions {
  staticInterval: () => number;
  threshold: () => number;
  /** The destination file of the (first) template using a pkiCert, for its on-disk cache. */
  pkiDestination?: (req: DependencyRequest) => string | undefined;
}

/** Builds the dependency object for a template's request. */
export function createDependency(req: DependencyRequest, opts: DependencyOptions): Dependency {
  switch (req.kind) {
    case "secret":
      return req.args.some((a) => a.trim() !== "")
        ? new WriteSecretDependency(req)
        : new ReadSecretDependency(req);
    case "secrets":
      return new ListSecretsDependency(req, opts.staticInterval);
    case "file":
      return new FileDependency(req);
    case "pkiCert":
      return new PkiCertDependency(req, {
        destination: () => opts.pkiDestination?.(req),
        threshold: opts.threshold,
      });
  }
}

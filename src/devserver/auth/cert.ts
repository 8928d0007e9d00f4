/**
 * The TLS certificate auth method: certs/<name> holds trusted CA (or pinned leaf) certificates
 * with name constraints; `login` authenticates the client certificate the core received on the
 * TLS connection (BackendRequest.peerCertificateDer). A certificate is trusted when a configured
 * certificate issued it (issuer name matches and the signature verifies) or is byte-identical
 * to it, both are within their validity on the core's clock, and its extended key usage (if
 * any) permits client authentication.
 */
import { X509Certificate } from "node:crypto";
import { list, str } from "../engines/shared/fields.ts";
import { badRequest, dispatch, noContent, collectionRoutes, type Route } from "../engines/shared/router.ts";
import type { Backend, BackendFactory, BackendRequest, BackendResponse, CoreServices } from "../types.ts";
import { keyIds } from "../../common/x509/x509.ts";
import { globMatch } from "./shared/jwt-verify.ts";
import {
  defaultTokenParams,
  issueLoginToken,
  parseTokenParams,
  renderTokenParams,
  type TokenParams,
} from "./shared/token-fields.ts";

interface CertEntry {
  name: string;
  pem: string;
  cas: X509Certificate[];
  displayName: string;
  allowedNames: string[];
  allowedCommonNames: string[];
  allowedDnsSans: string[];
  allowedEmailSans: string[];
  allowedUriSans: string[];
  allowedOUs: string[];
  token: TokenParams;
}

const CLIENT_AUTH_EKU = "1.3.6.1.5.5.7.3.2";
const ANY_EKU = "2.5.29.37.0";
const INVALID = "invalid certificate or no client certificate supplied";

export function splitPemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Attribute values of one type from node's multi-line distinguished name rendering. */
function dnValues(dn: string, attr: string): string[] {
  return dn
    .split("\n")
    .filter((l) => l.startsWith(`${attr}=`))
    .map((l) => l.slice(attr.length + 1));
}

function sans(cert: X509Certificate, kind: string): string[] {
  const text = cert.subjectAltName ?? "";
  return text
    .split(/,\s*/)
    .filter((p) => p.startsWith(`${kind}:`))
    .map((p) => p.slice(kind.length + 1));
}

export class CertBackend implements Backend {
  readonly type = "cert";
  readonly unauthenticatedPaths = ["login"];
  private certs = new Map<string, CertEntry>();
  private routes: Route[];

  constructor(private core: CoreServices) {
    this.routes = [
      ...collectionRoutes("certs", this.certs, renderEntry, (r, [n]) => this.writeCert(r, n!)),
      {
        pattern: /^config$/,
        read: () => ({ data: { disable_binding: false, enable_identity_alias_metadata: false } }),
        write: () => noContent(),
      },
      { pattern: /^login$/, write: (r) => this.login(r) },
    ];
  }

  handle(req: BackendRequest) {
    return dispatch(this.routes, req);
  }

  private writeCert(req: BackendRequest, rawName: string): BackendResponse {
    const name = rawName.toLowerCase();
    const prev = this.certs.get(name);
    const b = req.body;
    const pem = b.certificate !== undefined ? str(b, "certificate") : (prev?.pem ?? "");
    if (pem === "") throw badRequest("must specify either certificate or ocsp_ca_certificates");
    const blocks = splitPemCertificates(pem);
    if (blocks.length === 0) throw badRequest("failed to parse certificate");
    let cas: X509Certificate[];
    try {
      cas = blocks.map((p) => new X509Certificate(p));
    } catch {
      throw badRequest("failed to parse certificate");
    }
    const pickList = (f: string, d: string[]) => (b[f] !== undefined ? list(b, f) : d);
    this.certs.set(name, {
      name,
      pem,
      cas,
      displayName: b.display_name !== undefined ? str(b, "display_name") : (prev?.displayName ?? ""),
      allowedNames: pickList("allowed_names", prev?.allowedNames ?? []),
      allowedCommonNames: pickList("allowed_common_names", prev?.allowedCommonNames ?? []),
      allowedDnsSans: pickList("allowed_dns_sans", prev?.allowedDnsSans ?? []),
      allowedEmailSans: pickList("allowed_email_sans", prev?.allowedEmailSans ?? []),
      allowedUriSans: pickList("allowed_uri_sans", prev?.allowedUriSans ?? []),
      allowedOUs: pickList("allowed_organizational_units", prev?.allowedOUs ?? []),
      token: parseTokenParams(b, prev?.token ?? defaultTokenParams()),
    });
    return noContent();
  }

  private withinValidity(c: X509Certificate): boolean {
    const now = this.core.clock.now();
    return new Date(c.validFrom).getTime() <= now && now <= new Date(c.validTo).getTime();
  }

  private trusts(entry: CertEntry, client: X509Certificate): boolean {
    if (!this.withinValidity(client)) return false;
    return entry.cas.some((ca) => {
      if (!this.withinValidity(ca)) return false;
      if (ca.raw.equals(client.raw)) return true;
      try {
        return client.checkIssued(ca) && client.verify(ca.publicKey);
      } catch {
        return false;
      }
    });
  }

  private matchesConstraints(entry: CertEntry, client: X509Certificate): boolean {
    const cn = dnValues(client.subject, "CN")[0] ?? "";
    const dns = sans(client, "DNS");
    const emails = sans(client, "email");
    const uris = sans(client, "URI");
    const any = (patterns: string[], values: string[]) =>
      patterns.length === 0 || patterns.some((p) => values.some((v) => globMatch(p, v)));
    return (
      any(entry.allowedNames, [cn, ...dns, ...emails]) &&
      any(entry.allowedCommonNames, [cn]) &&
      any(entry.allowedDnsSans, dns) &&
      any(entry.allowedEmailSans, emails) &&
      any(entry.allowedUriSans, uris) &&
      any(entry.allowedOUs, dnValues(client.subject, "OU"))
    );
  }

  private login(req: BackendRequest): BackendResponse {
    const der = req.peerCertificateDer;
    if (!der || der.length === 0) throw badRequest("client certificate must be supplied");
    let client: X509Certificate;
    try {
      client = new X509Certificate(Buffer.from(der));
    } catch {
      throw badRequest(INVALID);
    }
    const eku = client.keyUsage;
    if (Array.isArray(eku) && eku.length > 0 && !eku.includes(CLIENT_AUTH_EKU) && !eku.includes(ANY_EKU)) {
      throw badRequest(INVALID);
    }
    const wanted = str(req.body, "name").toLowerCase();
    const candidates = wanted
      ? [this.certs.get(wanted)].filter((e): e is CertEntry => e !== undefined)
      : [...this.certs.values()].sort((a, b) => a.name.localeCompare(b.name));
    const entry = candidates.find((e) => this.trusts(e, client) && this.matchesConstraints(e, client));
    if (!entry) throw badRequest(INVALID);
    const cn = dnValues(client.subject, "CN")[0] ?? "";
    const serial = BigInt(`0x${client.serialNumber}`).toString();
    const ids = keyIds(new Uint8Array(client.raw));
    const auth = issueLoginToken(
      this.core,
      entry.token,
      {
        meta: {
          cert_name: entry.name,
          common_name: cn,
          serial_number: serial,
          subject_key_id: ids.subjectKeyId,
          authority_key_id: ids.authorityKeyId,
        },
        displayName: entry.displayName || entry.name,
        aliasName: cn,
      },
      req,
    );
    return { auth };
  }
}

function renderEntry(e: CertEntry): Record<string, unknown> {
  return {
    certificate: e.pem,
    display_name: e.displayName,
    allowed_names: e.allowedNames,
    allowed_common_names: e.allowedCommonNames,
    allowed_dns_sans: e.allowedDnsSans,
    allowed_email_sans: e.allowedEmailSans,
    allowed_uri_sans: e.allowedUriSans,
    allowed_organizational_units: e.allowedOUs,
    ...renderTokenParams(e.token),
  };
}

export const certFactory: BackendFactory = (core) => new CertBackend(core);

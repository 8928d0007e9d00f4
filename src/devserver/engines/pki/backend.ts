/**
 * The PKI secrets engine: issuers (root/generate), roles, issue/<role> with real X.509
 * certificates and keys, certificate fetch (cert/<serial>, ca, ca/pem, ca_chain), revocation and
 * a signed CRL. Certificates are built by src/common/x509/x509.ts and signed with node:crypto;
 * time comes from the core's clock.
 */
import { type KeyObject, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { globMatch } from "../../auth/shared/jwt-verify.ts";
import type { Backend, BackendFactory, BackendRequest, BackendResponse, CoreServices } from "../../types.ts";
import { bool, int, list, mountTTLs, rfc3339, seconds, str } from "../shared/fields.ts";
import { badRequest, dispatch, listResponse, noContent, notFound, type Route } from "../shared/router.ts";
import { buildCsr, type ParsedCsr, parseCsr } from "./csr.ts";
import { fromPem, toPem } from "../../../common/x509/der.ts";
import { checkKeyParams, exportPrivateKey, generateKey, type KeyType, keyTypeOf } from "./keys.ts";
import { isHostname, nameAllowed, type NamePolicy } from "./names.ts";
import {
  buildCertificate,
  buildCrl,
  certificateSubject,
  encodeName,
  hexColons,
  keyIdentifier,
  type Name,
} from "../../../common/x509/x509.ts";

interface Issuer {
  id: string;
  name: string;
  keyId: string;
  keyName: string;
  privateKey: KeyObject;
  certDer: Uint8Array;
  certPem: string;
  subject: Uint8Array;
  ski: Uint8Array;
  serial: string;
  notAfter: number;
  leafNotAfterBehavior: string;
  crlNumber: number;
  /** PEMs from this issuer up to its root. */
  chain: string[];
}

interface IssuedCert {
  serial: string;
  serialBytes: Uint8Array;
  pem: string;
  issuerId: string;
  notAfter: number;
  revokedAt: number | null;
}

type FieldKind = "bool" | "list" | "str" | "int" | "dur";

/** Role fields, their kinds and Vault's defaults; a role is stored as this normalised record. */
const ROLE_SCHEMA: Record<string, [FieldKind, unknown]> = {
  ttl: ["dur", 0],
  max_ttl: ["dur", 0],
  allow_localhost: ["bool", true],
  allowed_domains: ["list", []],
  allowed_domains_template: ["bool", false],
  allow_bare_domains: ["bool", false],
  allow_subdomains: ["bool", false],
  allow_glob_domains: ["bool", false],
  allow_wildcard_certificates: ["bool", true],
  allow_any_name: ["bool", false],
  enforce_hostnames: ["bool", true],
  allow_ip_sans: ["bool", true],
  allowed_uri_sans: ["list", []],
  allowed_other_sans: ["list", []],
  server_flag: ["bool", true],
  client_flag: ["bool", true],
  code_signing_flag: ["bool", false],
  email_protection_flag: ["bool", false],
  key_type: ["str", "rsa"],
  key_bits: ["int", 0],
  signature_bits: ["int", 0],
  use_pss: ["bool", false],
  key_usage: ["list", ["DigitalSignature", "KeyAgreement", "KeyEncipherment"]],
  ext_key_usage: ["list", []],
  ext_key_usage_oids: ["list", []],
  use_csr_common_name: ["bool", true],
  use_csr_sans: ["bool", true],
  ou: ["list", []],
  organization: ["list", []],
  country: ["list", []],
  locality: ["list", []],
  province: ["list", []],
  street_address: ["list", []],
  postal_code: ["list", []],
  generate_lease: ["bool", false],
  no_store: ["bool", false],
  require_cn: ["bool", true],
  cn_validations: ["list", ["email", "hostname"]],
  policy_identifiers: ["list", []],
  basic_constraints_valid_for_non_ca: ["bool", false],
  not_before_duration: ["dur", 30],
  not_after: ["str", ""],
  issuer_ref: ["str", "default"],
  allowed_serial_numbers: ["list", []],
  allowed_user_ids: ["list", []],
};

function parseField(body: Record<string, unknown>, field: string, kind: FieldKind, dflt: unknown): unknown {
  switch (kind) {
    case "bool":
      return bool(body, field, dflt as boolean);
    case "list":
      return list(body, field, dflt as string[]);
    case "int":
      return int(body, field, dflt as number);
    case "dur":
      return seconds(body, field, dflt as number);
    default:
      return str(body, field, dflt as string);
  }
}

/** 20 random bytes, positive and without a leading zero byte, like Vault's serials. */
function newSerial(): Uint8Array {
  const b = new Uint8Array(randomBytes(20));
  b[0] = (b[0] & 0x7f) | 0x01;
  return b;
}

const EKU_FLAGS: [string, string][] = [
  ["server_flag", "ServerAuth"],
  ["client_flag", "ClientAuth"],
  ["code_signing_flag", "CodeSigning"],
  ["email_protection_flag", "EmailProtection"],
];

const goTime = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

export class PkiBackend implements Backend {
  readonly type = "pki";
  readonly unauthenticatedPaths = ["cert/*", "ca/pem", "ca_chain", "ca", "crl", "crl/pem", "issuer/*"];
  private issuers = new Map<string, Issuer>();
  private defaultIssuer = "";
  private roles = new Map<string, Record<string, unknown>>();
  /** Keys made by intermediate/generate, waiting for their signed certificate. */
  private pendingKeys = new Map<string, { privateKey: KeyObject; name: string }>();
  private certs = new Map<string, IssuedCert>();
  private urls = {
    issuing_certificates: [] as string[],
    crl_distribution_points: [] as string[],
    ocsp_servers: [] as string[],
  };
  private routes: Route[];
  private ttls: { defaultTTL: number; maxTTL: number };

  constructor(
    private core: CoreServices,
    options: Record<string, unknown>,
  ) {
    this.ttls = mountTTLs(options);
    this.routes = [
      {
        pattern: /^root\/generate\/(internal|exported|existing|kms)$/,
        write: (r, [t]) => this.generateRoot(r, t),
      },
      { pattern: /^root$/, delete: () => this.deleteRoot() },
      {
        pattern: /^config\/urls$/,
        read: () => ({ data: { ...this.urls, enable_templating: false } }),
        write: (r) => {
          for (const k of Object.keys(this.urls) as (keyof typeof this.urls)[]) {
            if (r.body[k] !== undefined) this.urls[k] = list(r.body, k);
          }
          return { data: { ...this.urls, enable_templating: false } };
        },
      },
      {
        pattern: /^config\/issuers$/,
        read: () => ({ data: { default: this.defaultIssuer, default_follows_latest_issuer: false } }),
        write: (r) => {
          const ref = str(r.body, "default");
          const iss = this.resolveIssuer(ref);
          this.defaultIssuer = iss.id;
          return { data: { default: iss.id, default_follows_latest_issuer: false } };
        },
      },
      { pattern: /^config\/(crl|cluster|auto-tidy)$/, read: () => ({ data: {} }), write: () => noContent() },
      {
        pattern: /^issuers$/,
        list: () => {
          if (this.issuers.size === 0) return notFound();
          const key_info: Record<string, unknown> = {};
          for (const i of this.issuers.values())
            key_info[i.id] = { issuer_name: i.name, is_default: i.id === this.defaultIssuer };
          return { data: { keys: [...this.issuers.keys()].sort(), key_info } };
        },
      },
      {
        pattern: /^issuer\/([^/]+)$/,
        read: (_r, [ref]) => ({ data: this.renderIssuer(this.resolveIssuer(ref)) }),
        write: (r, [ref]) => this.updateIssuer(r, ref),
        delete: (_r, [ref]) => this.deleteIssuer(ref),
      },
      {
        pattern: /^issuer\/([^/]+)\/json$/,
        read: (_r, [ref]) => ({ data: this.issuerJson(this.resolveIssuer(ref)) }),
      },
      {
        pattern: /^issuer\/([^/]+)\/pem$/,
        read: (_r, [ref]) => this.rawPem(this.resolveIssuer(ref).certPem),
      },
      {
        pattern: /^issuer\/([^/]+)\/der$/,
        read: (_r, [ref]) => this.rawDer(this.resolveIssuer(ref).certDer, "application/pkix-cert"),
      },
      { pattern: /^issuer\/([^/]+)\/issue\/([^/]+)$/, write: (r, [ref, role]) => this.issue(r, role, ref) },
      { pattern: /^roles$/, list: () => listResponse(this.roles.keys()) },
      {
        pattern: /^roles\/([^/]+)$/,
        read: (_r, [n]) => {
          const role = this.roles.get(n);
          return role ? { data: { ...role } } : notFound();
        },
        write: (r, [n]) => this.writeRole(r, n),
        delete: (_r, [n]) => {
          this.roles.delete(n);
          return noContent();
        },
      },
      { pattern: /^issue\/([^/]+)$/, write: (r, [role]) => this.issue(r, role, "") },
      {
        pattern: /^sign\/([^/]+)$/,
        write: (r, [role]) => this.issue(r, role, "", parseCsr(str(r.body, "csr"))),
      },
      {
        pattern: /^issuer\/([^/]+)\/sign\/([^/]+)$/,
        write: (r, [ref, role]) => this.issue(r, role, ref, parseCsr(str(r.body, "csr"))),
      },
      {
        pattern: /^intermediate\/generate\/(internal|exported)$/,
        write: (r, [t]) => this.generateIntermediate(r, t),
      },
      { pattern: /^intermediate\/set-signed$/, write: (r) => this.setSigned(r) },
      { pattern: /^root\/sign-intermediate$/, write: (r) => this.signIntermediate(r, "") },
      { pattern: /^issuer\/([^/]+)\/sign-intermediate$/, write: (r, [ref]) => this.signIntermediate(r, ref) },
      { pattern: /^certs$/, list: () => listResponse(this.certs.keys()) },
      {
        pattern: /^certs\/revoked$/,
        list: () =>
          listResponse([...this.certs.values()].filter((c) => c.revokedAt !== null).map((c) => c.serial)),
      },
      {
        pattern: /^cert\/ca_chain$/,
        read: () => ({ data: { certificate: this.defaultChainPem(), ca_chain: this.defaultChainPem() } }),
      },
      {
        pattern: /^cert\/(crl|delta-crl)$/,
        read: () => ({ data: { certificate: this.crlPem(), revocation_time: 0 } }),
      },
      { pattern: /^cert\/([^/]+)$/, read: (_r, [s]) => this.readCert(s) },
      { pattern: /^ca\/pem$/, read: () => this.rawPem(this.defaultIssuerOrThrow().certPem) },
      {
        pattern: /^ca$/,
        read: () => this.rawDer(this.defaultIssuerOrThrow().certDer, "application/pkix-cert"),
      },
      { pattern: /^(ca_chain|cert\/ca_chain\/raw)$/, read: () => this.rawPem(this.defaultChainPem()) },
      {
        pattern: /^crl\/pem$/,
        read: () => ({
          raw: { status: 200, body: `${this.crlPem()}\n`, contentType: "application/x-pem-file" },
        }),
      },
      { pattern: /^crl$/, read: () => this.rawDer(this.crlDer(), "application/pkix-crl") },
      { pattern: /^crl\/rotate$/, read: () => ({ data: { success: true } }) },
      { pattern: /^revoke$/, write: (r) => this.revoke(r) },
      {
        pattern: /^tidy$/,
        write: () => ({
          status: 202,
          data: null,
          warnings: [
            "Tidy operation successfully started. Any information from the operation will be printed to Vault's server logs.",
          ],
        }),
      },
    ];
  }

  handle(req: BackendRequest) {
    return dispatch(this.routes, req);
  }

  // ---- issuers ----

  private resolveIssuer(ref: string): Issuer {
    if (ref === "" || ref === "default") {
      const d = this.issuers.get(this.defaultIssuer);
      if (!d) throw badRequest("no default issuer currently configured");
      return d;
    }
    const byId = this.issuers.get(ref);
    if (byId) return byId;
    for (const i of this.issuers.values()) if (i.name !== "" && i.name === ref) return i;
    throw badRequest(`unable to find PKI issuer for reference: ${ref}`);
  }

  private defaultIssuerOrThrow(): Issuer {
    const d = this.issuers.get(this.defaultIssuer);
    if (!d) throw badRequest("no default issuer currently configured");
    return d;
  }

  private defaultChainPem(): string {
    return this.defaultIssuerOrThrow().chain.join("\n");
  }

  private renderIssuer(i: Issuer): Record<string, unknown> {
    return {
      issuer_id: i.id,
      issuer_name: i.name,
      key_id: i.keyId,
      certificate: i.certPem,
      ca_chain: i.chain,
      leaf_not_after_behavior: i.leafNotAfterBehavior,
      manual_chain: null,
      usage: "crl-signing,issuing-certificates,ocsp-signing,read-only",
      revocation_signature_algorithm: "",
      revoked: false,
      issuing_certificates: this.urls.issuing_certificates,
      crl_distribution_points: this.urls.crl_distribution_points,
      ocsp_servers: this.urls.ocsp_servers,
    };
  }

  private issuerJson(i: Issuer): Record<string, unknown> {
    return { certificate: i.certPem, ca_chain: i.chain, issuer_id: i.id, issuer_name: i.name };
  }

  private updateIssuer(req: BackendRequest, ref: string): BackendResponse {
    const i = this.resolveIssuer(ref);
    if (req.body.issuer_name !== undefined) {
      const name = str(req.body, "issuer_name");
      this.checkIssuerName(name, i.id);
      i.name = name;
    }
    if (req.body.leaf_not_after_behavior !== undefined) {
      const b = str(req.body, "leaf_not_after_behavior");
      if (!["err", "truncate", "permit"].includes(b))
        throw badRequest(`Unknown value for field \`leaf_not_after_behavior\`: ${b}`);
      i.leafNotAfterBehavior = b;
    }
    return { data: this.renderIssuer(i) };
  }

  private checkIssuerName(name: string, selfId: string): void {
    if (name === "") return;
    if (name === "default" || !/^[\w.-]+$/.test(name))
      throw badRequest(`issuer name contains invalid characters or is "default"`);
    for (const o of this.issuers.values()) {
      if (o.id !== selfId && o.name === name) throw badRequest(`issuer name already in use`);
    }
  }

  private deleteIssuer(ref: string): BackendResponse {
    const i = this.resolveIssuer(ref);
    this.issuers.delete(i.id);
    if (this.defaultIssuer === i.id) this.defaultIssuer = "";
    return noContent();
  }

  private deleteRoot(): BackendResponse {
    this.issuers.clear();
    this.defaultIssuer = "";
    return noContent();
  }

  private subjectFrom(body: Record<string, unknown>, cn: string): Name {
    return {
      commonName: cn,
      country: list(body, "country"),
      province: list(body, "province"),
      locality: list(body, "locality"),
      streetAddress: list(body, "street_address"),
      postalCode: list(body, "postal_code"),
      organization: list(body, "organization"),
      ou: list(body, "ou"),
      serialNumber: str(body, "serial_number") || undefined,
    };
  }

  private generateRoot(req: BackendRequest, mode: string): BackendResponse {
    if (mode === "kms" || mode === "existing")
      throw badRequest(`root generation type "${mode}" is not supported by the dev server`);
    const b = req.body;
    const cn = str(b, "common_name");
    if (cn === "") throw badRequest("the common_name field is required");
    const keyType = (str(b, "key_type") || "rsa") as KeyType;
    const bits = checkKeyParams(keyType, int(b, "key_bits", 0));
    const issuerName = str(b, "issuer_name");
    this.checkIssuerName(issuerName, "");
    const now = this.core.clock.now();
    const ttl = seconds(b, "ttl", 0) || this.ttls.maxTTL;
    const notAfterField = str(b, "not_after");
    const notAfter = notAfterField ? Date.parse(notAfterField) : now + ttl * 1000;
    if (Number.isNaN(notAfter)) throw badRequest(`unable to parse not_after "${notAfterField}"`);
    const { sans, ips, uris } = this.parseSans(b, cn, !bool(b, "exclude_cn_from_sans", false));
    const { privateKey, publicKey } = generateKey(keyType, bits);
    const subject = encodeName(this.subjectFrom(b, cn));
    const serial = newSerial();
    const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
    const ski = keyIdentifier(spki);
    const certDer = buildCertificate({
      serial,
      subject,
      issuer: subject,
      notBefore: now - seconds(b, "not_before_duration", 30) * 1000,
      notAfter,
      publicKey,
      signingKey: privateKey,
      authorityKeyId: ski,
      isCA: true,
      maxPathLength: int(b, "max_path_length", -1),
      keyUsage: ["CertSign", "CRLSign"],
      extKeyUsage: [],
      sans: { dns: sans.dns, emails: sans.emails, ips, uris },
      issuingCertificates: this.urls.issuing_certificates,
      ocspServers: this.urls.ocsp_servers,
      crlDistributionPoints: this.urls.crl_distribution_points,
    });
    const issuer: Issuer = {
      id: randomUUID(),
      name: issuerName,
      keyId: randomUUID(),
      keyName: str(b, "key_name"),
      privateKey,
      certDer,
      certPem: toPem("CERTIFICATE", certDer),
      subject,
      ski,
      serial: hexColons(serial),
      notAfter: Math.floor(notAfter / 1000) * 1000,
      leafNotAfterBehavior: "err",
      crlNumber: 0,
      chain: [],
    };
    issuer.chain = [issuer.certPem];
    this.issuers.set(issuer.id, issuer);
    if (!this.issuers.has(this.defaultIssuer)) this.defaultIssuer = issuer.id;
    this.certs.set(issuer.serial, {
      serial: issuer.serial,
      serialBytes: serial,
      pem: issuer.certPem,
      issuerId: issuer.id,
      notAfter: issuer.notAfter,
      revokedAt: null,
    });
    const data: Record<string, unknown> = {
      certificate: issuer.certPem,
      expiration: Math.floor(issuer.notAfter / 1000),
      issuer_id: issuer.id,
      issuer_name: issuer.name,
      issuing_ca: issuer.certPem,
      key_id: issuer.keyId,
      key_name: issuer.keyName,
      serial_number: issuer.serial,
    };
    if (mode === "exported") {
      data.private_key = exportPrivateKey(privateKey, str(b, "private_key_format"));
      data.private_key_type = keyTypeOf(privateKey);
    }
    const warnings =
      this.urls.issuing_certificates.length === 0
        ? [
            "This mount hasn't configured any authority information access (AIA) fields; this may make it harder for systems to find missing certificates in the chain or to validate revocation status of certificates. Consider updating /config/urls or the newly generated issuer with this information.",
          ]
        : undefined;
    return { data, warnings };
  }

  // ---- roles ----

  private writeRole(req: BackendRequest, name: string): BackendResponse {
    const prev = this.roles.get(name);
    const role: Record<string, unknown> = {};
    for (const [field, [kind, dflt]] of Object.entries(ROLE_SCHEMA)) {
      role[field] = parseField(req.body, field, kind, prev ? prev[field] : dflt);
    }
    role.key_type = String(role.key_type).toLowerCase();
    if (role.key_type !== "any") role.key_bits = checkKeyParams(String(role.key_type), Number(role.key_bits));
    if (Number(role.max_ttl) > 0 && Number(role.ttl) > Number(role.max_ttl)) {
      throw badRequest(`"ttl" value must be less than "max_ttl" value`);
    }
    this.roles.set(name, role);
    return { data: { ...role } };
  }

  // ---- issuing ----

  private parseSans(body: Record<string, unknown>, cn: string, includeCn: boolean) {
    const dns: string[] = [];
    const emails: string[] = [];
    const altNames = list(body, "alt_names");
    const add = (n: string) => {
      if (n.includes("@")) {
        if (!emails.includes(n)) emails.push(n);
      } else if (!dns.includes(n)) dns.push(n);
    };
    // The CN joins the SANs only when it is an email or a real hostname ("My Root CA" is not).
    if (includeCn && cn !== "" && (cn.includes("@") || isHostname(cn.replace(/^\*\./, "")))) add(cn);
    for (const n of altNames) add(n);
    const ips = list(body, "ip_sans");
    for (const ip of ips) if (isIP(ip) === 0) throw badRequest(`the value "${ip}" is not a valid IP address`);
    return { sans: { dns, emails }, altNames, ips, uris: list(body, "uri_sans") };
  }

  private issue(req: BackendRequest, roleName: string, issuerRef: string, csr?: ParsedCsr): BackendResponse {
    const role = this.roles.get(roleName);
    if (!role) throw badRequest(`unknown role: ${roleName}`);
    if (role.key_type === "any") {
      throw badRequest('role key type "any" not allowed for issuing certificates, only signing');
    }
    const issuer = this.resolveIssuer(issuerRef || str(req.body, "issuer_ref") || String(role.issuer_ref));
    const b = req.body;
    const cn = str(b, "common_name") || (csr && role.use_csr_common_name ? csr.commonName : "");
    if (cn === "" && role.require_cn) {
      throw badRequest(
        'the common_name field is required, or must be provided in a CSR with "use_csr_common_name" set to true, unless "require_cn" is set to false',
      );
    }
    const policy = role as unknown as NamePolicy;
    const cnChecks = role.cn_validations as string[];
    if (cn !== "" && !cnChecks.includes("disabled")) {
      const asEmail = cn.includes("@") && cnChecks.includes("email");
      const asHost = !cn.includes("@") && cnChecks.includes("hostname");
      const valid = asEmail || asHost ? nameAllowed(policy, cn) : false;
      if (!valid && !(isIP(cn) !== 0 && role.allow_ip_sans && role.allow_any_name)) {
        throw badRequest(`common name ${cn} not allowed by this role`);
      }
    }
    const { sans, altNames, ips, uris } = this.parseSans(b, cn, !bool(b, "exclude_cn_from_sans", false));
    for (const n of altNames) {
      if (!nameAllowed(policy, n)) throw badRequest(`subject alternate name ${n} not allowed by this role`);
    }
    if (ips.length > 0 && !role.allow_ip_sans) {
      throw badRequest(
        `IP Subject Alternative Names are not allowed in this role, but was provided ${ips.join(",")}`,
      );
    }
    if (uris.length > 0) {
      const allowed = role.allowed_uri_sans as string[];
      if (allowed.length === 0) {
        throw badRequest(
          "URI Subject Alternative Names are not allowed in this role, but were provided via the API",
        );
      }
      for (const u of uris) {
        if (!allowed.some((p) => globMatch(p, u)))
          throw badRequest(`URI Subject Alternative Name "${u}" not allowed by this role`);
      }
    }
    // Hostnames in SANs must be valid DNS names when enforce_hostnames is on (already checked by
    // nameAllowed, except for allow_any_name roles, where Vault still rejects garbage).
    for (const n of sans.dns) {
      if (role.enforce_hostnames && !isHostname(n.replace(/^\*\./, ""))) {
        throw badRequest(`subject alternate name ${n} not allowed by this role`);
      }
    }

    const warnings: string[] = [];
    const now = this.core.clock.now();
    const maxTTL = Number(role.max_ttl) || this.ttls.maxTTL;
    let ttl = seconds(b, "ttl", 0) || Number(role.ttl) || this.ttls.defaultTTL;
    if (ttl > maxTTL) {
      warnings.push(`TTL "${ttl}s" is longer than permitted maxTTL "${maxTTL}s", so using maxTTL`);
      ttl = maxTTL;
    }
    let notAfter = Math.floor((now + ttl * 1000) / 1000) * 1000;
    if (notAfter > issuer.notAfter) {
      if (issuer.leafNotAfterBehavior === "err") {
        throw badRequest(
          `cannot satisfy request, as TTL would result in notAfter of ${goTime(notAfter)} that is beyond the expiration of the CA certificate at ${goTime(issuer.notAfter)}`,
        );
      }
      if (issuer.leafNotAfterBehavior === "truncate") notAfter = issuer.notAfter;
    }

    const keyType = role.key_type as KeyType;
    const generated = csr ? null : generateKey(keyType, Number(role.key_bits));
    const publicKey = csr ? csr.publicKey : generated!.publicKey;
    const serial = newSerial();
    const subject = encodeName({
      commonName: cn,
      country: role.country as string[],
      province: role.province as string[],
      locality: role.locality as string[],
      streetAddress: role.street_address as string[],
      postalCode: role.postal_code as string[],
      organization: role.organization as string[],
      ou: role.ou as string[],
    });
    const certDer = buildCertificate({
      serial,
      subject,
      issuer: issuer.subject,
      notBefore: now - Number(role.not_before_duration) * 1000,
      notAfter,
      publicKey,
      signingKey: issuer.privateKey,
      authorityKeyId: issuer.ski,
      isCA: false,
      keyUsage: role.key_usage as string[],
      extKeyUsage: [
        ...EKU_FLAGS.filter(([flag]) => role[flag]).map(([, eku]) => eku),
        ...(role.ext_key_usage as string[]),
      ],
      extKeyUsageOids: role.ext_key_usage_oids as string[],
      sans: { dns: sans.dns, emails: sans.emails, ips, uris },
      issuingCertificates: this.urls.issuing_certificates,
      ocspServers: this.urls.ocsp_servers,
      crlDistributionPoints: this.urls.crl_distribution_points,
    });
    const serialText = hexColons(serial);
    const pem = toPem("CERTIFICATE", certDer);
    if (!role.no_store) {
      this.certs.set(serialText, {
        serial: serialText,
        serialBytes: serial,
        pem,
        issuerId: issuer.id,
        notAfter,
        revokedAt: null,
      });
    }
    const format = str(b, "format") || "pem";
    const data = this.renderIssued(certDer, issuer, format, notAfter, serialText);
    if (generated) {
      const privateKey = generated.privateKey;
      data.private_key_type = keyTypeOf(privateKey);
      if (format === "der") {
        const der = privateKey.export({
          type: keyType === "rsa" ? "pkcs1" : keyType === "ec" ? "sec1" : "pkcs8",
          format: "der",
        });
        data.private_key = Buffer.from(der).toString("base64");
      } else {
        const keyPem = exportPrivateKey(privateKey, str(b, "private_key_format"));
        data.private_key = keyPem;
        if (format === "pem_bundle") data.certificate = `${keyPem}\n${data.certificate}`;
      }
    }
    const res: BackendResponse = { data, warnings: warnings.length ? warnings : undefined };
    if (role.generate_lease) {
      res.lease = {
        ttl: Math.max(1, Math.floor((notAfter - now) / 1000)),
        renewable: false,
        onRevoke: () => this.markRevoked(serialText),
      };
    }
    return res;
  }

  /** certificate / issuing_ca / ca_chain / serial_number / expiration in the requested format. */
  private renderIssued(
    certDer: Uint8Array,
    issuer: Issuer,
    format: string,
    notAfter: number,
    serial: string,
  ): Record<string, unknown> {
    const pem = toPem("CERTIFICATE", certDer);
    const data: Record<string, unknown> = {
      expiration: Math.floor(notAfter / 1000),
      serial_number: serial,
      issuing_ca: issuer.certPem,
      ca_chain: issuer.chain,
    };
    if (format === "pem") data.certificate = pem;
    else if (format === "pem_bundle") data.certificate = [pem, ...issuer.chain].join("\n");
    else if (format === "der") {
      const b64 = (p: string) => Buffer.from(fromPem(p)).toString("base64");
      data.certificate = Buffer.from(certDer).toString("base64");
      data.issuing_ca = b64(issuer.certPem);
      data.ca_chain = issuer.chain.map(b64);
    } else throw badRequest(`unknown format "${format}"; must be "pem", "der" or "pem_bundle"`);
    return data;
  }

  // ---- intermediates ----

  private generateIntermediate(req: BackendRequest, mode: string): BackendResponse {
    const b = req.body;
    const cn = str(b, "common_name");
    if (cn === "") throw badRequest("the common_name field is required");
    const keyType = (str(b, "key_type") || "rsa") as KeyType;
    const bits = checkKeyParams(keyType, int(b, "key_bits", 0));
    const { privateKey, publicKey } = generateKey(keyType, bits);
    const keyId = randomUUID();
    this.pendingKeys.set(keyId, { privateKey, name: str(b, "key_name") });
    const csr = buildCsr(encodeName(this.subjectFrom(b, cn)), publicKey, privateKey);
    const data: Record<string, unknown> = { csr: toPem("CERTIFICATE REQUEST", csr), key_id: keyId };
    if (mode === "exported") {
      data.private_key = exportPrivateKey(privateKey, str(b, "private_key_format"));
      data.private_key_type = keyTypeOf(privateKey);
    }
    return { data };
  }

  private signIntermediate(req: BackendRequest, ref: string): BackendResponse {
    const b = req.body;
    const issuer = this.resolveIssuer(ref || str(b, "issuer_ref"));
    const csr = parseCsr(str(b, "csr"));
    const cn = str(b, "common_name") || csr.commonName;
    if (cn === "") throw badRequest("the common_name field is required");
    const now = this.core.clock.now();
    const ttl = seconds(b, "ttl", 0) || this.ttls.maxTTL;
    let notAfter = Math.floor((now + ttl * 1000) / 1000) * 1000;
    if (notAfter > issuer.notAfter) {
      if (issuer.leafNotAfterBehavior === "err") {
        throw badRequest(
          `cannot satisfy request, as TTL would result in notAfter of ${goTime(notAfter)} that is beyond the expiration of the CA certificate at ${goTime(issuer.notAfter)}`,
        );
      }
      notAfter = issuer.notAfter;
    }
    const useCsr = bool(b, "use_csr_values", false);
    const { sans, ips, uris } = this.parseSans(b, cn, !bool(b, "exclude_cn_from_sans", false));
    const serial = newSerial();
    const certDer = buildCertificate({
      serial,
      subject: useCsr ? csr.subject : encodeName(this.subjectFrom(b, cn)),
      issuer: issuer.subject,
      notBefore: now - seconds(b, "not_before_duration", 30) * 1000,
      notAfter,
      publicKey: csr.publicKey,
      signingKey: issuer.privateKey,
      authorityKeyId: issuer.ski,
      isCA: true,
      maxPathLength: int(b, "max_path_length", -1),
      keyUsage: ["CertSign", "CRLSign"],
      extKeyUsage: [],
      sans: { dns: sans.dns, emails: sans.emails, ips, uris },
      issuingCertificates: this.urls.issuing_certificates,
      ocspServers: this.urls.ocsp_servers,
      crlDistributionPoints: this.urls.crl_distribution_points,
    });
    const serialText = hexColons(serial);
    this.certs.set(serialText, {
      serial: serialText,
      serialBytes: serial,
      pem: toPem("CERTIFICATE", certDer),
      issuerId: issuer.id,
      notAfter,
      revokedAt: null,
    });
    return { data: this.renderIssued(certDer, issuer, str(b, "format") || "pem", notAfter, serialText) };
  }

  private setSigned(req: BackendRequest): BackendResponse {
    const blocks: string[] =
      str(req.body, "certificate").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ??
      [];
    if (blocks.length === 0) throw badRequest("no data found in PEM block");
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(blocks[0]);
    } catch {
      throw badRequest("unable to parse certificate");
    }
    let keyId = "";
    for (const [id, k] of this.pendingKeys) if (cert.checkPrivateKey(k.privateKey)) keyId = id;
    if (keyId === "") {
      throw badRequest(
        "the certificate does not match any key generated by intermediate/generate on this mount",
      );
    }
    const pending = this.pendingKeys.get(keyId)!;
    this.pendingKeys.delete(keyId);
    const certDer = new Uint8Array(cert.raw);
    const certPem = toPem("CERTIFICATE", certDer);
    // The chain is what was supplied, completed with the chain of any issuer of ours that signed it.
    const chain = [certPem, ...blocks.slice(1).map((p) => p.trim())];
    if (chain.length === 1) {
      for (const parent of this.issuers.values()) {
        if (cert.checkIssued(new X509Certificate(parent.certPem))) {
          chain.push(...parent.chain);
          break;
        }
      }
    }
    const issuer: Issuer = {
      id: randomUUID(),
      name: "",
      keyId,
      keyName: pending.name,
      privateKey: pending.privateKey,
      certDer,
      certPem,
      subject: certificateSubject(certDer),
      ski: keyIdentifier(new Uint8Array(cert.publicKey.export({ type: "spki", format: "der" }))),
      serial: hexColons(new Uint8Array(Buffer.from(cert.serialNumber, "hex"))),
      notAfter: new Date(cert.validTo).getTime(),
      leafNotAfterBehavior: "err",
      crlNumber: 0,
      chain,
    };
    this.issuers.set(issuer.id, issuer);
    if (!this.issuers.has(this.defaultIssuer)) this.defaultIssuer = issuer.id;
    return {
      data: {
        imported_issuers: [issuer.id],
        imported_keys: null,
        mapping: { [issuer.id]: keyId },
        existing_issuers: null,
        existing_keys: null,
      },
    };
  }

  // ---- certificates, revocation, CRL ----

  private readCert(rawSerial: string): BackendResponse {
    if (rawSerial === "ca") {
      const d = this.issuers.get(this.defaultIssuer);
      if (!d) return notFound();
      return {
        data: { certificate: d.certPem, revocation_time: 0, revocation_time_rfc3339: "", issuer_id: d.id },
      };
    }
    const serial = rawSerial.toLowerCase().replace(/-/g, ":");
    const c = this.certs.get(serial);
    if (!c) return notFound();
    return {
      data: {
        certificate: c.pem,
        revocation_time: c.revokedAt === null ? 0 : Math.floor(c.revokedAt / 1000),
        revocation_time_rfc3339: c.revokedAt === null ? "" : rfc3339(c.revokedAt),
        issuer_id: c.issuerId,
      },
    };
  }

  private markRevoked(serial: string): number {
    const c = this.certs.get(serial);
    if (!c) return 0;
    if (c.revokedAt === null) c.revokedAt = this.core.clock.now();
    return c.revokedAt;
  }

  private revoke(req: BackendRequest): BackendResponse {
    let serial = str(req.body, "serial_number").toLowerCase().replace(/-/g, ":");
    const certPem = str(req.body, "certificate");
    if (serial === "" && certPem) {
      const found = [...this.certs.values()].find((c) => c.pem.trim() === certPem.trim());
      if (!found) throw badRequest("certificate not found in this mount");
      serial = found.serial;
    }
    if (serial === "") throw badRequest("The serial number must be provided");
    for (const i of this.issuers.values()) {
      if (i.serial === serial) throw badRequest(`adding issuer (id: ${i.id}) to its own CRL is not allowed`);
    }
    const c = this.certs.get(serial);
    if (!c) throw badRequest(`certificate with serial ${serial} not found.`);
    const at = this.markRevoked(serial);
    return {
      data: {
        revocation_time: Math.floor(at / 1000),
        revocation_time_rfc3339: rfc3339(at),
        state: "revoked",
      },
    };
  }

  private crlDer(): Uint8Array {
    const issuer = this.defaultIssuerOrThrow();
    const now = this.core.clock.now();
    issuer.crlNumber += 1;
    return buildCrl({
      issuer: issuer.subject,
      signingKey: issuer.privateKey,
      authorityKeyId: issuer.ski,
      thisUpdate: now,
      nextUpdate: now + 72 * 3600 * 1000,
      number: issuer.crlNumber,
      revoked: [...this.certs.values()]
        .filter((c) => c.revokedAt !== null && c.issuerId === issuer.id)
        .map((c) => ({ serial: c.serialBytes, revokedAt: c.revokedAt as number })),
    });
  }

  private crlPem(): string {
    return toPem("X509 CRL", this.crlDer());
  }

  private rawPem(pem: string): BackendResponse {
    return { raw: { status: 200, body: `${pem}\n`, contentType: "application/pem-certificate-chain" } };
  }

  private rawDer(der: Uint8Array, contentType: string): BackendResponse {
    return { raw: { status: 200, body: der, contentType } };
  }
}

export const pkiFactory: BackendFactory = (core, _mountPath, options) => new PkiBackend(core, options);

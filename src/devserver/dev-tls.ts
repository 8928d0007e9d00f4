/** `-dev-tls`: a throwaway CA and a server certificate for 127.0.0.1/localhost, using the pki engine's X.509 writer. */
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { generateKey } from "./engines/pki/keys.ts";
import { buildCertificate, encodeName, keyIdentifier } from "../common/x509/x509.ts";

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function serial(): Uint8Array {
  const s = randomBytes(16);
  s[0]! &= 0x7f;
  return new Uint8Array(s);
}

export function makeDevTls(host: string, now: number): { ca: string; cert: string; key: string } {
  const year = 365 * 24 * 3600_000;
  const ca = generateKey("ec", 256);
  const caName = encodeName({ commonName: "vaultrun dev CA" });
  const caSpki = new Uint8Array(ca.publicKey.export({ type: "spki", format: "der" }));
  const caDer = buildCertificate({
    serial: serial(),
    subject: caName,
    issuer: caName,
    notBefore: now - 60_000,
    notAfter: now + year,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    isCA: true,
    keyUsage: ["CertSign", "CRLSign", "DigitalSignature"],
    extKeyUsage: [],
    sans: {},
  });
  const leaf = generateKey("ec", 256);
  const leafDer = buildCertificate({
    serial: serial(),
    subject: encodeName({ commonName: "localhost" }),
    issuer: caName,
    notBefore: now - 60_000,
    notAfter: now + year,
    publicKey: leaf.publicKey,
    signingKey: ca.privateKey,
    authorityKeyId: keyIdentifier(caSpki),
    isCA: false,
    keyUsage: ["DigitalSignature", "KeyEncipherment"],
    extKeyUsage: ["ServerAuth"],
    sans: {
      dns: ["localhost", ...(isIP(host) || host === "localhost" || host === "" ? [] : [host])],
      ips: [
        ...new Set([
          "127.0.0.1",
          "::1",
          ...(isIP(host) && host !== "0.0.0.0" && host !== "::" ? [host] : []),
        ]),
      ],
    },
  });
  return {
    ca: pem("CERTIFICATE", caDer),
    cert: pem("CERTIFICATE", leafDer),
    key: leaf.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  };
}

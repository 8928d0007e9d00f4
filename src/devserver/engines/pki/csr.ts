/**
 * PKCS#10 certificate signing requests: building one (intermediate/generate) and reading one
 * (root/sign-intermediate, sign/<role>) — subject, public key, and a check that the request is
 * signed by the key it carries.
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { badRequest } from "../shared/router.ts";
import * as der from "../../../common/x509/der.ts";
import { signatureAlgorithm } from "../../../common/x509/x509.ts";
import { sign } from "node:crypto";

export function buildCsr(subject: Uint8Array, publicKey: KeyObject, privateKey: KeyObject): Uint8Array {
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  const info = der.seq(der.int(0), subject, spki, der.implicitConstructed(0));
  const { algId, hash } = signatureAlgorithm(privateKey);
  const sig = sign(hash, info, privateKey);
  return der.seq(info, algId, der.bitString(new Uint8Array(sig)));
}

const SIG_HASH: Record<string, string | null> = {
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.3.101.112": null,
};

function oidText(content: Uint8Array): string {
  const arcs: number[] = [Math.floor(content[0] / 40), content[0] % 40];
  let v = 0;
  for (const b of content.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  return arcs.join(".");
}

export interface ParsedCsr {
  subject: Uint8Array;
  commonName: string;
  publicKey: KeyObject;
}

/** Parses and verifies a PEM CSR; bad input is a 400 with Vault's wording. */
export function parseCsr(pem: string): ParsedCsr {
  if (!pem.includes("CERTIFICATE REQUEST")) throw badRequest("certificate request could not be parsed");
  try {
    const bytes = der.fromPem(pem);
    const top = der.readNode(bytes);
    const [info, alg, sig] = der.children(top);
    const fields = der.children(info);
    const subjectNode = fields[1];
    const spkiNode = fields[2];
    const subject = info.content.subarray(subjectNode.start, subjectNode.end);
    const spki = info.content.subarray(spkiNode.start, spkiNode.end);
    const publicKey = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
    const algOid = oidText(der.children(alg)[0].content);
    if (!(algOid in SIG_HASH)) throw new Error("unsupported signature algorithm");
    const infoBytes = top.content.subarray(info.start, info.end);
    if (!verify(SIG_HASH[algOid], infoBytes, publicKey, sig.content.subarray(1)))
      throw new Error("bad signature");
    return { subject: new Uint8Array(subject), commonName: commonNameOf(subject), publicKey };
  } catch {
    throw badRequest("certificate request could not be parsed");
  }
}

/** The first CN attribute of an encoded Name ("" when there is none). */
export function commonNameOf(name: Uint8Array): string {
  for (const rdn of der.children(der.readNode(name))) {
    for (const atv of der.children(rdn)) {
      const [type, value] = der.children(atv);
      if (oidText(type.content) === "2.5.4.3") return new TextDecoder().decode(value.content);
    }
  }
  return "";
}

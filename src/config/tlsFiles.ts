import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

/**
 * Reading and checking a listener's certificate, key and client CA from files: the one check
 * both the configuration (at start) and the running listener (at every reload) use. It imports
 * nothing of ours, so the configuration (tls.ts) may use it.
 */

/** Where one listener's TLS files are, and the variables that named them (for messages). */
export interface TlsFileSettings {
  certFile: string;
  keyFile: string;
  clientCaFile: string | undefined;
  names: { cert: string; key: string; clientCa: string };
}

/** What a listener serves with: PEM text for node:tls, and what an operator watches. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | undefined;
  /** When the leaf certificate (the first in the file) lapses. */
  notAfter: Date;
  /** SHA-256 fingerprint of the leaf, to tell one certificate from the next in the logs. */
  fingerprint: string;
}

/**
 * How far ahead of this machine's clock a certificate's start may be: one issued this moment by a
 * machine whose clock runs a little ahead must still be taken (a rotation refused now is not
 * tried again until the files change), while one valid only from next week is refused.
 */
const notBeforeLeewayMs = 5 * 60_000;

/** A file that does not make a usable pair; the message names the variable, never the key. */
export class TlsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsFileError';
  }
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readNamed(path: string, name: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new TlsFileError(`${name}: cannot read ${path} (${code})`);
  }
}

/** The certificates in a PEM file, in order; a file with none, or a damaged one, is refused. */
function certificates(pem: Buffer, name: string): X509Certificate[] {
  const blocks = pem.toString('latin1').match(pemCertificate) ?? [];
  if (blocks.length === 0) throw new TlsFileError(`${name}: holds no PEM certificate`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new TlsFileError(`${name}: certificate ${i + 1} in the file is damaged`);
    }
  });
}

function privateKey(pem: Buffer, name: string): KeyObject {
  // Node's own messages are kept out: they are not needed, and nothing of the key may show.
  if (/ENCRYPTED/.test(pem.toString('latin1'))) {
    throw new TlsFileError(`${name}: the key is encrypted (a passphrase is not supported)`);
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw new TlsFileError(`${name}: holds no readable PEM private key`);
  }
}

/**
 * Read and check a listener's files: the certificate file (leaf first, then any chain), a key
 * that matches the leaf, a leaf valid now (neither expired nor starting later), and a client CA file with at least one
 * certificate. Throws TlsFileError naming the variable at fault.
 */
export function readTlsFiles(settings: TlsFileSettings, now = new Date()): TlsMaterial {
  const { names } = settings;
  const cert = readNamed(settings.certFile, names.cert);
  const key = readNamed(settings.keyFile, names.key);
  const ca = settings.clientCaFile ? readNamed(settings.clientCaFile, names.clientCa) : undefined;
  const [leaf] = certificates(cert, names.cert);
  const keyObject = privateKey(key, names.key);
  if (!leaf) throw new TlsFileError(`${names.cert}: holds no PEM certificate`);
  if (
    keyObject.asymmetricKeyType !== leaf.publicKey.asymmetricKeyType ||
    !leaf.checkPrivateKey(keyObject)
  ) {
    throw new TlsFileError(`${names.key}: the key does not match the certificate in ${names.cert}`);
  }
  const notAfter = new Date(leaf.validTo);
  if (!(notAfter.getTime() > now.getTime())) {
    throw new TlsFileError(`${names.cert}: the certificate expired on ${notAfter.toISOString()}`);
  }
  // Served anyway, it would fail every verifying client while the expiry metric looked healthy.
  const notBefore = new Date(leaf.validFrom);
  if (!(notBefore.getTime() <= now.getTime() + notBeforeLeewayMs)) {
    throw new TlsFileError(
      `${names.cert}: the certificate is not valid before ${notBefore.toISOString()} (this machine says it is earlier)`,
    );
  }
  if (ca) certificates(ca, names.clientCa);
  try {
    // What OpenSSL itself refuses (a key too weak for its security level, for one).
    createSecureContext({ cert, key, ca });
  } catch (err) {
    const reason = String((err as Error).message ?? err)
      .replace(/[^\w :.,()-]/g, '')
      .slice(0, 120);
    throw new TlsFileError(`${names.cert}: the pair is refused by OpenSSL (${reason})`);
  }
  return { cert, key, ca, notAfter, fingerprint: leaf.fingerprint256 };
}

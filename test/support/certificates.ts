// @peculiar/x509 resolves its parts with tsyringe, which needs the Reflect metadata polyfill
// loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { registerSecret } from './secretScan.js';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

x509.cryptoProvider.set(webcrypto as never);

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const day = 24 * 3600 * 1000;

/** A certificate and its private key, as PEM. */
export interface Issued {
  cert: string;
  key: string;
  /** SHA-256 fingerprint as node:tls shows it (AA:BB:...). */
  fingerprint: string;
}

/** A certificate authority that issues server and client certificates (test use only). */
export interface TestCa extends Issued {
  name: string;
  /** A server certificate for localhost and 127.0.0.1 (and `hosts`), signed by this CA. */
  server(options?: { hosts?: string[]; notAfter?: Date; notBefore?: Date }): Promise<Issued>;
  /** A client certificate for `name`, signed by this CA. */
  client(name: string): Promise<Issued>;
  /** An intermediate CA signed by this one. */
  intermediate(name: string): Promise<TestCa>;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function pemKey(key: CryptoKey): string {
  const pem = KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
  // Every private key a test makes is one the suite's logs must never show.
  for (const line of pem.split('\n')) if (line.length >= 40) registerSecret(line);
  return pem;
}

function fingerprint(cert: x509.X509Certificate): string {
  return new X509Certificate(Buffer.from(cert.rawData)).fingerprint256;
}

const serial = () =>
  randomBytes(8)
    .toString('hex')
    .replace(/^[89a-f]/, '1');

async function makeCa(
  name: string,
  keys: CryptoKeyPair,
  cert: x509.X509Certificate,
  chain: string,
): Promise<TestCa> {
  const issue = async (
    subject: string,
    extensions: x509.Extension[],
    notBefore = new Date(Date.now() - day),
    notAfter = new Date(Date.now() + 30 * day),
    ca = false,
  ) => {
    const leafKeys = await keyPair();
    const issued = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: cert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      publicKey: leafKeys.publicKey,
      signingKey: keys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(ca, undefined, true),
        await x509.AuthorityKeyIdentifierExtension.create(cert),
        await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
        ...extensions,
      ],
    });
    return { issued, leafKeys };
  };
  return {
    name,
    cert: cert.toString('pem'),
    key: pemKey(keys.privateKey),
    fingerprint: fingerprint(cert),
    async server(options = {}) {
      const hosts = ['localhost', '127.0.0.1', ...(options.hosts ?? [])];
      const { issued, leafKeys } = await issue(
        'CN=localhost',
        [
          new x509.SubjectAlternativeNameExtension(
            hosts.map((h) =>
              /^[\d.]+$/.test(h)
                ? { type: 'ip' as const, value: h }
                : { type: 'dns' as const, value: h },
            ),
          ),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        ],
        options.notBefore,
        options.notAfter,
      );
      return {
        cert: `${issued.toString('pem')}\n${chain}`,
        key: pemKey(leafKeys.privateKey),
        fingerprint: fingerprint(issued),
      };
    },
    async client(clientName) {
      const { issued, leafKeys } = await issue(`CN=${clientName}`, [
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ]);
      return {
        cert: `${issued.toString('pem')}\n${chain}`,
        key: pemKey(leafKeys.privateKey),
        fingerprint: fingerprint(issued),
      };
    },
    async intermediate(subName) {
      const { issued, leafKeys } = await issue(
        `CN=${subName}`,
        [
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
            true,
          ),
        ],
        undefined,
        undefined,
        true,
      );
      return makeCa(subName, leafKeys, issued, `${issued.toString('pem')}\n${chain}`);
    },
  };
}

/** A fresh self-signed root CA (ECDSA P-256, valid from yesterday for a year). */
export async function createTestCa(name = 'scribe-proxy test CA'): Promise<TestCa> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 365 * day),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return makeCa(name, keys, cert, '');
}

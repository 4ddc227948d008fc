import type { Config } from './index.js';
import type { ConfigReader } from './ConfigReader.js';
import type { Variable } from './variables.js';
import { readTlsFiles, TlsFileError, type TlsFileSettings } from './tlsFiles.js';

/** HTTPS on each listener, its files checked now rather than at the first handshake. */
export function readTls(
  read: ConfigReader,
): Pick<Config, 'proxyTls' | 'adminTls' | 'tlsMinVersion'> {
  const proxyTls = readTlsFileSettings(
    read,
    'PROXY_TLS_CERT_FILE',
    'PROXY_TLS_KEY_FILE',
    'PROXY_TLS_CLIENT_CA_FILE',
  );
  const adminTls = readTlsFileSettings(
    read,
    'ADMIN_TLS_CERT_FILE',
    'ADMIN_TLS_KEY_FILE',
    'ADMIN_TLS_CLIENT_CA_FILE',
  );
  const tlsMinVersion = read.oneOf('TLS_MIN_VERSION', ['TLSv1.2', 'TLSv1.3'], 'TLSv1.2');
  return { proxyTls, adminTls, tlsMinVersion: tlsMinVersion ?? 'TLSv1.2' };
}

/**
 * One listener's certificate, key and optional client CA: none (plain HTTP), or a certificate
 * and key that make a usable pair. A client CA alone, or half a pair, is a problem.
 */
function readTlsFileSettings(
  read: ConfigReader,
  cert: Variable,
  key: Variable,
  clientCa: Variable,
): TlsFileSettings | undefined {
  const [certFile, keyFile, clientCaFile] = [read.text(cert), read.text(key), read.text(clientCa)];
  if (!certFile && !keyFile) {
    if (clientCaFile) read.problem(`invalid setting: ${clientCa} needs ${cert} and ${key}`);
    return undefined;
  }
  if (!certFile || !keyFile) {
    read.problem(`missing setting: ${certFile ? key : cert} (${certFile ? cert : key} is set)`);
    return undefined;
  }
  const settings = { certFile, keyFile, clientCaFile, names: { cert, key, clientCa } };
  try {
    readTlsFiles(settings);
  } catch (err) {
    if (!(err instanceof TlsFileError)) throw err;
    read.problem(`invalid setting: ${err.message}`);
  }
  return settings;
}

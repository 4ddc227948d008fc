/** A username and password sent with HTTP Basic authentication. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** Basic credentials whose bytes are not UTF-8 (RFC 7617's charset="UTF-8"). */
export class CredentialsNotUtf8Error extends Error {
  constructor() {
    super('the Basic credentials are not valid UTF-8');
    this.name = 'CredentialsNotUtf8Error';
  }
}

// Strict: a lossy decoder turns p\xe4ss and p\xf6ss into one password (p\ufffdss).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Cognito's own bounds: usernames up to 128 characters, passwords up to 256.
const maxUsername = 128;
const maxPassword = 256;

/**
 * The login in an `Authorization: Basic base64(username:password)` header (RFC 7617, UTF-8), if
 * it has that form: the first colon splits, neither part may be empty or over Cognito's bounds.
 * Bytes that are not UTF-8 throw CredentialsNotUtf8Error (a 400, never a login attempt).
 */
export function basicCredentials(header: string | undefined): BasicCredentials | undefined {
  const match = header ? /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header) : null;
  const encoded = match?.[1];
  if (!encoded || encoded.length > 2 * (maxUsername + maxPassword) * 4) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new CredentialsNotUtf8Error();
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (!password || username.length > maxUsername || password.length > maxPassword) return undefined;
  // Control characters (a decoding accident, or an attempt to smuggle a line into a log).
  for (let i = 0; i < username.length; i++) {
    const code = username.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return undefined;
  }
  return { username, password };
}

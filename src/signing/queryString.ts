/** A query string that is not valid percent-encoding. */
export class MalformedQueryError extends Error {}

/**
 * Parse a raw query string (without `?`) into decoded keys and values. `+` is a literal plus, as
 * API Gateway reads it; a bare key has the value ''; repeated keys collect into arrays.
 */
export function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  if (raw === '') return query;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new MalformedQueryError('the query string is not valid percent-encoding');
  }
}

/** RFC 3986 encoding: everything but unreserved characters is percent-encoded. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonical query string SigV4 signs: keys sorted, repeated values sorted, RFC 3986 encoded,
 * `k` written `k=`. Sending exactly this string makes what is signed and what is sent one thing.
 */
export function canonicalQueryString(query: Record<string, string | string[]>): string {
  const pairs: string[] = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    const encodedKey = encodeRfc3986(key);
    const values = Array.isArray(value) ? value : [value ?? ''];
    pairs.push(...values.map((v) => `${encodedKey}=${encodeRfc3986(v)}`).sort());
  }
  // Sort by encoded key, keeping each key's sorted values together (as SigV4 does).
  return pairs
    .map((pair) => ({ key: pair.slice(0, pair.indexOf('=')), pair }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.pair)
    .join('&');
}

const hex = '0123456789ABCDEF';

/** True for the bytes RFC 3986 leaves unreserved: A-Z a-z 0-9 - . _ ~ */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d ||
    byte === 0x2e ||
    byte === 0x5f ||
    byte === 0x7e
  );
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * One raw query component percent-decoded to bytes (never to a string: `%FF` and a Latin-1 `%FC`
 * stay the bytes they are) and encoded again per RFC 3986, upper-case hex. A raw `+` is a literal
 * plus; a character beyond ASCII counts as its UTF-8 bytes.
 */
function recodeComponent(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let bytes: Iterable<number>;
    if (code === 0x25) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = hexValue(text.charCodeAt(i + 2));
      if (high < 0 || low < 0) {
        throw new MalformedQueryError('the query string is not valid percent-encoding');
      }
      bytes = [(high << 4) | low];
      i += 2;
    } else if (code < 0x80) {
      bytes = [code];
    } else {
      const wide = code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      bytes = Buffer.from(text.slice(i, i + wide), 'utf8');
      i += wide - 1;
    }
    for (const byte of bytes) {
      out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${hex[byte >> 4]}${hex[byte & 15]}`;
    }
  }
  return out;
}

/**
 * The canonical query string SigV4 signs, straight from a raw query (without `?`), as API Gateway
 * canonicalises it: each key and value percent-decoded to bytes and encoded again per RFC 3986,
 * sorted by encoded key, then value; `k` written `k=`. For a query whose bytes are UTF-8 it is
 * canonicalQueryString(parseQuery(raw)); unlike parseQuery it also takes bytes that are not UTF-8.
 */
export function canonicalQueryFromRaw(raw: string): string {
  if (raw === '') return '';
  const pairs: Array<{ key: string; pair: string }> = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = recodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : recodeComponent(part.slice(eq + 1));
    pairs.push({ key, pair: `${key}=${value}` });
  }
  pairs.sort((a, b) =>
    a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : 0,
  );
  return pairs.map((p) => p.pair).join('&');
}

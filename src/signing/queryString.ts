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

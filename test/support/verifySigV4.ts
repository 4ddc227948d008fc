import aws4 from 'aws4';

/** What a verifier knows about an access key. */
export interface KnownCredentials {
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

/** A request as it arrived on the wire. */
export interface ArrivedRequest {
  method: string;
  /** The raw request target (path and query, as sent). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Verdict =
  { ok: true; accessKeyId: string; signedHeaders: string[] } | { ok: false; message: string };

/** API Gateway's messages for its 403s. */
export const apiGatewayMessages = {
  missing: 'Missing Authentication Token',
  mismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  expiredToken: 'The security token included in the request is expired',
  invalidToken: 'The security token included in the request is invalid.',
};

const authPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** A time as SigV4 writes it: 20261129T100000Z. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function literalPlusInQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q + 1) + url.slice(q + 1).replace(/\+/g, '%2B');
}

/** True when every key and value of a raw query percent-decodes to UTF-8. */
function decodesAsUtf8(query: string): boolean {
  try {
    for (const part of query.split(/[&=]/)) decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/**
 * The canonical query of a raw query whose bytes are not UTF-8, as API Gateway computes it: each
 * key and value decoded to bytes and encoded again (RFC 3986, upper-case hex), sorted by key, then
 * value. aws4 cannot: it decodes to strings (Node's querystring), turning each such byte into
 * U+FFFD, so for these queries this replaces the query line of its canonical request.
 */
function byteCanonicalQuery(query: string): string {
  const recode = (text: string) =>
    [
      ...Buffer.from(
        text.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ),
    ]
      .map((b) =>
        /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('');
  return query
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const [key = '', ...value] = part.split('=');
      return [recode(key), recode(value.join('='))] as const;
    })
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function header(req: ArrivedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Check a SigV4 signature the way API Gateway does, recomputing it with `aws4`, an implementation
 * independent of the signer under test. A raw `+` in the query is read as a literal plus.
 */
export function verifySigV4(
  req: ArrivedRequest,
  scope: { region: string; service: string },
  resolve: (accessKeyId: string) => KnownCredentials | undefined,
  now: Date = new Date(),
): Verdict {
  const authorization = header(req, 'authorization');
  if (!authorization) return { ok: false, message: apiGatewayMessages.missing };
  const match = authPattern.exec(authorization);
  if (!match) return { ok: false, message: `Authorization header is malformed: ${authorization}` };
  const [, accessKeyId = '', date, region, service, signedList = '', signature] = match;
  if (region !== scope.region || service !== scope.service) {
    return {
      ok: false,
      message: `Credential should be scoped to ${scope.region}/${scope.service}`,
    };
  }
  const known = resolve(accessKeyId);
  if (!known) return { ok: false, message: apiGatewayMessages.invalidToken };
  const token = header(req, 'x-amz-security-token');
  if (known.sessionToken !== undefined && token !== known.sessionToken) {
    return { ok: false, message: apiGatewayMessages.invalidToken };
  }
  if (known.expiration && known.expiration.getTime() <= now.getTime()) {
    return { ok: false, message: apiGatewayMessages.expiredToken };
  }
  const amzDate = header(req, 'x-amz-date') ?? '';
  if (!amzDate.startsWith(date ?? '-')) return { ok: false, message: 'x-amz-date does not match' };
  const signedAt = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  const window = 5 * 60 * 1000;
  if (!Number.isFinite(signedAt)) return { ok: false, message: 'x-amz-date is malformed' };
  // API Gateway's words, with its own clock's times in them.
  if (signedAt < now.getTime() - window) {
    const message = `Signature expired: ${amzDate} is now earlier than ${stamp(now.getTime() - window)} (${stamp(now.getTime())} - 5 min.)`;
    return { ok: false, message };
  }
  if (signedAt > now.getTime() + window) {
    const message = `Signature not yet current: ${amzDate} is still later than ${stamp(now.getTime() + window)} (${stamp(now.getTime())} + 5 min.)`;
    return { ok: false, message };
  }
  const signedHeaders = signedList.split(';');
  if (!signedHeaders.includes('host')) return { ok: false, message: 'host must be signed' };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(req, name);
    if (value === undefined) return { ok: false, message: `signed header ${name} is missing` };
    headers[name] = value;
  }
  const q = req.url.indexOf('?');
  const rawQuery = q === -1 ? '' : req.url.slice(q + 1);
  const bytesQuery = decodesAsUtf8(rawQuery) ? undefined : byteCanonicalQuery(rawQuery);
  const signer = new aws4.RequestSigner(
    {
      method: req.method,
      host: headers['host'],
      path: bytesQuery === undefined ? literalPlusInQuery(req.url) : req.url.slice(0, q),
      headers,
      body: req.body,
      service: scope.service,
      region: scope.region,
      doNotModifyHeaders: true,
    },
    {
      accessKeyId,
      secretAccessKey: known.secretAccessKey,
      ...(known.sessionToken ? { sessionToken: known.sessionToken } : {}),
    },
  ) as aws4.RequestSigner & { datetime: string };
  signer.datetime = amzDate;
  if (bytesQuery !== undefined) {
    const canonicalString = signer.canonicalString.bind(signer);
    signer.canonicalString = () => {
      const lines = canonicalString().split('\n');
      lines[2] = bytesQuery;
      return lines.join('\n');
    };
  }
  const expected = signer.authHeader();
  if (
    !expected.endsWith(`Signature=${signature}`) ||
    !expected.includes(`SignedHeaders=${signedList},`)
  ) {
    return { ok: false, message: apiGatewayMessages.mismatch };
  }
  return { ok: true, accessKeyId, signedHeaders };
}

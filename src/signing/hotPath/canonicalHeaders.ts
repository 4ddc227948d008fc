/** Headers SigV4 signers never sign (as @smithy/signature-v4). */
const unsignable = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

/** A header value as SigV4 signs it: line breaks as spaces, runs of blanks as one, trimmed. */
export function canonicalHeaderValue(value: string): string {
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * The canonical header block (`name:value` lines, sorted by lower-case name) and the signed
 * header list, for any headers: the general form, used for the AWS suite vectors. The proxy's
 * hot path builds the same block once per credential set (HotPathSigner).
 */
export function canonicalHeaders(headers: Record<string, string>): {
  block: string;
  signed: string;
} {
  const canonical = new Map<string, string>();
  for (const name of Object.keys(headers).sort()) {
    const lower = name.toLowerCase();
    const value = headers[name];
    if (value === undefined || unsignable.has(lower) || /^(proxy|sec)-/.test(lower)) continue;
    canonical.set(lower, canonicalHeaderValue(value));
  }
  const names = [...canonical.keys()].sort();
  return {
    block: names.map((name) => `${name}:${canonical.get(name) ?? ''}`).join('\n'),
    signed: names.join(';'),
  };
}

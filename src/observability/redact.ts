/** Header and field names whose values are secrets, wherever they appear. */
export const secretKeys = [
  'authorization',
  'proxy-authorization',
  'x-amz-security-token',
  'x-proxy-token',
  'cookie',
  'set-cookie',
  'password',
  'newPassword',
  'new_password',
  'token',
  'accessToken',
  'idToken',
  'refreshToken',
  'sessionToken',
  'secretKey',
  'secretAccessKey',
  'clientSecret',
  'mfaSecret',
  'secret',
  'code',
  'session',
];

/** pino redact paths covering the secret keys at the top level and one or two levels down. */
export const redactPaths = secretKeys.flatMap((key) => {
  const k = /^[a-zA-Z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const dot = k.startsWith('[') ? '' : '.';
  return [k, `*${dot}${k}`, `*.*${dot}${k}`];
});

const censor = '[redacted]';

/**
 * Remove every known secret value from a text (error messages, upstream bodies) before it is
 * logged or returned. Values shorter than 6 characters are left alone (too likely to collide).
 */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) result = result.split(secret).join(censor);
  }
  return result;
}

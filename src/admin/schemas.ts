import { z } from 'zod';

const text = (max: number) => z.string().min(1).max(max);

/** The JSON bodies of the admin routes. Unknown fields are refused, so typos are caught. */
export const schemas = {
  login: z.strictObject({ username: text(128).optional(), password: text(256).optional() }),
  mfa: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') }),
  mfaVerify: z.strictObject({
    code: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
    deviceName: text(64).optional(),
  }),
  password: z.strictObject({ newPassword: text(256), password: text(256).optional() }),
  forgot: z.strictObject({ username: text(128).optional() }),
  confirm: z.strictObject({
    code: z.string().regex(/^\d{4,10}$/, 'must be the digits of the code'),
    newPassword: text(256),
    username: text(128).optional(),
  }),
  empty: z.strictObject({}),
};

/** The value at `path` inside `input`, undefined when any step is missing. */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A one-line description of what is wrong with a body, naming the fields (never their values):
 * a missing field is `required`, a field of the wrong type says the type it must have.
 */
export function describeIssues(error: z.ZodError, input?: unknown): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
      if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
      if (issue.code === 'invalid_type') {
        // zod leaves the input out of its issues, so whether the field was sent is read here.
        const sent = input === undefined ? issue.input : valueAt(input, issue.path);
        if (sent === undefined) return `${field}: required`;
        const article = /^[aeiou]/.test(issue.expected) ? 'an' : 'a';
        return `${field} must be ${article} ${issue.expected}`;
      }
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

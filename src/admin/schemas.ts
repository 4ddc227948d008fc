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

/** A one-line description of what is wrong with a body, naming the fields (never their values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
      if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
      if (issue.code === 'invalid_type' && issue.input === undefined) return `${field}: required`;
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ScribeAuthError } from '../../auth/index.js';
import { SessionConflictError } from '../../session/index.js';
import { describeIssues } from '../schemas.js';
import type { ConsoleSession } from './consoleSessions.js';

/** A form's fields as strings, an empty field as absent, the CSRF field left out. */
export function formFields(req: Request): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '_csrf' || typeof value !== 'string' || value === '') continue;
    out[key] = value;
  }
  return out;
}

/** A form that fails validation: shown to the operator as the flash message. */
export class FormError extends Error {}

/** Parse `fields` with the admin API's own schema for the operation, or a FormError. */
export function parseWith<S extends z.ZodType>(schema: S, fields: object): z.infer<S> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new FormError(describeIssues(parsed.error));
  return parsed.data;
}

/** The new password typed twice, checked to match; the rest of the fields as they were. */
export function takeNewPassword(fields: Record<string, string>): Record<string, string> {
  const { newPasswordAgain, ...rest } = fields;
  if (rest['newPassword'] !== undefined && rest['newPassword'] !== newPasswordAgain) {
    throw new FormError('the two new passwords differ: type the same one twice');
  }
  return rest;
}

/** What a console form does; its answer becomes the flash message (and may pick the next page). */
export type FormAction = (
  fields: Record<string, string>,
  console: ConsoleSession,
) => Promise<string | { text: string; to: string }>;

/** The console session a guarded route runs in (set by the session guard). */
export function consoleSessionOf(res: Response): ConsoleSession {
  return res.locals['consoleSession'] as ConsoleSession;
}

/**
 * Run a form's action, then redirect (POST, redirect, GET): success to `done`, a refusal back to
 * `back`, with what happened as the next page's message. Cognito's and the session's refusals
 * are shown as they say what to do; anything else is a generic failure (and logged by name).
 */
export function formAction(
  name: string,
  target: { done: string; back: string },
  action: FormAction,
  onAction?: (action: string, outcome: 'ok' | 'failed', detail?: string) => void,
): RequestHandler {
  return async (req, res) => {
    const session = consoleSessionOf(res);
    try {
      const answer = await action(formFields(req), session);
      const { text, to } = typeof answer === 'string' ? { text: answer, to: target.done } : answer;
      session.flash = { kind: 'ok', text };
      onAction?.(name, 'ok');
      res.redirect(303, to);
    } catch (err) {
      const known =
        err instanceof ScribeAuthError ||
        err instanceof SessionConflictError ||
        err instanceof FormError;
      session.flash = {
        kind: 'error',
        text: known ? err.message : 'the action failed inside the proxy (see its log)',
      };
      onAction?.(name, 'failed', err instanceof Error ? err.name : 'error');
      res.redirect(303, target.back);
    }
  };
}

/** The page context of a guarded GET: the flash message is shown once, then cleared. */
export function pageContext(
  res: Response,
  path: string,
  mode: 'shared' | 'per-client',
): { mode: 'shared' | 'per-client'; path: string; csrf: string; flash: ConsoleSession['flash'] } {
  const session = consoleSessionOf(res);
  const flash = session.flash;
  session.flash = undefined;
  return { mode, path, csrf: session.csrf, flash };
}

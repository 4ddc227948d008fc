import type { ServerResponse } from 'node:http';
import { cognitoHeaders, sendError } from './cognitoReply.js';

/** One call as the scripted Cognito saw it. */
export interface ScriptedCall {
  /** The operation (InitiateAuth, GetId, ...). */
  operation: string;
  /** The operation with its flow when it has one: `InitiateAuth/REFRESH_TOKEN_AUTH`. */
  name: string;
  body: Record<string, unknown>;
  /** Our clock when it arrived (epoch ms). */
  at: number;
}

/** A challenge the scripted pool can ask for instead of tokens. */
export type ScriptedChallenge =
  'SMS_MFA' | 'EMAIL_OTP' | 'SELECT_MFA_TYPE' | 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA';

/** How one answer is bent away from a well-behaved Cognito. */
export type Bend =
  /** Send the status line and headers, then nothing more, ever (until the server stops). */
  | { kind: 'stall' }
  /** Tokens (ExpiresIn 0, `exp` in the past) or credentials (`Expiration` past) dead on arrival. */
  | { kind: 'expired' }
  /** Answer a login with this challenge (parameters as Cognito sends them). */
  | { kind: 'challenge'; name: ScriptedChallenge; parameters?: Record<string, string> }
  /** A Cognito error: `__type` and message, with this status (default 400). */
  | { kind: 'error'; type: string; status?: number; message?: string }
  /** Any answer at all. */
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> };

/** Whether `match` names this call: its operation, its operation and flow, or `*` for any. */
export function matches(match: string, call: ScriptedCall): boolean {
  return match === '*' || match === call.operation || match === call.name;
}

interface ActiveBend {
  match: string;
  bend: Bend;
  remaining: number;
}

/** Which calls are bent and how: bends in the order a test added them, each for so many answers. */
export class BendSchedule {
  #bends: ActiveBend[] = [];

  /** Bend the next `times` answers to calls matching `match`, after the bends already added. */
  add(match: string, bend: Bend, times: number): void {
    this.#bends.push({ match, bend, remaining: times });
  }

  /** No bend any more. */
  clear(): void {
    this.#bends = [];
  }

  /** The bend of this call (using up one of its answers), if any applies. */
  take(call: ScriptedCall): Bend | undefined {
    const active = this.#bends.find((b) => b.remaining > 0 && matches(b.match, call));
    if (active) active.remaining--;
    return active?.bend;
  }
}

/**
 * Answer in the bend's place when it replaces the whole answer (a stall, an error, a raw answer)
 * and say so; false when the operation must still answer (well-behaved, expired, a challenge).
 * A stalled answer joins `stalled` until its connection closes.
 */
export function replaceAnswer(
  res: ServerResponse,
  bend: Bend | undefined,
  cognitoNow: number,
  stalled: Set<ServerResponse>,
): boolean {
  switch (bend?.kind) {
    case 'stall':
      res.writeHead(200, cognitoHeaders(cognitoNow));
      res.flushHeaders();
      stalled.add(res);
      res.on('close', () => stalled.delete(res));
      return true;
    case 'error':
      sendError(
        res,
        {
          type: bend.type,
          message: bend.message ?? 'scripted refusal',
          status: bend.status ?? 400,
        },
        cognitoNow,
      );
      return true;
    case 'raw':
      res.writeHead(bend.status, { ...cognitoHeaders(cognitoNow), ...bend.headers });
      res.end(bend.body);
      return true;
    default:
      return false;
  }
}

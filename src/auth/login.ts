import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type ChallengeNameType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { answerClockOf } from './answerClock.js';
import { requireText, type CognitoCalls } from './cognitoCalls.js';
import {
  InvalidParameterError,
  ScribeAuthError,
  UnexpectedResponseError,
  UnsupportedChallengeError,
} from './errors.js';
import { tokensFrom } from './tokens.js';
import type { AuthResult, Challenge, LoginInput, Tokens } from './types.js';

// Logging in, and the challenges Cognito may ask for on the way.

/**
 * Log in with a username and password (USER_PASSWORD_AUTH), or refresh with a refresh token
 * (REFRESH_TOKEN_AUTH; pass `username` too when the client has a secret). Returns tokens, or a
 * challenge (SOFTWARE_TOKEN_MFA, NEW_PASSWORD_REQUIRED) to answer.
 */
export async function getTokens(calls: CognitoCalls, input: LoginInput): Promise<AuthResult> {
  if ('refreshToken' in input) {
    requireText({ refreshToken: input.refreshToken });
    if (calls.clientSecret && !input.username) {
      throw new InvalidParameterError(
        'refreshing with a client secret needs the username (or sub) for SECRET_HASH',
      );
    }
    const params: Record<string, string> = {
      REFRESH_TOKEN: input.refreshToken,
      ...(input.username ? calls.secretHashParam(input.username) : {}),
    };
    const output = await calls.retried('InitiateAuth', (o) =>
      calls.idp.send(
        new InitiateAuthCommand({
          ClientId: calls.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: params,
        }),
        o,
      ),
    );
    return authResult(calls, output, input.username ?? '', input.refreshToken, 'InitiateAuth');
  }
  requireText({ username: input.username, password: input.password });
  // A password login is never retried: each attempt counts against the user's limit.
  const output = await calls.once('InitiateAuth', (o) =>
    calls.idp.send(
      new InitiateAuthCommand({
        ClientId: calls.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: input.username,
          PASSWORD: input.password,
          ...calls.secretHashParam(input.username),
        },
      }),
      o,
    ),
  );
  return authResult(calls, output, input.username, undefined, 'InitiateAuth');
}

/** Answer a SOFTWARE_TOKEN_MFA challenge with a TOTP code. Returns tokens. */
export async function respondToMfaChallenge(
  calls: CognitoCalls,
  username: string,
  session: string,
  code: string,
): Promise<Tokens> {
  requireText({ username, session, code });
  const output = await calls.once('RespondToAuthChallenge', (o) =>
    calls.idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: calls.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: session,
        ChallengeResponses: {
          USERNAME: username,
          SOFTWARE_TOKEN_MFA_CODE: code,
          ...calls.secretHashParam(username),
        },
      }),
      o,
    ),
  );
  const result = await authResult(calls, output, username, undefined, 'RespondToAuthChallenge');
  if ('challengeName' in result) {
    throw new UnexpectedResponseError(
      `RespondToAuthChallenge: Cognito asked for another challenge (${result.challengeName})`,
      { httpStatus: 502 },
    );
  }
  return result;
}

/**
 * Answer NEW_PASSWORD_REQUIRED with a new password. `userAttributes` supplies the attributes
 * Cognito lists as required. Returns tokens, or the next challenge (MFA).
 */
export async function respondToNewPasswordChallenge(
  calls: CognitoCalls,
  username: string,
  session: string,
  newPassword: string,
  userAttributes: Record<string, string> = {},
  requiredAttributes: string[] = [],
): Promise<AuthResult> {
  requireText({ username, session, newPassword });
  const missing = requiredAttributes.filter((name) => !userAttributes[name]);
  if (missing.length > 0) {
    throw new InvalidParameterError(
      `the new password challenge needs these user attributes: ${missing.join(', ')}`,
    );
  }
  const responses: Record<string, string> = {
    USERNAME: username,
    NEW_PASSWORD: newPassword,
    ...calls.secretHashParam(username),
  };
  for (const [name, value] of Object.entries(userAttributes)) {
    responses[`userAttributes.${name}`] = value;
  }
  const output = await calls.once('RespondToAuthChallenge', (o) =>
    calls.idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: calls.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: responses,
      }),
      o,
    ),
  );
  return authResult(calls, output, username, undefined, 'RespondToAuthChallenge');
}

async function authResult(
  calls: CognitoCalls,
  output: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'Session'> & {
    ChallengeParameters?: Record<string, string> | undefined;
  },
  username: string,
  refreshToken: string | undefined,
  operation: string,
): Promise<AuthResult> {
  if (output.AuthenticationResult) {
    return tokensFrom(output.AuthenticationResult, refreshToken, operation, answerClockOf(output));
  }
  const name = output.ChallengeName;
  const session = output.Session;
  if (!name || !session) {
    throw new UnexpectedResponseError(`${operation} returned neither tokens nor a challenge`, {
      httpStatus: 502,
    });
  }
  const challengeUser = output.ChallengeParameters?.['USER_ID_FOR_SRP'] || username;
  if (name === 'SELECT_MFA_TYPE') {
    return selectSoftwareToken(calls, output, challengeUser, session);
  }
  if (name === 'NEW_PASSWORD_REQUIRED') {
    const challenge: Challenge = { challengeName: name, session, username: challengeUser };
    const required = parseStringList(output.ChallengeParameters?.['requiredAttributes']).map((a) =>
      a.replace(/^userAttributes\./, ''),
    );
    if (required.length > 0) challenge.requiredAttributes = required;
    return challenge;
  }
  if (name === 'SOFTWARE_TOKEN_MFA') {
    return { challengeName: name, session, username: challengeUser };
  }
  throw unsupportedChallenge(name);
}

/** With both SMS and TOTP set up Cognito asks which to use: pick the authenticator app. */
async function selectSoftwareToken(
  calls: CognitoCalls,
  output: { ChallengeParameters?: Record<string, string> | undefined },
  username: string,
  session: string,
): Promise<AuthResult> {
  const choices = parseStringList(output.ChallengeParameters?.['MFAS_CAN_CHOOSE']);
  if (!choices.includes('SOFTWARE_TOKEN_MFA')) throw unsupportedChallenge('SELECT_MFA_TYPE');
  const next = await calls.once('RespondToAuthChallenge', (o) =>
    calls.idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: calls.clientId,
        ChallengeName: 'SELECT_MFA_TYPE',
        Session: session,
        ChallengeResponses: {
          USERNAME: username,
          ANSWER: 'SOFTWARE_TOKEN_MFA',
          ...calls.secretHashParam(username),
        },
      }),
      o,
    ),
  );
  return authResult(calls, next, username, undefined, 'RespondToAuthChallenge');
}

function unsupportedChallenge(name: ChallengeNameType | string): ScribeAuthError {
  return new UnsupportedChallengeError(
    `Cognito asked for the ${name} challenge, which scribe-proxy does not answer; ` +
      'use TOTP (authenticator app) MFA for this account',
    { httpStatus: 501 },
  );
}

function parseStringList(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

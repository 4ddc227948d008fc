import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { requireText, type CognitoCalls } from './cognitoCalls.js';
import { InvalidParameterError } from './errors.js';
import { getTokens, respondToNewPasswordChallenge } from './login.js';
import type { CodeDelivery } from './types.js';

// Passwords: changing one (also a temporary one), and resetting a forgotten one.

/**
 * Change a user's password. Signs in with the current one; when Cognito asks for a new
 * password (a temporary password), answers that challenge, otherwise calls ChangePassword.
 */
export async function changePassword(
  calls: CognitoCalls,
  username: string,
  password: string,
  newPassword: string,
  userAttributes: Record<string, string> = {},
): Promise<true> {
  requireText({ username, password, newPassword });
  const result = await getTokens(calls, { username, password });
  if ('challengeName' in result) {
    if (result.challengeName === 'NEW_PASSWORD_REQUIRED') {
      // Cognito sets the password when it accepts this answer, even if MFA follows.
      await respondToNewPasswordChallenge(
        calls,

        result.username,
        result.session,
        newPassword,
        userAttributes,
        result.requiredAttributes,
      );
      return true;
    }
    throw new InvalidParameterError(
      'changePassword: this account has MFA; log in with getTokens and respondToMfaChallenge, ' +
        'then call changePasswordWithToken with the access token',
    );
  }
  return changePasswordWithToken(calls, result.accessToken, password, newPassword);
}

/** Change the password of the user an access token belongs to. */
export async function changePasswordWithToken(
  calls: CognitoCalls,
  accessToken: string,
  password: string,
  newPassword: string,
): Promise<true> {
  requireText({ accessToken, password, newPassword });
  await calls.once('ChangePassword', (o) =>
    calls.idp.send(
      new ChangePasswordCommand({
        AccessToken: accessToken,
        PreviousPassword: password,
        ProposedPassword: newPassword,
      }),
      o,
    ),
  );
  return true;
}

/** Send a password-reset code to the user (ForgotPassword). Returns where it went. */
export async function requestPasswordReset(
  calls: CognitoCalls,
  username: string,
): Promise<CodeDelivery> {
  requireText({ username });
  const output = await calls.once('ForgotPassword', (o) =>
    calls.idp.send(
      new ForgotPasswordCommand({
        ClientId: calls.clientId,
        Username: username,
        ...calls.secretHashField(username),
      }),
      o,
    ),
  );
  const details = output.CodeDeliveryDetails;
  return {
    deliveryMedium: details?.DeliveryMedium,
    destination: details?.Destination,
    attributeName: details?.AttributeName,
  };
}

/** Set a new password with the code from requestPasswordReset (ConfirmForgotPassword). */
export async function forgotPassword(
  calls: CognitoCalls,
  username: string,
  newPassword: string,
  confirmationCode: string,
): Promise<true> {
  requireText({ username, newPassword, confirmationCode });
  await calls.once('ConfirmForgotPassword', (o) =>
    calls.idp.send(
      new ConfirmForgotPasswordCommand({
        ClientId: calls.clientId,
        Username: username,
        Password: newPassword,
        ConfirmationCode: confirmationCode,
        ...calls.secretHashField(username),
      }),
      o,
    ),
  );
  return true;
}

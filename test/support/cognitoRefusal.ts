/**
 * A Cognito error an emulated pool answers with: its `__type`, message and HTTP status (400 unless
 * said). Thrown by an operation, written as Cognito's JSON error body by the server.
 */
export class CognitoRefusal extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Cognito's `NotAuthorizedException`: a bad password, session, refresh token or login token. */
export class NotAuthorized extends CognitoRefusal {
  constructor(message: string) {
    super('NotAuthorizedException', message);
  }
}

import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { closeNow, listenOnLoopback } from './loopbackServer.js';
import { operationOf } from './cognitoOperation.js';

/** Send one JSON request to the target and read the whole answer. */
function exchange(
  target: URL,
  headers: IncomingMessage['headers'],
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const out = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/',
        headers: { ...headers, host: target.host, 'content-length': String(body.length) },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () =>
          resolve({
            status: answer.statusCode ?? 502,
            headers: answer.headers,
            body: Buffer.concat(chunks),
          }),
        );
        answer.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

/**
 * The sandbox's front for cognito-local, making its first login behave as Cognito's does.
 * cognito-local does not keep the refresh token it issues when a temporary password is replaced
 * (`RespondToAuthChallenge` with `NEW_PASSWORD_REQUIRED`), so that token can never refresh and a
 * proxy started from the session file `scribe-proxy login` wrote ends in `needs-login`. Real
 * Cognito keeps it. This relay, after a successful new-password answer, logs in once more with the
 * new password and hands back that login's tokens, whose refresh token cognito-local does keep.
 * Everything else passes through untouched; the product is not changed for the emulator.
 */
export class FirstLoginRelay {
  url = '';
  #server: Server | undefined;

  constructor(private readonly target: URL) {}

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.#relay(req, Buffer.concat(chunks)).then(
          (answer) => {
            const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
            delete headers['transfer-encoding'];
            res.writeHead(answer.status, headers);
            res.end(answer.body);
          },
          () => res.destroy(),
        );
      });
    });
    this.url = await listenOnLoopback(this.#server);
    return this;
  }

  async #relay(req: IncomingMessage, body: Buffer) {
    const answer = await exchange(this.target, req.headers, body);
    if (operationOf(req.headers) !== 'RespondToAuthChallenge' || answer.status !== 200) {
      return answer;
    }
    const asked = JSON.parse(body.toString('utf8')) as {
      ClientId?: string;
      ChallengeName?: string;
      ChallengeResponses?: Record<string, string>;
    };
    const responses = asked.ChallengeResponses ?? {};
    if (asked.ChallengeName !== 'NEW_PASSWORD_REQUIRED' || !responses['NEW_PASSWORD']) {
      return answer;
    }
    const login = await exchange(
      this.target,
      { ...req.headers, 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      Buffer.from(
        JSON.stringify({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: asked.ClientId,
          AuthParameters: {
            USERNAME: responses['USERNAME'],
            PASSWORD: responses['NEW_PASSWORD'],
            ...(responses['SECRET_HASH'] ? { SECRET_HASH: responses['SECRET_HASH'] } : {}),
          },
        }),
      ),
    );
    const tokens = JSON.parse(login.body.toString('utf8')) as { AuthenticationResult?: unknown };
    return login.status === 200 && tokens.AuthenticationResult ? login : answer;
  }

  async stop(): Promise<void> {
    await closeNow(this.#server);
  }
}

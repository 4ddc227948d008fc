import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { closeNow, listenOnLoopback } from './loopbackServer.js';
import { operationOf } from './cognitoOperation.js';

interface Exchanged {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Send one JSON request to the target and read the whole answer. */
function exchange(
  target: URL,
  headers: IncomingMessage['headers'],
  body: Buffer,
): Promise<Exchanged> {
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

/** A JSON body as an object; anything else as an empty one (it is passed on untouched). */
function json(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What the relay reads of a login or a challenge answer, and of Cognito's reply to it. */
interface Asked {
  ClientId?: string;
  Session?: string;
  ChallengeName?: string;
  AuthParameters?: Record<string, string>;
  ChallengeResponses?: Record<string, string>;
}
interface Replied {
  Session?: string;
  ChallengeName?: string;
  AuthenticationResult?: { RefreshToken?: string };
}

/** How long a challenge waits for its answer: Cognito's challenge sessions last 3 minutes. */
const challengeLifetimeMs = 3 * 60_000;
/** The most challenges waiting at once; the oldest is forgotten first. */
const maxWaiting = 100;

/**
 * The sandbox's front for cognito-local, making a login through a challenge behave as Cognito's
 * does. cognito-local does not keep the refresh token it issues when a challenge is answered
 * (`RespondToAuthChallenge`: a temporary password replaced, an MFA code), so that token never
 * refreshes: `scribe-proxy login` writes a session file that `credentials --session-file`, the
 * library's `getTokens({ refreshToken })` and a proxy's refresh all find refused. Real Cognito
 * keeps it. After a successful answer this relay logs the user in once more through
 * `AdminInitiateAuth` (which cognito-local answers without a challenge, the code having just
 * been checked, and whose refresh token it keeps) and hands back the answer with that refresh
 * token in it. The password is the new one in a new-password answer; for an MFA answer, the one
 * of the login that started the challenge, held in memory until the answer, at most 3 minutes.
 * Everything else passes through untouched; the product is not changed for the emulator.
 */
export class ChallengeAnswerRelay {
  url = '';
  #server: Server | undefined;
  /** Challenge session → the password of the login it belongs to, and until when. */
  readonly #waiting = new Map<string, { password: string; until: number }>();

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

  async #relay(req: IncomingMessage, body: Buffer): Promise<Exchanged> {
    const answer = await exchange(this.target, req.headers, body);
    const operation = operationOf(req.headers);
    if (answer.status !== 200) return answer;
    if (operation !== 'InitiateAuth' && operation !== 'RespondToAuthChallenge') return answer;
    const asked = json(body) as Asked;
    const replied = json(answer.body) as Replied;
    const password =
      operation === 'InitiateAuth' ? asked.AuthParameters?.['PASSWORD'] : this.#password(asked);
    if (password === undefined) return answer;
    // A challenge (MFA, or the choice of one): its answer will need the password.
    if (replied.ChallengeName && replied.Session) {
      this.#wait(replied.Session, password);
      return answer;
    }
    const issued = replied.AuthenticationResult;
    if (operation === 'InitiateAuth' || !issued?.RefreshToken) return answer;
    const kept = await this.#keptRefreshToken(asked, password);
    if (!kept) return answer;
    const withKept = { ...replied, AuthenticationResult: { ...issued, RefreshToken: kept } };
    return { ...answer, body: Buffer.from(JSON.stringify(withKept)) };
  }

  /** The password a challenge answer goes with: the new one chosen, or its login's. */
  #password(asked: Asked): string | undefined {
    const chosen = asked.ChallengeResponses?.['NEW_PASSWORD'];
    if (asked.ChallengeName === 'NEW_PASSWORD_REQUIRED') return chosen || undefined;
    const waiting = asked.Session ? this.#waiting.get(asked.Session) : undefined;
    if (asked.Session) this.#waiting.delete(asked.Session);
    return waiting && waiting.until > Date.now() ? waiting.password : undefined;
  }

  #wait(session: string, password: string): void {
    const now = Date.now();
    for (const [key, entry] of this.#waiting) {
      if (entry.until <= now || this.#waiting.size >= maxWaiting) this.#waiting.delete(key);
    }
    this.#waiting.set(session, { password, until: now + challengeLifetimeMs });
  }

  /** A refresh token cognito-local keeps, from a login of the same user; undefined if refused. */
  async #keptRefreshToken(asked: Asked, password: string): Promise<string | undefined> {
    const login = await exchange(
      this.target,
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminInitiateAuth',
      },
      Buffer.from(
        JSON.stringify({
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          ClientId: asked.ClientId,
          AuthParameters: { USERNAME: asked.ChallengeResponses?.['USERNAME'], PASSWORD: password },
        }),
      ),
    );
    const tokens = json(login.body) as Replied;
    return login.status === 200 ? tokens.AuthenticationResult?.RefreshToken : undefined;
  }

  async stop(): Promise<void> {
    this.#waiting.clear();
    await closeNow(this.#server);
  }
}

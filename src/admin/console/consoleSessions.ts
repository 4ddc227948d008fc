import { randomBytes } from 'node:crypto';

/** A message shown once on the next page (POST, redirect, GET). */
export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

/** One signed-in browser: its CSRF token and what a multi-step form left for the next page. */
export interface ConsoleSession {
  readonly id: string;
  readonly csrf: string;
  readonly createdAt: number;
  lastSeenAt: number;
  flash: Flash | undefined;
  /** An MFA set-up waiting for its code: the secret and the URI the QR code shows. */
  mfaSetup: { secret: string; otpauthUri: string } | undefined;
  /** A forgotten-password code was sent for this user: the page asks for it next. */
  resetFor: string | undefined;
}

export interface ConsoleSessionLimits {
  /** Unused this long, a session ends (default 30 min). */
  idleMs: number;
  /** However used, a session ends this long after sign-in (default 8 h). */
  absoluteMs: number;
  /** Most sessions held; the oldest goes first (default 64). */
  max: number;
}

const defaults: ConsoleSessionLimits = { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000, max: 64 };

/**
 * The console's sign-ins, held on the server: the cookie carries only a random id. Ids and CSRF
 * tokens are 256 random bits; nothing here is the admin token.
 */
export class ConsoleSessions {
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #limits: ConsoleSessionLimits;
  readonly #now: () => number;

  constructor(limits: Partial<ConsoleSessionLimits> = {}, now: () => number = () => Date.now()) {
    this.#limits = { ...defaults, ...limits };
    this.#now = now;
  }

  /** A new session (after the admin token was checked). */
  create(): ConsoleSession {
    const now = this.#now();
    while (this.#sessions.size >= this.#limits.max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const session: ConsoleSession = {
      id: randomBytes(32).toString('base64url'),
      csrf: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      flash: undefined,
      mfaSetup: undefined,
      resetFor: undefined,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /**
   * The live session with this id, its idle clock restarted unless `touch` is false (a page
   * reloading itself is not the operator's use); an expired one is dropped.
   */
  use(id: string | undefined, touch = true): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#now();
    if (
      now - session.lastSeenAt > this.#limits.idleMs ||
      now - session.createdAt > this.#limits.absoluteMs
    ) {
      this.#sessions.delete(id);
      return undefined;
    }
    if (touch) session.lastSeenAt = now;
    return session;
  }

  /** Sign out. */
  end(id: string): void {
    this.#sessions.delete(id);
  }
}

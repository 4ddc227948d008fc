import type { Session } from './Session.js';
import { userKey } from './userName.js';

/**
 * The per-client logins under way: by login (one per account and password, shared by every
 * request that arrives meanwhile) and by user name (what the refused-password guard counts, so
 * a burst of guesses is bounded as a sequence is).
 */
export class LoginsInFlight {
  readonly #byLogin = new Map<string, Promise<Session>>();
  readonly #byUser = new Map<string, Set<Promise<Session>>>();

  /** Logins in flight, all users. */
  get size(): number {
    return this.#byLogin.size;
  }

  /** The login in flight for this cache key, if any. */
  get(key: string): Promise<Session> | undefined {
    return this.#byLogin.get(key);
  }

  /** The logins of this user name in flight (any password). */
  ofUser(username: string): ReadonlySet<Promise<Session>> {
    return this.#byUser.get(userKey(username)) ?? new Set();
  }

  /** Known as in flight until it settles. */
  add(key: string, username: string, login: Promise<Session>): Promise<Session> {
    const user = userKey(username);
    const ofUser = this.#byUser.get(user) ?? new Set();
    this.#byUser.set(user, ofUser);
    this.#byLogin.set(key, login);
    ofUser.add(login);
    const settle = () => {
      this.#byLogin.delete(key);
      ofUser.delete(login);
      if (ofUser.size === 0) this.#byUser.delete(user);
    };
    void login.then(settle, settle);
    return login;
  }
}

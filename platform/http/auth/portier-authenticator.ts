import type { FastifyRequest } from 'fastify';
import { PortierError } from '../../../sdk/errors.js';
import type { Authenticator } from '../access-control.js';
import type { Principal } from '../roles.js';
import { parseBasicCredentials } from './basic-credentials.js';
import type { CredentialCache } from './credential-cache.js';
import { type LoginThrottle, addressGroup, describeWait } from './login-throttle.js';
import { verifyPassword } from './password-hash.js';
import { sessionTokenFrom } from './session-cookie.js';
import type { SessionStore } from './session-store.js';
import type { User, UserStore } from './user-store.js';

export type PasswordCheck = { ok: true; user: User } | { ok: false; /** How long this client is now blocked, 0 if not. */ blockedMs: number };

/**
 * Authenticates a request by HTTP Basic credentials (over TLS only: the
 * server speaks nothing else) or by the web interface's session cookie.
 * Basic credentials that verified are remembered (see CredentialCache), so
 * the KDF runs once per client, not per request; every password check goes
 * through the login throttle.
 *
 * Portier never answers with `WWW-Authenticate: Basic`, so browsers never
 * prompt for and cache Basic credentials, which they would then send on
 * cross-site requests; browsers use the cookie, which is CSRF-protected.
 */
export class PortierAuthenticator implements Authenticator {
  /** Password checks per client address run one at a time, so parallel guesses cannot outrun the throttle's count. */
  private readonly checking = new Map<string, Promise<unknown>>();

  constructor(
    private readonly users: UserStore,
    private readonly cache: CredentialCache,
    private readonly sessions: SessionStore,
    private readonly throttle: LoginThrottle,
  ) {
    users.onChange((username) => {
      this.setUp = false;
      cache.forget(username);
      sessions.revokeUser(username);
    });
  }

  /** Asked on every request: once true it is remembered, and looked up again only after a user change. */
  private setUp = false;

  isSetUp(): boolean {
    if (!this.setUp) this.setUp = this.users.count() > 0;
    return this.setUp;
  }

  authenticate(request: FastifyRequest): Principal | undefined | Promise<Principal> {
    const credentials = parseBasicCredentials(request.headers.authorization);
    // An explicit Authorization header wins over a cookie the browser may still hold.
    if (credentials !== undefined) return this.basic(clientOf(request), credentials.username, credentials.password);
    const token = sessionTokenFrom(request);
    if (token !== undefined) return this.session(token);
    return undefined;
  }

  /**
   * A password check with the throttle around it: refused while the client
   * is locked out, a failure counted, a success clearing the (client, user)
   * pair. Callers decide what a wrong password means to them.
   */
  checkPassword(client: string, username: string, password: string): Promise<PasswordCheck> {
    const group = addressGroup(client);
    const previous = this.checking.get(group) ?? Promise.resolve();
    const next = previous.then(
      () => this.checkNow(client, username, password),
      () => this.checkNow(client, username, password),
    );
    this.checking.set(group, next);
    const cleanUp = (): void => {
      if (this.checking.get(group) === next) this.checking.delete(group);
    };
    next.then(cleanUp, cleanUp);
    return next;
  }

  private async checkNow(client: string, username: string, password: string): Promise<PasswordCheck> {
    this.throttle.check(client, username);
    const stored = this.users.passwordHash(username);
    // A missing user costs the same as a wrong password, so names cannot be probed by timing.
    const ok = await verifyPassword(password, stored?.hash ?? DUMMY_HASH);
    if (stored === undefined || !ok) return { ok: false, blockedMs: this.throttle.fail(client, username) };
    this.throttle.succeed(client, username);
    return { ok: true, user: stored.user };
  }

  private basic(client: string, username: string, password: string): Principal | Promise<Principal> {
    // Checked before the cache too: otherwise a guess that happens to match a
    // remembered password would be confirmed without counting. A remembered
    // credential is a successful login and clears its pair; someone guessing
    // between a polling client's requests from the same address is still
    // held by the address-wide cap, which no success resets.
    this.throttle.check(client, username);
    // The cache is dropped for a user on any change (UserStore.onChange), so
    // what it remembers is what the store says, without asking it per request.
    const remembered = this.cache.get(username, password);
    if (remembered !== undefined) {
      this.throttle.succeed(client, username);
      return { username: remembered.username, role: remembered.role, via: 'basic' };
    }
    return this.checkPassword(client, username, password).then((result) => {
      if (!result.ok) throw authFailed(result.blockedMs);
      this.cache.remember(username, password, result.user.role, result.user.username);
      return { username: result.user.username, role: result.user.role, via: 'basic' };
    });
  }

  private session(token: string): Principal {
    const session = this.sessions.use(token);
    const user = session === undefined ? undefined : this.users.get(session.username);
    if (session === undefined || user === undefined) {
      this.sessions.revoke(token);
      throw Object.assign(
        new PortierError('SESSION_EXPIRED', 'Your session has ended (signed out, 30 minutes idle, 12 hours old, or the user changed); log in again with POST /api/v1/session.'),
        { status: 401 },
      );
    }
    return { username: user.username, role: user.role, via: 'session', csrfToken: session.csrfToken };
  }
}

/** The client's address as the socket sees it: Portier sits behind no proxy it trusts. */
export function clientOf(request: FastifyRequest): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

/** Wrong username or password, saying so when that failure also started a lock. */
export function authFailed(blockedMs: number): PortierError {
  const blocked = blockedMs > 0 ? ` Too many failed attempts: sign-in from this address is blocked for ${describeWait(blockedMs)}.` : '';
  return Object.assign(new PortierError('AUTH_FAILED', `The username or password is wrong.${blocked}`), { status: 401 });
}

/** A valid hash of a random password, verified against when the user does not exist. */
const DUMMY_HASH = 'scrypt$32768$8$1$v8t/bbheg7Doc0Q+li3VUg==$LNAJq7JyxLjLi7XkDTgJysG1EEfbDu6HKbKeP6vflxk=';

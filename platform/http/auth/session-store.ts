import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../sdk/clock.js';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 30 * 60_000;
/** …and this long after login, however busy. */
export const SESSION_MAX_MS = 12 * 60 * 60_000;
/** Sessions held at most; beyond it the least recently used one ends. */
const MAX_SESSIONS = 1_000;
/** Per user, so one account cannot push everyone else out by logging in over and over. */
const MAX_SESSIONS_PER_USER = 20;

export interface Session {
  username: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

/**
 * Web interface sessions, in memory only, keyed by the SHA-256 of the cookie
 * token, so nothing this map holds (in a heap dump, in a debugger) can be
 * replayed as a cookie.
 *
 * Why memory and not SQLite: the idle timeout moves on every request, which in
 * SQLite is a durable write per API call on the device's flash; and a restart
 * ending web sessions costs a user one login, which is what an appliance's
 * users expect. It also makes "drop on password/role change" exact: there is
 * no copy on disk that a crash could leave behind.
 */
export class SessionStore {
  /** Insertion order is kept as least recently used first. */
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.sessions.size;
  }

  /** A new session; the token goes into the cookie and is not kept. */
  create(username: string): { token: string; session: Session } {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const session: Session = { username, csrfToken: randomBytes(32).toString('base64url'), createdAt: now, lastSeenAt: now };
    this.makeRoomFor(username, now);
    this.sessions.set(digest(token), session);
    return { token, session };
  }

  /** The live session for a cookie token, marked as used now; undefined when unknown or ended. */
  use(token: string): Session | undefined {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const key = digest(token);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.clock.now();
    this.sessions.delete(key);
    if (ended(session, now)) return undefined;
    session.lastSeenAt = now;
    this.sessions.set(key, session);
    return session;
  }

  revoke(token: string): void {
    if (TOKEN_PATTERN.test(token)) this.sessions.delete(digest(token));
  }

  /** Ends every session of a user (password or role changed, user deleted). */
  revokeUser(username: string): void {
    const name = username.toLowerCase();
    for (const [key, session] of this.sessions) if (session.username.toLowerCase() === name) this.sessions.delete(key);
  }

  private makeRoomFor(username: string, now: number): void {
    const name = username.toLowerCase();
    let own = 0;
    for (const [key, session] of this.sessions) {
      if (ended(session, now)) this.sessions.delete(key);
      else if (session.username.toLowerCase() === name) own++;
    }
    // Oldest first, thanks to the map's order.
    for (const [key, session] of this.sessions) {
      if (own < MAX_SESSIONS_PER_USER) break;
      if (session.username.toLowerCase() === name) {
        this.sessions.delete(key);
        own--;
      }
    }
    for (const key of this.sessions.keys()) {
      if (this.sessions.size < MAX_SESSIONS) break;
      this.sessions.delete(key);
    }
  }
}

/** 32 random bytes in base64url; anything else is not ours and is not even hashed. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function ended(session: Session, now: number): boolean {
  return now - session.lastSeenAt >= SESSION_IDLE_MS || now - session.createdAt >= SESSION_MAX_MS;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

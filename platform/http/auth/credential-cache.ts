import { hash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../sdk/clock.js';
import type { Role } from '../roles.js';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 1_000;

/**
 * Remembers credentials that verified, so an API client sending Basic auth
 * on every request pays the KDF once, not on each call. The key is a keyed SHA-256
 * under a per-process secret: the cache holds nothing a memory dump could
 * turn back into a password or use offline, and it is dropped when a user's
 * password or role changes.
 */
export class CredentialCache {
  private readonly secret = randomBytes(32).toString('base64');
  private readonly entries = new Map<string, { username: string; stored: string; role: Role; expires: number }>();

  constructor(private readonly clock: Clock) {}

  /** The user as stored (name as spelled at creation, role) when these credentials verified recently. */
  get(username: string, password: string): { username: string; role: Role } | undefined {
    const key = this.key(username, password);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { username: entry.stored, role: entry.role };
  }

  remember(username: string, password: string, role: Role, stored: string = username): void {
    if (this.entries.size >= MAX_ENTRIES) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(this.key(username, password), { username: username.toLowerCase(), stored, role, expires: this.clock.now() + TTL_MS });
  }

  forget(username: string): void {
    const name = username.toLowerCase();
    for (const [key, entry] of this.entries) if (entry.username === name) this.entries.delete(key);
  }

  /**
   * SHA-256 over the secret, then the credentials: a keyed hash in one call,
   * a third of an HMAC's cost on every request. The digests never leave the
   * process, so length extension gives an attacker nothing to work with.
   */
  private key(username: string, password: string): string {
    return hash('sha256', `${this.secret}\0${username.toLowerCase()}\0${password}`, 'base64');
  }
}

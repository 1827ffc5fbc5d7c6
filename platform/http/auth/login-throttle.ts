import type { Clock } from '../../../sdk/clock.js';
import { PortierError } from '../../../sdk/errors.js';

const MINUTE = 60_000;

export interface ThrottlePolicy {
  /** Failures allowed within `windowMs` before the first lock. */
  freeFailures: number;
  windowMs: number;
  /** The first lock; each further lock doubles it, up to `maxLockMs`. */
  firstLockMs: number;
  maxLockMs: number;
  /** Quiet time (no failure, no lock) after which a key starts again from nothing. */
  forgetAfterMs: number;
  /** Keys remembered at most; beyond it the least recently failed key is dropped. */
  maxKeys: number;
}

/**
 * One (client address, username) pair: a user who mistypes is slowed down
 * on their own device only, and an attacker gets a handful of guesses per
 * window on each name.
 */
export const PAIR_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowMs: 15 * MINUTE,
  firstLockMs: MINUTE,
  maxLockMs: 60 * MINUTE,
  forgetAfterMs: 60 * MINUTE,
  maxKeys: 10_000,
};

/** One client address (an IPv6 /64), whatever the usernames: stops spraying one password over many names. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  windowMs: 15 * MINUTE,
  firstLockMs: MINUTE,
  maxLockMs: 60 * MINUTE,
  forgetAfterMs: 60 * MINUTE,
  maxKeys: 10_000,
};

interface Entry {
  /** Failure times inside the window, at most `freeFailures` of them. */
  failures: number[];
  /** Locks so far: the next one lasts firstLockMs·2^level. */
  level: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/** Failures and locks per key, bounded in size. Map order is kept as "least recently failed first". */
class FailureLedger {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly policy: ThrottlePolicy) {}

  get size(): number {
    return this.entries.size;
  }

  /** When the key's lock ends, or 0 when it is not locked. */
  lockedUntil(key: string, now: number): number {
    const entry = this.live(key, now);
    return entry !== undefined && entry.lockedUntil > now ? entry.lockedUntil : 0;
  }

  /** Counts a failure; returns when the lock it caused ends, or 0 when it caused none. */
  fail(key: string, now: number): number {
    const { policy } = this;
    const entry = this.live(key, now) ?? { failures: [], level: 0, lockedUntil: 0, lastFailureAt: now };
    this.entries.delete(key);
    entry.failures = entry.failures.filter((t) => now - t < policy.windowMs);
    entry.failures.push(now);
    if (entry.failures.length > policy.freeFailures) entry.failures.shift();
    entry.lastFailureAt = now;
    // Straight after a lock there are no fresh free attempts: one more failure
    // locks again, twice as long. That is the growing back-off.
    const justLocked = entry.level > 0 && now < entry.lockedUntil + policy.windowMs;
    let until = 0;
    if (justLocked || entry.failures.length >= policy.freeFailures) {
      until = now + Math.min(policy.firstLockMs * 2 ** entry.level, policy.maxLockMs);
      entry.lockedUntil = until;
      entry.level++;
      entry.failures = [];
    }
    this.entries.set(key, entry);
    this.trim(now);
    return until;
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.forgotten(entry, now)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private forgotten(entry: Entry, now: number): boolean {
    return now >= Math.max(entry.lastFailureAt, entry.lockedUntil) + this.policy.forgetAfterMs;
  }

  /**
   * Drops stale keys from the old end on every failure, so memory follows the
   * current attack rather than its peak; past `maxKeys` the oldest key goes
   * even if still locked (it then needs that many fresh keys to reach it).
   */
  private trim(now: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size > this.policy.maxKeys || this.forgotten(entry, now)) this.entries.delete(key);
      else break;
    }
  }
}

/**
 * Slows down password guessing, for HTTP Basic and session login alike.
 *
 * Every lock is tied to the client address it came from: nobody can lock the
 * administrator out of the intercom from every address by failing on purpose,
 * only out of their own. Pairs are keyed by the full address (so one mistyping
 * device is slowed alone); the address-wide cap by the IPv6 /64, because anyone
 * holding a /64 can pick any address in it.
 */
export class LoginThrottle {
  private readonly pairs: FailureLedger;
  private readonly addresses: FailureLedger;

  constructor(
    private readonly clock: Clock,
    policies: { pair?: ThrottlePolicy; address?: ThrottlePolicy } = {},
  ) {
    this.pairs = new FailureLedger(policies.pair ?? PAIR_POLICY);
    this.addresses = new FailureLedger(policies.address ?? ADDRESS_POLICY);
  }

  /** Throws TOO_MANY_ATTEMPTS (with `retryAfterSeconds`) while the pair or the address is locked. */
  check(client: string, username: string): void {
    // Asked on every authenticated request; nothing to work out while no sign-in has failed.
    if (this.pairs.size === 0 && this.addresses.size === 0) return;
    const now = this.clock.now();
    const pairUntil = this.pairs.lockedUntil(pairKey(client, username), now);
    const addressUntil = this.addresses.lockedUntil(addressGroup(client), now);
    if (pairUntil === 0 && addressUntil === 0) return;
    const until = Math.max(pairUntil, addressUntil);
    const whom = addressUntil >= pairUntil ? 'from this address' : `for "${username}" from this address`;
    throw Object.assign(
      new PortierError(
        'TOO_MANY_ATTEMPTS',
        `Too many failed sign-ins ${whom}. Try again in ${describeWait(until - now)} (after ${isoSeconds(until)}); each further failure doubles the wait.`,
      ),
      { retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) },
    );
  }

  /** Counts a failed sign-in; returns for how many milliseconds the client is now blocked (0: not blocked). */
  fail(client: string, username: string): number {
    const now = this.clock.now();
    const pairUntil = this.pairs.fail(pairKey(client, username), now);
    const addressUntil = this.addresses.fail(addressGroup(client), now);
    return Math.max(pairUntil, addressUntil, now) - now;
  }

  /** A correct password clears its pair, not the address: one valid account must not reset a spray. */
  succeed(client: string, username: string): void {
    if (this.pairs.size > 0) this.pairs.clear(pairKey(client, username));
  }

  /** Keys held, for tests of the memory bound. */
  size(): { pairs: number; addresses: number } {
    return { pairs: this.pairs.size, addresses: this.addresses.size };
  }
}

/** How long to wait, in words. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

function isoSeconds(time: number): string {
  return new Date(Math.ceil(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function pairKey(client: string, username: string): string {
  // Usernames compare without case in the store; the length cap keeps junk names from costing memory.
  return `${normaliseAddress(client)}\0${username.slice(0, 128).toLowerCase()}`;
}

/** IPv4 (also IPv4-mapped IPv6) as it is; IPv6 as its /64. */
export function addressGroup(client: string): string {
  const address = normaliseAddress(client);
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address);
  return groups === undefined ? address : `${groups.slice(0, 4).join(':')}::/64`;
}

function normaliseAddress(client: string): string {
  const address = client.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  return mapped === null ? address : mapped[1]!;
}

function expandIpv6(address: string): string[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) => g.replace(/^0+(?=.)/, ''));
}

import type { Role } from '../http/roles.js';

/** What export needs of the user store: names, roles and password hashes. */
export interface SiteUserSource {
  list(): { username: string; role: Role }[];
  passwordHash(username: string): { hash: string } | undefined;
}

/**
 * What import needs besides: changes that go through the store, so that
 * whoever listens to it (credential cache, sessions) forgets what it knew
 * of a user that was removed or changed.
 */
export interface SiteUserTarget extends SiteUserSource {
  setRole(username: string, role: Role): unknown;
  delete(username: string): void;
}

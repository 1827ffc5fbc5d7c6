/** Roles as on an Axis device, lowest first. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route requires: a role, or `public` for the two routes anyone may
 * call (health, and first-run setup while no user exists).
 */
export type Access = Role | 'public';

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** Who is calling, once authenticated. */
export interface Principal {
  username: string;
  role: Role;
  /** Basic credentials on each request (API clients), or the web interface's session cookie. */
  via: 'basic' | 'session';
  /** For a session: its CSRF token, required on changes. */
  csrfToken?: string;
}

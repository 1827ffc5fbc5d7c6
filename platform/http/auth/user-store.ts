import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Clock } from '../../../sdk/clock.js';
import { PortierError } from '../../../sdk/errors.js';
import { ROLES, type Role } from '../roles.js';
import { hashPassword } from './password-hash.js';

export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'a username is required')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only');

export const passwordSchema = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');

export interface User {
  username: string;
  role: Role;
  createdAt: number;
  updatedAt: number;
}

interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  created_at: number;
  updated_at: number;
}

/** Users and their password hashes. Hashes never leave this class except for export. */
export class UserStore {
  private readonly countAll: Database.Statement<[], number>;
  private readonly byName: Database.Statement<[string], UserRow>;
  private readonly all: Database.Statement<[], UserRow>;
  private readonly insert: Database.Statement<[string, string, string, number, number]>;
  private readonly changes = new Set<(username: string) => void>();

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM users').pluck();
    this.byName = db.prepare('SELECT * FROM users WHERE username = ?');
    this.all = db.prepare('SELECT * FROM users ORDER BY username');
    this.insert = db.prepare('INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  list(): User[] {
    return this.all.all().map(toUser);
  }

  get(username: string): User | undefined {
    const row = this.byName.get(username);
    return row === undefined ? undefined : toUser(row);
  }

  /** The stored hash, for verification only. */
  passwordHash(username: string): { user: User; hash: string } | undefined {
    const row = this.byName.get(username);
    return row === undefined ? undefined : { user: toUser(row), hash: row.password_hash };
  }

  /**
   * The first administrator. Checked and inserted in one transaction, so two
   * setup requests racing cannot both create one.
   */
  async createFirstAdmin(username: string, password: string): Promise<User> {
    const hash = await hashPassword(password);
    const now = this.clock.now();
    const created = this.db.transaction(() => {
      if (this.count() > 0) return false;
      this.insert.run(username, 'admin', hash, now, now);
      return true;
    })();
    if (!created) throw new PortierError('ALREADY_SET_UP', 'This intercom is already set up; sign in as an administrator to manage users.');
    return this.get(username)!;
  }

  async create(username: string, role: Role, password: string): Promise<User> {
    // Checked before hashing (no KDF spent on a name that is taken) and again
    // by the primary key, for two requests racing with the same name.
    if (this.get(username) !== undefined) throw userExists(username);
    const hash = await hashPassword(password);
    const now = this.clock.now();
    try {
      this.insert.run(username, role, hash, now, now);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw userExists(username);
      throw error;
    }
    return this.get(username)!;
  }

  /**
   * Role and/or password in one step: the password is hashed first, then both
   * are written in one transaction, so a refused role change (LAST_ADMIN)
   * leaves the password as it was too.
   */
  async update(username: string, change: { role?: Role; password?: string }): Promise<User> {
    if (this.get(username) === undefined) throw notFound(username);
    const hash = change.password === undefined ? undefined : await hashPassword(change.password);
    this.db.transaction(() => {
      const user = this.get(username);
      if (user === undefined) throw notFound(username);
      if (change.role !== undefined && user.role === 'admin' && change.role !== 'admin') this.keepOneAdmin(username, 'change the role of');
      const now = this.clock.now();
      if (change.role !== undefined) this.db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE username = ?').run(change.role, now, username);
      if (hash !== undefined) this.db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?').run(hash, now, username);
    })();
    this.changed(username);
    return this.get(username)!;
  }

  async setPassword(username: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    const result = this.db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?').run(hash, this.clock.now(), username);
    if (result.changes === 0) throw notFound(username);
    this.changed(username);
  }

  setRole(username: string, role: Role): User {
    const user = this.get(username);
    if (user === undefined) throw notFound(username);
    if (user.role === 'admin' && role !== 'admin') this.keepOneAdmin(username, 'change the role of');
    this.db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE username = ?').run(role, this.clock.now(), username);
    this.changed(username);
    return this.get(username)!;
  }

  delete(username: string): void {
    const user = this.get(username);
    if (user === undefined) throw notFound(username);
    if (user.role === 'admin') this.keepOneAdmin(username, 'delete');
    this.db.prepare('DELETE FROM users WHERE username = ?').run(username);
    this.changed(username);
  }

  /** Called after a password, role or user changes, so remembered credentials and sessions are dropped. */
  onChange(listener: (username: string) => void): () => void {
    this.changes.add(listener);
    return () => this.changes.delete(listener);
  }

  private changed(username: string): void {
    for (const listener of this.changes) listener(username);
  }

  private keepOneAdmin(username: string, verb: string): void {
    const admins = this.list().filter((u) => u.role === 'admin');
    if (admins.length <= 1) {
      throw new PortierError('LAST_ADMIN', `Cannot ${verb} "${username}": it is the only administrator. Make another user an administrator first.`);
    }
  }
}

function toUser(row: UserRow): User {
  return { username: row.username, role: ROLES.includes(row.role) ? row.role : 'viewer', createdAt: row.created_at, updatedAt: row.updated_at };
}

function userExists(username: string): PortierError {
  return new PortierError('USER_EXISTS', `A user named "${username}" already exists (names are compared without case).`);
}

function notFound(username: string): PortierError {
  return new PortierError('USER_NOT_FOUND', `There is no user named "${username}".`);
}

import { createPublicKey } from 'node:crypto';
import type Database from 'better-sqlite3';
import { PortierError } from '../../sdk/errors.js';
import type { Clock } from '../../sdk/clock.js';

export interface TrustedKey {
  keyId: string;
  name: string;
  publicKey: string;
  addedAt: number;
  addedBy?: string;
}

const ALLOW_UNSIGNED = 'apps.allowUnsigned';

const COLUMNS = 'key_id, name, public_key, added_at, added_by';
interface KeyRow {
  key_id: string;
  name: string;
  public_key: string;
  added_at: number;
  added_by: string | null;
}

function fromRow(row: KeyRow): TrustedKey {
  return { keyId: row.key_id, name: row.name, publicKey: row.public_key, addedAt: row.added_at, ...(row.added_by === null ? {} : { addedBy: row.added_by }) };
}

/**
 * The signing keys an administrator trusts for apps, and whether unsigned
 * apps may be installed at all (off unless an administrator turns it on).
 * Keys are Ed25519 public keys in PEM; a key is known by its id, the one
 * `portier keygen` prints and a signed package names.
 */
export class TrustStore {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {}

  list(): TrustedKey[] {
    return this.db.prepare<[], KeyRow>(`SELECT ${COLUMNS} FROM trusted_keys ORDER BY name, key_id`).all().map(fromRow);
  }

  get(keyId: string): TrustedKey | undefined {
    const row = this.db.prepare<[string], KeyRow>(`SELECT ${COLUMNS} FROM trusted_keys WHERE key_id = ?`).get(keyId);
    return row === undefined ? undefined : fromRow(row);
  }

  /** Adds a public key; the same key twice is refused, so a name never silently changes. */
  async add(name: string, publicKeyPem: string, addedBy?: string): Promise<TrustedKey> {
    // With the package code, which a start of the intercom does not load.
    const { keyIdOf } = await import('./package/package-signature.js');
    let key;
    try {
      key = createPublicKey(publicKeyPem);
    } catch {
      throw new PortierError('TRUSTED_KEY_INVALID', 'The public key is not a PEM public key; send the .pub.pem file `portier keygen` wrote.', [
        { path: '/publicKey', message: 'not a PEM public key' },
      ]);
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new PortierError('TRUSTED_KEY_INVALID', `The public key is ${key.asymmetricKeyType ?? 'of an unknown type'}; app signatures are Ed25519 (make one with \`portier keygen\`).`, [
        { path: '/publicKey', message: 'not an Ed25519 key' },
      ]);
    }
    const pem = key.export({ type: 'spki', format: 'pem' }).toString();
    const keyId = keyIdOf(pem);
    const existing = this.get(keyId);
    if (existing !== undefined) {
      throw new PortierError('TRUSTED_KEY_EXISTS', `This key is already trusted, as "${existing.name}" (${keyId}).`);
    }
    const addedAt = this.clock.now();
    this.db.prepare('INSERT INTO trusted_keys (key_id, name, public_key, added_at, added_by) VALUES (?, ?, ?, ?, ?)').run(keyId, name, pem, addedAt, addedBy ?? null);
    return { keyId, name, publicKey: pem, addedAt, ...(addedBy === undefined ? {} : { addedBy }) };
  }

  remove(keyId: string): void {
    const removed = this.db.prepare('DELETE FROM trusted_keys WHERE key_id = ?').run(keyId).changes;
    if (removed === 0) throw new PortierError('TRUSTED_KEY_NOT_FOUND', `No trusted key has the id ${keyId}; GET /api/v1/apps/trusted-keys lists them.`);
  }

  allowUnsigned(): boolean {
    return this.db.prepare<[string], string>('SELECT value FROM system_settings WHERE key = ?').pluck().get(ALLOW_UNSIGNED) === 'true';
  }

  setAllowUnsigned(allow: boolean): void {
    this.db
      .prepare('INSERT INTO system_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(ALLOW_UNSIGNED, allow ? 'true' : 'false');
  }
}

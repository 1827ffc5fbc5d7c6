import type { FastifyRequest } from 'fastify';
import { PortierError } from '../../../sdk/errors.js';
import type { Authenticator } from '../access-control.js';
import type { Principal } from '../roles.js';
import { parseBasicCredentials } from './basic-credentials.js';
import type { CredentialCache } from './credential-cache.js';
import { verifyPassword } from './password-hash.js';
import type { UserStore } from './user-store.js';

/**
 * Authenticates a request by HTTP Basic credentials (over TLS only: the
 * server speaks nothing else). Credentials that verified are remembered
 * (see CredentialCache), so the KDF runs once per client, not per request.
 */
export class PortierAuthenticator implements Authenticator {
  constructor(
    private readonly users: UserStore,
    private readonly cache: CredentialCache,
  ) {
    users.onChange((username) => cache.forget(username));
  }

  isSetUp(): boolean {
    return this.users.count() > 0;
  }

  async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const credentials = parseBasicCredentials(request.headers.authorization);
    if (credentials === undefined) return undefined;
    const { username, password } = credentials;
    const remembered = this.cache.get(username, password);
    if (remembered !== undefined) {
      const user = this.users.get(username);
      if (user !== undefined) return { username: user.username, role: user.role, via: 'basic' };
    }
    const stored = this.users.passwordHash(username);
    // A missing user costs the same as a wrong password, so names cannot be probed by timing.
    const ok = await verifyPassword(password, stored?.hash ?? DUMMY_HASH);
    if (stored === undefined || !ok) {
      throw Object.assign(new PortierError('AUTH_FAILED', 'The username or password is wrong.'), { status: 401 });
    }
    this.cache.remember(username, password, stored.user.role);
    return { username: stored.user.username, role: stored.user.role, via: 'basic' };
  }
}

/** A valid hash of a random password, verified against when the user does not exist. */
const DUMMY_HASH = 'scrypt$32768$8$1$v8t/bbheg7Doc0Q+li3VUg==$LNAJq7JyxLjLi7XkDTgJysG1EEfbDu6HKbKeP6vflxk=';

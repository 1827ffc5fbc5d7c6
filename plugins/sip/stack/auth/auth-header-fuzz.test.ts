/** Robustness: mutated challenge and credential headers never throw anything but DigestAuthError. Seeded. */
import { describe, expect, it } from 'vitest';

import { SeededRandom } from '../../../../test/support/seeded-random.js';
import { DigestAuthError } from './digest-auth-error.js';
import { parseDigestChallenges } from './digest-challenge.js';
import { DigestClient } from './digest-client.js';
import { DigestVerifier } from './test-support/digest-verifier.js';

const CHALLENGE = 'Digest realm="door \\"A\\"", nonce="abc/def==", algorithm=SHA-256, qop="auth,auth-int", opaque="x", stale=FALSE, Basic realm="y"';
const SPECIAL = [...'",=\\ \tDigest'];

function mutate(random: SeededRandom, text: string): string {
  const chars = [...text];
  for (let e = random.int(1, 5); e > 0; e--) {
    const at = random.int(0, chars.length - 1);
    if (random.next() < 0.6) chars[at] = random.pick(SPECIAL);
    else chars.splice(at, random.int(1, 6));
  }
  return chars.join('');
}

describe('authentication header robustness', () => {
  it('survives 5 000 mutated challenges and credentials', () => {
    const random = new SeededRandom(0xa17);
    const verifier = new DigestVerifier({ realm: 'door "A"' });
    const request = { method: 'REGISTER', uri: 'sip:example.com' };
    const credentials = new DigestClient({ username: 'u', password: 'p' }).authorize(verifier.challenge(), request).value;
    for (let i = 0; i < 5_000; i++) {
      try {
        const challenges = parseDigestChallenges([mutate(random, CHALLENGE)]);
        if (challenges.length > 0) new DigestClient({ username: 'u', password: 'p' }).authorize(challenges.map(() => mutate(random, CHALLENGE)), request);
      } catch (error) {
        expect(error).toBeInstanceOf(DigestAuthError);
      }
      const result = verifier.verify(mutate(random, credentials), request, () => 'p');
      expect(typeof result.ok).toBe('boolean');
    }
  });
});

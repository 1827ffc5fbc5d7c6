import { expect, it } from 'vitest';

import { findPeer, peerPath, requirePeer } from '../support/sip-peers/peer-binary.js';

const MISSING = 'portier-no-such-peer-program';

it('finds an installed program and not a missing one', () => {
  expect(findPeer('sh')).toMatch(/\/sh$/);
  expect(findPeer(MISSING)).toBeNull();
  expect(() => peerPath(MISSING)).toThrow(/not installed: portier-no-such-peer-program/);
});

it('fails, naming the program and its Debian package, when a peer is missing', () => {
  expect(() => requirePeer('sh', MISSING)).toThrow(/not installed: portier-no-such-peer-program/);
  expect(() => requirePeer('sipp-missing-for-test')).toThrow(/install it \(bash \.ci\/run does\)/);
  expect(() => requirePeer('sh')).not.toThrow();
});

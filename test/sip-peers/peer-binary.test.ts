import { afterEach, expect, it, vi } from 'vitest';

import { findPeer, peerPath, requirePeer } from '../support/sip-peers/peer-binary.js';

const MISSING = 'portier-no-such-peer-program';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it('finds an installed program and not a missing one', () => {
  expect(findPeer('sh')).toMatch(/\/sh$/);
  expect(findPeer(MISSING)).toBeNull();
  expect(() => peerPath(MISSING)).toThrow(/not installed: portier-no-such-peer-program/);
});

it('lets a developer skip a test whose peer is missing', () => {
  vi.stubEnv('CI', '');
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  expect(requirePeer(MISSING)).toBe(false);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining(MISSING));
});

it('fails under CI when a peer is missing', () => {
  vi.stubEnv('CI', 'true');
  expect(() => requirePeer('sh', MISSING)).toThrow(/Under CI this is a failure/);
  expect(requirePeer('sh')).toBe(true);
});

import { createSocket } from 'node:dgram';

import { expect, it } from 'vitest';

import { describeWithPeer } from '../support/sip-peers/peer-binary.js';
import { startSipp } from '../support/sip-peers/sipp.js';
import { uasScenario } from '../support/sip-peers/sipp-scenarios.js';

describeWithPeer('sipp', 'starting sipp', (sipp) => {
  it('fails with sipp\'s bind error when someone else holds the port it was given', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    const taken = holder.address().port;
    try {
      // A port that merely looks taken is not proof that sipp listens: it exits 254.
      await expect(startSipp(sipp, { scenario: uasScenario(), port: taken })).rejects.toThrow(/exit 254/);
      await expect(startSipp(sipp, { scenario: uasScenario(), mediaPort: taken - 2 })).rejects.toThrow(/Address already in use/);
    } finally {
      holder.close();
    }
  });
});

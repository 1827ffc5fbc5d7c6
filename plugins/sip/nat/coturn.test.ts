import { type Socket, createSocket } from 'node:dgram';

import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

import { PCMU } from '../media/audio-codec.js';
import { encodedFrames } from '../media/test-support/frame-sources.js';
import { udpTransport } from '../media/packet-transport.js';
import { RtpReceiver } from '../media/rtp-receiver.js';
import { RtpSender } from '../media/rtp-sender.js';
import { describeWithPeer } from '../../../test/support/sip-peers/peer-binary.js';
import { ToneGenerator } from '../media/test-support/tone-generator.js';
import { discoverMappedAddress } from './stun-binding-client.js';
import { TurnClient } from './turn-client.js';
import { type Coturn, startCoturn } from './test-support/coturn.js';
import { realClock } from './test-support/real-clock.js';

describeWithPeer('turnserver', 'STUN and TURN against a real coturn on 127.0.0.1', (binary) => {
  let coturn: Coturn;
  const sockets: Socket[] = [];
  const clients: TurnClient[] = [];

  beforeAll(async () => {
    coturn = await startCoturn(binary);
  });
  afterAll(async () => {
    await coturn?.stop();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    for (const socket of sockets.splice(0)) socket.close();
  });

  async function udpSocket(): Promise<Socket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
    return socket;
  }

  const server = (): { address: string; port: number } => ({ address: '127.0.0.1', port: coturn.port });

  it('learns the mapped address 127.0.0.1:<our port> with a Binding request', async () => {
    const socket = await udpSocket();
    const mapped = await discoverMappedAddress({ socket, server: server(), clock: realClock, software: 'portier test' });
    expect(mapped).toEqual({ address: '127.0.0.1', port: socket.address().port });
  });

  it('allocates with long-term credentials after the 401 challenge', async () => {
    const socket = await udpSocket();
    const client = await TurnClient.allocate({ socket, server: server(), username: coturn.username, password: coturn.password, clock: realClock, lifetime: 300 });
    clients.push(client);
    expect(client.relayedAddress.address).toBe('127.0.0.1');
    expect(client.relayedAddress.port).toBeGreaterThan(0);
    expect(client.mappedAddress).toEqual({ address: '127.0.0.1', port: socket.address().port });
    // coturn grants at least its default lifetime.
    expect(client.lifetime).toBeGreaterThanOrEqual(300);
  });

  it('refuses wrong credentials with TURN_AUTH_FAILED', async () => {
    const socket = await udpSocket();
    await expect(TurnClient.allocate({ socket, server: server(), username: 'u', password: 'wrong', clock: realClock })).rejects.toMatchObject({
      code: 'TURN_AUTH_FAILED',
      message: expect.stringContaining('check the TURN credentials'),
    });
  });

  it.each([
    ['ChannelData', true],
    ['Send and Data indications', false],
  ])('relays RTP from our sender to a plain UDP peer and back (%s)', async (_name, channel) => {
    const socket = await udpSocket();
    const peer = await udpSocket();
    const client = await TurnClient.allocate({ socket, server: server(), username: coturn.username, password: coturn.password, clock: realClock });
    clients.push(client);
    const peerAddress = { address: '127.0.0.1', port: peer.address().port };
    await client.addPeer(peerAddress, { channel });

    // Out: our RTP sender writes into the relay; the peer hears it from the relayed address.
    const atPeer: Array<{ from: { address: string; port: number }; pcm: Int16Array }> = [];
    const peerReceiver = new RtpReceiver({ transport: udpTransport(peer), onAudio: (pcm, _packet, from) => atPeer.push({ from, pcm }) });
    peerReceiver.start();
    const sender = new RtpSender({ transport: client, peer: peerAddress, clock: realClock, payloadType: 0, source: encodedFrames(new ToneGenerator({ frequencies: [1000] }), PCMU, 10) });
    sender.start();
    await sender.done;
    await until(() => atPeer.length === 10);
    expect(atPeer.every((p) => p.from.port === client.relayedAddress.port && p.pcm.length === 160)).toBe(true);
    expect(peerReceiver.stats).toMatchObject({ packetsReceived: 10, packetsLost: 0 });

    // Back: the peer answers the relayed address; our receiver hears it through the client.
    const atUs: Array<{ from: { address: string; port: number } }> = [];
    const receiver = new RtpReceiver({ transport: client, onAudio: (_pcm, _packet, from) => atUs.push({ from }) });
    receiver.start();
    const answer = new RtpSender({ transport: udpTransport(peer), peer: client.relayedAddress, clock: realClock, payloadType: 0, source: encodedFrames(new ToneGenerator({ frequencies: [440] }), PCMU, 5) });
    answer.start();
    await answer.done;
    await until(() => atUs.length === 5);
    expect(atUs.every((p) => p.from.port === peerAddress.port && p.from.address === '127.0.0.1')).toBe(true);
    expect(receiver.stats).toMatchObject({ packetsReceived: 5, bytesReceived: 800 });
    receiver.stop();
    peerReceiver.stop();
  });

  it('deletes the allocation on close, so the same socket can allocate again (without close it would stay 437 for its 600 s lifetime)', async () => {
    const socket = await udpSocket();
    const options = { socket, server: server(), username: coturn.username, password: coturn.password, clock: realClock };
    const first = await TurnClient.allocate(options);
    await first.close();
    // coturn keeps a deleted allocation's 5-tuple for a moment (to answer retransmissions), then frees it.
    const started = Date.now();
    let second: TurnClient | null = null;
    while (!second && Date.now() - started < 8000) {
      second = await TurnClient.allocate(options).catch(() => null);
      if (!second) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(second).not.toBeNull();
    clients.push(second!);
  });

  it('refuses a second allocation on the same socket while the first lives (437)', async () => {
    const socket = await udpSocket();
    const options = { socket, server: server(), username: coturn.username, password: coturn.password, clock: realClock };
    clients.push(await TurnClient.allocate(options));
    await expect(TurnClient.allocate(options)).rejects.toMatchObject({ code: 'TURN_REQUEST_FAILED', message: expect.stringContaining('437') });
  });
});

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

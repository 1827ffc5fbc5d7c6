import { type Socket, createSocket } from 'node:dgram';

import { FakeClock } from 'portier/sdk/testing';
import { afterEach, expect, it } from 'vitest';

import { readText, readUint32, stunAttribute } from './stun-attributes.js';
import { StunAttributeType, StunMethod } from './stun-codes.js';
import { longTermKey } from './stun-credentials.js';
import { type DecodedStunMessage, decodeStunMessage, encodeStunMessage, verifyMessageIntegrity } from './stun-message.js';
import { TurnClient } from './turn-client.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  sockets.push(socket);
  return socket;
}

/** A scripted TURN server: a 401, then a 438 for the first nonce, then success with LIFETIME 300. */
async function scriptedServer(): Promise<{ socket: Socket; requests: DecodedStunMessage[] }> {
  const socket = await bound();
  const requests: DecodedStunMessage[] = [];
  const key = longTermKey('u', 'portier.test', 'p');
  socket.on('message', (data, rinfo) => {
    const decoded = decodeStunMessage(data);
    if (!decoded.ok) return;
    const request = decoded.message;
    requests.push(request);
    const nonce = readText(request, StunAttributeType.Nonce);
    const reply = (messageClass: 'success' | 'error', attributes: ReturnType<typeof stunAttribute.nonce>[], signed: boolean): void => {
      socket.send(encodeStunMessage({ method: request.method, messageClass, transactionId: request.transactionId, attributes }, { integrityKey: signed ? key : undefined }), rinfo.port, rinfo.address);
    };
    if (nonce === null) return reply('error', [stunAttribute.errorCode({ code: 401, reason: 'Unauthorized' }), stunAttribute.realm('portier.test'), stunAttribute.nonce('first')], false);
    if (!verifyMessageIntegrity(request, key)) return reply('error', [stunAttribute.errorCode({ code: 401, reason: 'Unauthorized' }), stunAttribute.realm('portier.test'), stunAttribute.nonce('again')], false);
    if (nonce === 'first') return reply('error', [stunAttribute.errorCode({ code: 438, reason: 'Stale Nonce' }), stunAttribute.realm('portier.test'), stunAttribute.nonce('second')], false);
    reply('success', [stunAttribute.xorRelayedAddress({ address: '127.0.0.1', port: 50000 }, request.transactionId), stunAttribute.lifetime(300)], true);
  });
  return { socket, requests };
}

it('answers 401 with credentials and 438 with the new nonce, then refreshes a minute before the lifetime ends', async () => {
  const server = await scriptedServer();
  const clock = new FakeClock();
  const socket = await bound();
  const client = await TurnClient.allocate({ socket, server: { address: '127.0.0.1', port: server.socket.address().port }, username: 'u', password: 'p', clock });
  expect(client.relayedAddress).toEqual({ address: '127.0.0.1', port: 50000 });
  expect(client.lifetime).toBe(300);
  expect(server.requests.map((r) => readText(r, StunAttributeType.Nonce))).toEqual([null, 'first', 'second']);
  expect(server.requests.every((r) => r.method === StunMethod.Allocate)).toBe(true);

  await clock.advance(239_000);
  expect(server.requests).toHaveLength(3);
  await clock.advance(1_000);
  await until(() => server.requests.length === 4);
  expect(server.requests[3]).toMatchObject({ method: StunMethod.Refresh });
  expect(readUint32(server.requests[3]!, StunAttributeType.Lifetime)).toBe(600);
  expect(readText(server.requests[3]!, StunAttributeType.Nonce)).toBe('second');

  await client.close();
  await until(() => server.requests.length === 5);
  expect(readUint32(server.requests[4]!, StunAttributeType.Lifetime)).toBe(0);
  expect(clock.pending()).toBe(0);
});

it('gives up with STUN_TIMEOUT on fake time when the server never answers', async () => {
  const silent = await bound();
  const clock = new FakeClock();
  const socket = await bound();
  const allocation = TurnClient.allocate({ socket, server: { address: '127.0.0.1', port: silent.address().port }, username: 'u', password: 'p', clock }).catch((error: { code: string }) => error.code);
  await clock.advance(40_000);
  expect(await allocation).toBe('STUN_TIMEOUT');
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

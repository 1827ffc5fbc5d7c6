import type { Socket } from 'node:dgram';

import { FakeClock } from 'portier/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';

import { PCMA, PCMU } from './audio-codec.js';
import { encodedFrames } from './test-support/frame-sources.js';
import { udpTransport } from './packet-transport.js';
import { decodeRtpPacket, encodeRtpPacket } from './rtp-packet.js';
import { bindRtpSocket } from './rtp-port-allocator.js';
import { RtpReceiver } from './rtp-receiver.js';
import { RtpSender } from './rtp-sender.js';
import { decodeTelephoneEvent } from './telephone-event.js';
import { memoryTransport } from './test-support/memory-transport.js';
import { ToneGenerator } from './test-support/tone-generator.js';

const PEER = { address: '192.0.2.10', port: 40000 };

describe('RtpSender on fake time', () => {
  it('sends one packet per 20 ms with consecutive sequence numbers and timestamps', async () => {
    const clock = new FakeClock();
    const transport = memoryTransport();
    const sender = new RtpSender({ transport, peer: PEER, clock, payloadType: 0, ssrc: 42, initialSequenceNumber: 65534, initialTimestamp: 1000, source: encodedFrames(new ToneGenerator({ frequencies: [1000] }), PCMU, 5) });
    sender.start();
    await clock.advance(0);
    expect(transport.sent).toHaveLength(1);
    await clock.advance(19);
    expect(transport.sent).toHaveLength(1);
    await clock.advance(1);
    expect(transport.sent).toHaveLength(2);
    await clock.advance(100);
    await sender.done;
    const packets = transport.sent.map((s) => decodeRtpPacket(s.data)).map((d) => (d.ok ? d.packet : null)!);
    expect(packets.map((p) => p.sequenceNumber)).toEqual([65534, 65535, 0, 1, 2]);
    expect(packets.map((p) => p.timestamp)).toEqual([1000, 1160, 1320, 1480, 1640]);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false]);
    expect(packets.every((p) => p.ssrc === 42 && p.payloadType === 0 && p.payload.length === 160)).toBe(true);
    expect(transport.sent.every((s) => s.peer === PEER)).toBe(true);
    expect(sender.stats).toEqual({ packetsSent: 5, bytesSent: 800 });
    expect(clock.pending()).toBe(0);
  });

  it('replaces audio with telephone-events for a digit, all with the timestamp of its start', async () => {
    const clock = new FakeClock();
    const transport = memoryTransport();
    const sender = new RtpSender({ transport, peer: PEER, clock, payloadType: 8, ssrc: 1, initialSequenceNumber: 0, initialTimestamp: 0, source: encodedFrames(new ToneGenerator({ frequencies: [440] }), PCMA) });
    sender.start();
    await clock.advance(40);
    sender.sendDigits('7', 60);
    await clock.advance(20 * 6);
    sender.stop();
    const packets = transport.sent.map((s) => decodeRtpPacket(s.data)).map((d) => (d.ok ? d.packet : null)!);
    expect(packets.map((p) => p.payloadType)).toEqual([8, 8, 8, 101, 101, 101, 101, 101, 8]);
    const events = packets.filter((p) => p.payloadType === 101);
    expect(new Set(events.map((p) => p.timestamp))).toEqual(new Set([480]));
    expect(events.map((p) => p.marker)).toEqual([true, false, false, false, false]);
    expect(events.map((p) => decodeTelephoneEvent(p.payload)!.end)).toEqual([false, false, true, true, true]);
    // Audio resumes at real time, as a new talkspurt.
    expect(packets.at(-1)).toMatchObject({ timestamp: 8 * 160, marker: true });
    expect(() => sender.sendDigits('x')).toThrow(expect.objectContaining({ code: 'DTMF_DIGIT_INVALID' }));
  });

  it('keeps its pace when the source answers late', async () => {
    const clock = new FakeClock();
    const transport = memoryTransport();
    let frames = 0;
    const sender = new RtpSender({
      transport, peer: PEER, clock, payloadType: 0,
      source: { nextFrame: () => (frames++ < 10 ? clock.sleep(5).then(() => new Uint8Array(160)) : null) },
    });
    const start = clock.now();
    const sentAt: number[] = [];
    transport.send = (data) => void sentAt.push(clock.now() - start);
    sender.start();
    await clock.advance(1000);
    expect(sentAt).toEqual([5, 25, 45, 65, 85, 105, 125, 145, 165, 185]);
  });
});

describe('RtpReceiver', () => {
  it('decodes audio to PCM, counts packets, bytes and losses, and drops what is not RTP', () => {
    const transport = memoryTransport();
    const audio: Int16Array[] = [];
    const digits: string[] = [];
    const receiver = new RtpReceiver({ transport, onAudio: (pcm) => audio.push(pcm), onDigit: (d) => digits.push(d.digit) });
    receiver.start();
    const from = { address: '192.0.2.1', port: 5004 };
    const send = (sequenceNumber: number, payloadType = 0, payload = Uint8Array.of(0xff, 0x80, 0x00)) =>
      transport.deliver(encodeRtpPacket({ payloadType, sequenceNumber, timestamp: sequenceNumber * 160, ssrc: 9, payload }), from);
    send(10);
    send(11, 8, Uint8Array.of(0xd5));
    send(14);
    send(12);
    send(14);
    send(15, 101, Uint8Array.of(1, 0x8a, 0, 160));
    send(16, 96);
    transport.deliver(Uint8Array.of(1, 2, 3), from);
    expect([...audio[0]!]).toEqual([0, 32124, -32124]);
    expect([...audio[1]!]).toEqual([8]);
    expect(digits).toEqual(['1']);
    expect(receiver.stats).toEqual({ packetsReceived: 6, bytesReceived: 17, packetsLost: 1, malformed: 1, unknownPayloadType: 1 });
    receiver.stop();
    send(17);
    expect(receiver.stats.packetsReceived).toBe(6);
  });
});

describe('RTP over UDP on 127.0.0.1', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('binds even ports from the start port, skipping taken ones', async () => {
    const first = await bindRtpSocket({ address: '127.0.0.1', startPort: 31001, endPort: 31999 });
    sockets.push(first.socket);
    expect(first.port % 2).toBe(0);
    expect(first.port).toBeGreaterThanOrEqual(31002);
    const second = await bindRtpSocket({ address: '127.0.0.1', startPort: first.port, endPort: 31999 });
    sockets.push(second.socket);
    expect(second.port).toBe(first.port + 2);
    await expect(bindRtpSocket({ address: '127.0.0.1', startPort: first.port, endPort: first.port + 1 })).rejects.toMatchObject({ code: 'RTP_PORTS_EXHAUSTED' });
    await expect(bindRtpSocket({ address: '127.0.0.1', startPort: 80 })).rejects.toMatchObject({ code: 'RTP_PORT_RANGE_INVALID' });
  });

  it('carries a tone from sender to receiver through real sockets', async () => {
    const a = await bindRtpSocket({ address: '127.0.0.1', startPort: 32000, endPort: 32998 });
    const b = await bindRtpSocket({ address: '127.0.0.1', startPort: a.port + 2, endPort: 32998 });
    sockets.push(a.socket, b.socket);
    const received: Int16Array[] = [];
    const receiver = new RtpReceiver({ transport: udpTransport(b.socket), onAudio: (pcm) => received.push(pcm) });
    receiver.start();
    const clock = new FakeClock();
    const sender = new RtpSender({ transport: udpTransport(a.socket), peer: { address: '127.0.0.1', port: b.port }, clock, payloadType: 0, source: encodedFrames(new ToneGenerator({ frequencies: [1000] }), PCMU, 10) });
    sender.start();
    await clock.advance(300);
    await until(() => received.length === 10);
    expect(receiver.stats).toMatchObject({ packetsReceived: 10, bytesReceived: 1600, packetsLost: 0 });
    // 1 kHz at 8 kHz: the samples repeat every 8.
    const samples = received[3]!;
    expect(Math.abs(samples[2]! - samples[10]!)).toBeLessThan(300);
    expect(Math.max(...samples)).toBeGreaterThan(7000);
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

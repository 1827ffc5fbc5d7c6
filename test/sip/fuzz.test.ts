import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ADMIN } from '../support/test-portier.js';
import { buildFuzzCorpus, type FuzzCase } from './fuzz-corpus.js';
import { rawTcpConnection, sipPortierWithRawPeer, tcpOptions } from './raw-sip-client.js';

const shared = sipPortierWithRawPeer();

async function sendOverUdp(cases: FuzzCase[]): Promise<void> {
  for (const [i, fuzz] of cases.entries()) {
    await shared.peer.send(fuzz.bytes);
    // Pace the burst so the kernel's receive buffer never drops a datagram the assertions count on.
    if (i % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function sendOverTcp(cases: FuzzCase[]): Promise<void> {
  for (let i = 0; i < cases.length; i += 8) {
    await Promise.all(
      cases.slice(i, i + 8).map(async (fuzz) => {
        const connection = await rawTcpConnection(shared.portier.sipPort);
        connection.socket.write(fuzz.bytes);
        await connection.closedWithin(30);
        connection.socket.destroy();
      }),
    );
  }
}

async function stillServing(): Promise<void> {
  expect(await shared.peer.options()).toBe(200);
  expect(await tcpOptions(shared.portier.sipPort)).toBe(200);
  const plugin = await shared.portier.request('GET', '/api/v1/plugins/sip', { user: ADMIN });
  expect(plugin.body.state).toBe('running');
  expect((await shared.portier.status()).running).toBe(true);
  expect(await shared.portier.calls()).toEqual([]);
}

let runs = 0;
const corpus = () => buildFuzzCorpus({ sentBy: `127.0.0.1:${shared.peer.port}`, run: String(++runs) });

describe('a fuzz corpus of malformed SIP messages', () => {
  it('is deterministic and covers what the issue lists', () => {
    const a = buildFuzzCorpus({ sentBy: '127.0.0.1:5070', run: 'x' });
    const b = buildFuzzCorpus({ sentBy: '127.0.0.1:5070', run: 'x' });
    expect(a.map((c) => Buffer.from(c.bytes).toString('base64'))).toEqual(b.map((c) => Buffer.from(c.bytes).toString('base64')));
    expect(a.length).toBeGreaterThanOrEqual(250);
    const names = a.map((c) => c.name).join('\n');
    for (const topic of ['truncated', 'MiB', '500 headers', '20 KiB header', 'SIP/3.0', 'binary garbage', 'negative Content-Length', 'NUL', 'Request-URI', 'no Via', 'CSeq', 'UTF-8', 'response to nothing', 'ACK to nothing', 'CANCEL to nothing', 'BYE to no dialog', 'garbage SDP']) {
      expect(names).toContain(topic);
    }
  });

  it('leaves Portier answering the next valid OPTIONS over UDP and TCP, the plugin running, no call made', async () => {
    const cases = corpus();
    await sendOverUdp(cases.filter((c) => c.udp));
    await sendOverTcp(cases.filter((c) => c.tcp));
    await stillServing();
  });

  it('answers each malformed request it can answer (400, 505), and nothing it cannot', async () => {
    const cases = corpus().filter((c) => c.udp && !c.sdp);
    const before = shared.peer.replies.length;
    await sendOverUdp(cases);
    expect(await shared.peer.options()).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = shared.peer.replies.slice(before);
    const finalFor = (callId: string) => replies.find((r) => r.callId === callId && r.status >= 200)?.status ?? 'none';
    const got = Object.fromEntries(cases.filter((c) => c.answer !== undefined).map((c) => [c.name, finalFor(c.callId)]));
    const wanted = Object.fromEntries(
      cases.filter((c) => c.answer !== undefined).map((c) => [c.name, c.answer === 'final' ? (typeof got[c.name] === 'number' ? got[c.name] : 'a final answer') : c.answer]),
    );
    expect(got).toEqual(wanted);
    // A 400 copies what the client needs to match it: its Call-ID, and its Via with rport filled in.
    const bad = replies.find((r) => r.status === 400)!;
    expect(bad.text).toMatch(new RegExp(`^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${shared.peer.port};branch=z9hG4bK-fuzz-\\d+-\\d+;received=127\\.0\\.0\\.1;rport=${shared.peer.port}\\r$`, 'm'));
  });

  // Transactions the corpus starts live up to 32 s (Timers H and J, 64·T1), so heap is compared once they have gone.
  it('does not grow without bound when the whole corpus is sent five times', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const round = async () => {
      const cases = corpus();
      await sendOverUdp(cases.filter((c) => c.udp));
      await sendOverTcp(cases.filter((c) => c.tcp));
    };
    await round();
    const afterOne = heap();
    for (let i = 2; i <= 5; i++) await round();
    const afterFive = heap();
    await new Promise((resolve) => setTimeout(resolve, 33_000));
    await stillServing();
    const settled = heap();
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    console.log(`heap after one round: ${mib(afterOne)}, after five: ${mib(afterFive)}, 33 s later: ${mib(settled)}`);
    expect(settled - afterOne).toBeLessThan(2 * 2 ** 20);
  }, 90_000);
});

describe('INVITEs with broken SDP while incoming calls are allowed', () => {
  const ringing = sipPortierWithRawPeer({ allowIncomingCalls: true, autoAnswerSeconds: null });

  /** Sends one INVITE and returns its final status, hanging up a call it made ring so the next one is not refused as busy. */
  async function offer(fuzz: FuzzCase): Promise<number | 'rang'> {
    await ringing.peer.send(fuzz.bytes);
    const status = await ringing.peer.replyTo(fuzz.callId, 1000).then((r) => r.status, () => 'rang' as const);
    for (const call of await ringing.portier.calls()) if (call.state === 'ringing') await ringing.portier.request('DELETE', `/api/v1/plugins/sip/calls/${call.call}`, { user: ADMIN });
    return status;
  }

  const broken = () => buildFuzzCorpus({ sentBy: `127.0.0.1:${ringing.peer.port}`, run: `sdp-${++runs}` }).filter((c) => c.sdp);

  it('refuses each with 488 and rings for none', async () => {
    const cases = broken().filter((c) => !c.name.includes('c= address'));
    const got: Record<string, number | 'rang'> = {};
    for (const fuzz of cases) got[fuzz.name] = await offer(fuzz);
    expect(got).toEqual(Object.fromEntries(cases.map((c) => [c.name, 488])));
    expect(await ringing.portier.calls()).toEqual([]);
    expect(await ringing.peer.options()).toBe(200);
  });

  it('refuses an offer whose c= address is not an IPv4 address', async () => {
    const [fuzz] = broken().filter((c) => c.name.includes('c= address'));
    expect(await offer(fuzz!)).toBe(488);
  });
});

import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateSelfSigned } from '../../platform/http/tls/self-signed.js';

/**
 * What the controller does with a credential value: a JSON answer; silence
 * (`stall`); bytes that are not a decision (`nonsense`); or a grant that
 * trickles in a byte every 50 ms and is complete only after 1.5 s (`drip`);
 * or an answer given after thinking for a while (`{ answer, afterMs }`).
 */
export type ControllerAnswer = { granted: true } | { granted: false; reason: string };
export type ControllerReply = ControllerAnswer | { answer: ControllerAnswer; afterMs: number } | 'stall' | 'nonsense' | 'drip';

export interface TestDoorController {
  url: string;
  /** The controller's own certificate, for the reader's CA setting. */
  certificate: string;
  /** A certificate of another server, which does not vouch for this one. */
  otherCertificate: string;
  /** The request bodies it received, with their paths. */
  received: { path: string | undefined; body: unknown }[];
  stop(): Promise<void>;
}

export const CONTROLLER_USER = { username: 'portier', password: 'door secret' };

/**
 * A door controller as the reader meets it: real HTTPS on 127.0.0.1 with its
 * own self-signed certificate, wanting Basic credentials (CONTROLLER_USER),
 * answering each credential as `reply` says.
 */
export async function startTestDoorController(reply: (value: string) => ControllerReply): Promise<TestDoorController> {
  const own = await generateSelfSigned();
  const otherCertificate = (await generateSelfSigned()).cert;
  const received: TestDoorController['received'] = [];
  const expected = `Basic ${Buffer.from(`${CONTROLLER_USER.username}:${CONTROLLER_USER.password}`).toString('base64')}`;
  const server: Server = createServer({ cert: own.cert, key: own.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { credential: { value: string } };
      received.push({ path: req.url, body });
      const answer = reply(body.credential.value);
      if (answer === 'stall') return;
      if (typeof answer === 'object' && 'afterMs' in answer) {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.answer)), answer.afterMs);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (answer === 'drip') {
        let left = 30;
        const drip = setInterval(() => {
          if (res.destroyed) return clearInterval(drip);
          if (--left > 0) return void res.write(' ');
          clearInterval(drip);
          res.end('{"granted":true}');
        }, 50);
        return;
      }
      res.end(answer === 'nonsense' ? '{"open": "maybe"}' : JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certificate: own.cert,
    otherCertificate,
    received,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

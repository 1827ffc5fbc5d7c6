import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSelfSigned } from '../../../platform/http/tls/self-signed.js';
import { DECISION_PATH, DoorControllerClient } from './door-controller-client.js';

/**
 * A door controller as the reader meets it: real HTTPS on 127.0.0.1 with its
 * own certificate; it knows one card, wants Basic credentials, and can be
 * told to stall or to answer nonsense.
 */
describe('asking a door controller over HTTPS', () => {
  let server: Server;
  let url = '';
  let certificate = '';
  let otherCertificate = '';
  const received: unknown[] = [];

  beforeAll(async () => {
    const own = await generateSelfSigned();
    certificate = own.cert;
    otherCertificate = (await generateSelfSigned()).cert;
    server = createServer({ cert: own.cert, key: own.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.headers.authorization !== `Basic ${Buffer.from('portier:door secret').toString('base64')}`) {
          res.writeHead(401).end();
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reader: string; credential: { value: string } };
        received.push({ path: req.url, ...body });
        if (body.credential.value === 'STALL') return; // never answers
        if (body.credential.value === 'DRIP') {
          // Answers at once, then a byte every 50 ms: never idle for long, and the grant comes 1.5 s late.
          res.writeHead(200, { 'content-type': 'application/json' });
          let left = 30;
          const drip = setInterval(() => {
            if (res.destroyed) return clearInterval(drip);
            if (--left > 0) return void res.write(' ');
            clearInterval(drip);
            res.end('{"granted":true}');
          }, 50);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        if (body.credential.value === 'NONSENSE') res.end('{"open": "maybe"}');
        else res.end(JSON.stringify(body.credential.value === '04A22B91' ? { granted: true } : { granted: false, reason: 'card blocked' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (overrides: Partial<ConstructorParameters<typeof DoorControllerClient>[0]> = {}) =>
    new DoorControllerClient({ url, username: 'portier', password: 'door secret', verifyCertificate: true, ca: certificate, readerId: 'entrance', timeoutMs: 2_000, ...overrides });
  const card = (value: string) => ({ kind: 'card' as const, value, chipType: 'mifare-classic' as const, at: 0 });

  it('gets a grant and a denial with its reason, sending the reader and the credential', async () => {
    expect(await client().decide(card('04A22B91'))).toEqual({ granted: true });
    expect(await client().decide(card('FFFF'))).toEqual({ granted: false, reason: 'card blocked' });
    expect(received[0]).toEqual({ path: DECISION_PATH, reader: 'entrance', credential: { kind: 'card', value: '04A22B91', chipType: 'mifare-classic' } });
  });

  it('refuses a controller whose certificate it does not trust, and says how to fix it', async () => {
    await expect(client({ ca: otherCertificate }).decide(card('04A22B91'))).rejects.toMatchObject({
      code: 'CONTROLLER_CERTIFICATE_INVALID',
      message: expect.stringContaining('does not trust'),
    });
    // Without a CA, the system's CAs do not know a self-signed controller either.
    await expect(new DoorControllerClient({ url, username: 'portier', password: 'door secret', verifyCertificate: true, readerId: 'entrance', timeoutMs: 2_000 }).decide(card('04A22B91'))).rejects.toMatchObject({
      code: 'CONTROLLER_CERTIFICATE_INVALID',
    });
    // Verification off (the integrator's choice): the same controller answers.
    expect(await client({ ca: otherCertificate, verifyCertificate: false }).decide(card('04A22B91'))).toEqual({ granted: true });
  });

  it('names each other failure: wrong password, no answer in time, a malformed answer, nobody there', async () => {
    await expect(client({ password: 'wrong' }).decide(card('04A22B91'))).rejects.toMatchObject({ code: 'CONTROLLER_AUTH_FAILED' });
    await expect(client({ timeoutMs: 200 }).decide(card('STALL'))).rejects.toMatchObject({ code: 'CONTROLLER_TIMEOUT', message: expect.stringContaining('200 ms') });
    await expect(client().decide(card('NONSENSE'))).rejects.toMatchObject({ code: 'CONTROLLER_ANSWER_INVALID' });
    await expect(client({ url: 'https://127.0.0.1:9' }).decide(card('04A22B91'))).rejects.toMatchObject({ code: 'CONTROLLER_UNREACHABLE' });
  });

  it('gives up when the whole answer takes longer than the time limit, however steadily it trickles in', async () => {
    // A grant that arrives long after the swipe would open the door for whoever stands there then.
    const started = Date.now();
    await expect(client({ timeoutMs: 500 }).decide(card('DRIP'))).rejects.toMatchObject({ code: 'CONTROLLER_TIMEOUT', message: expect.stringContaining('500 ms') });
    expect(Date.now() - started).toBeLessThan(1_200);
  });

  it('refuses an address that is not HTTPS', () => {
    expect(() => client({ url: 'http://127.0.0.1:80' })).toThrow(expect.objectContaining({ code: 'CONTROLLER_URL_INVALID' }));
  });
});

/**
 * The reader connected to a network door controller: the credentials
 * service's controller() asks a real HTTPS controller on 127.0.0.1 (its own
 * self-signed certificate, Basic credentials) and passes its answer on; a
 * certificate the reader was not told to trust is refused with a coded error,
 * never a crash.
 */
import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_SERVICE } from 'portier/sdk';
import { type Harness, startHarness } from 'portier/sdk/testing';
import { generateSelfSigned } from '../../platform/http/tls/self-signed.js';

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
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { credential: { value: string } };
      received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body.credential.value === '04A22B91' ? { granted: true } : { granted: false, reason: 'card blocked' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const network = (extra: Record<string, unknown> = {}) => ({
  connection: { type: 'network', network: { controllerUrl: url, username: 'portier', password: 'door secret', ca: certificate, readerId: 'entrance', ...extra } },
});

describe('reader: network door controller', () => {
  it('controller() asks the controller: a grant, and a denial with its reason', async () => {
    h = await startHarness({ plugins: ['io', 'reader'], settings: { reader: network() } });
    expect(h.plugin('reader').state).toBe('running');
    const controller = h.service(CREDENTIALS_SERVICE).controller();
    expect(controller).toBeDefined();
    await h.presentCard({ chipType: 'mifare-classic', uid: '04A22B91' });
    const latest = h.service(CREDENTIALS_SERVICE).latestCard()!;
    expect(await controller!.decide(latest)).toEqual({ granted: true });
    expect(await controller!.decide({ kind: 'pin', value: '1234', at: h.now() })).toEqual({ granted: false, reason: 'card blocked' });
    expect(received.at(-2)).toEqual({ reader: 'entrance', credential: { kind: 'card', value: '04A22B91', chipType: 'mifare-classic' } });
  });

  it('a certificate it was not told to trust is refused with CONTROLLER_CERTIFICATE_INVALID; the reader keeps running', async () => {
    h = await startHarness({ plugins: ['io', 'reader'], settings: { reader: network({ ca: otherCertificate }) } });
    const controller = h.service(CREDENTIALS_SERVICE).controller()!;
    await expect(controller.decide({ kind: 'card', value: '04A22B91', chipType: 'mifare-classic', at: h.now() })).rejects.toMatchObject({
      code: 'CONTROLLER_CERTIFICATE_INVALID',
    });
    expect(h.plugin('reader').state).toBe('running');
  });

  it('standalone or on the reader connector there is no controller to ask', async () => {
    h = await startHarness({ plugins: ['io', 'reader'] });
    expect(h.service(CREDENTIALS_SERVICE).controller()).toBeUndefined();
  });
});

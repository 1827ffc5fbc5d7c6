import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../platform/cli/client/api-client.js';
import { generateSelfSigned } from '../../platform/http/tls/self-signed.js';

/** An HTTPS server that records every request that reaches it (and the credentials it carried). */
async function serve(cert: { cert: string; key: string }): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.setHeader('content-type', 'application/json');
    res.end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the CLI client pinned to a certificate fingerprint', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it('sends nothing — no password — to a server whose certificate has another fingerprint, and talks to the pinned one', async () => {
    const [intercom, impostor] = await Promise.all([generateSelfSigned(), generateSelfSigned()]);
    const pinned = new X509Certificate(intercom.cert).fingerprint256;

    const fake = await serve(impostor);
    servers.push(fake.server);
    const toImpostor = new ApiClient({ url: fake.url, username: 'admin', password: 'secret-password', fingerprint: pinned });
    await expect(toImpostor.json('GET', '/api/v1/apps')).rejects.toMatchObject({ code: 'CERTIFICATE_UNTRUSTED' });
    expect(fake.seen).toEqual([]);

    const real = await serve(intercom);
    servers.push(real.server);
    const toIntercom = new ApiClient({ url: real.url, username: 'admin', password: 'secret-password', fingerprint: pinned.toLowerCase() });
    await expect(toIntercom.json('GET', '/api/v1/apps')).resolves.toMatchObject({ status: 200, body: [] });
    expect(real.seen).toHaveLength(1);
  });
});

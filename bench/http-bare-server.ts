/**
 * The baseline of the HTTP benchmarks, run as its own process: a bare
 * fastify HTTPS server with the same certificate as Portier, answering
 * `GET /api/v1/health` and the benchmarked route with a fixed JSON body —
 * no authentication, no access control, no validation, no security headers.
 * Prints `{"port": N}` once it listens.
 *
 *   node dist/bench/http-bare-server.js <cert.pem> <key.pem> [<route> <body.json>]
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';

const [certFile, keyFile, route, bodyFile] = process.argv.slice(2);
if (certFile === undefined || keyFile === undefined) throw new Error('usage: http-bare-server.js <cert.pem> <key.pem> [<route> <body.json>]');
const app = Fastify({ https: { cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' } });
app.get('/api/v1/health', () => ({ status: 'ok' }));
if (route !== undefined && bodyFile !== undefined) {
  const body = JSON.parse(readFileSync(bodyFile, 'utf8')) as unknown;
  app.get(route, () => body);
}
await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ port: (app.server.address() as AddressInfo).port }));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));

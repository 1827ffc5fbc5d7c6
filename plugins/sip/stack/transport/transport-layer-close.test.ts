import { createSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransportLayer, type TransportLayerOptions } from './transport-layer.js';

const HOST = '127.0.0.1';
let tls: TransportLayerOptions['tls'];
beforeAll(async () => {
  const { default: selfsigned } = await import('selfsigned');
  const pems = await selfsigned.generate([{ name: 'commonName', value: HOST }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: HOST }] }],
  });
  tls = { port: 0, server: { cert: pems.cert, key: pems.private }, client: { ca: [pems.cert] } };
});

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

function connect(port: number, secure: boolean): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = secure ? tlsConnect({ host: HOST, port, ca: tls!.client!.ca }) : tcpConnect({ host: HOST, port });
  sockets.push(socket);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    socket.once(secure ? 'secureConnect' : 'connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms))]);
}

describe('TransportLayer.close', () => {
  it('closes listeners and every connection, even one still in its TLS handshake, so the ports can be bound again', async () => {
    const layer = await TransportLayer.start({ host: HOST, udpPort: 0, tcpPort: 0, tls: tls! });
    const udpPort = layer.localAddress('UDP')!.port;
    const tcpPort = layer.localAddress('TCP')!.port;
    const tlsPort = layer.localAddress('TLS')!.port;
    const tcp = await connect(tcpPort, false);
    const secure = await connect(tlsPort, true);
    // Connected over TCP to the TLS port, saying nothing: the handshake never ends.
    const silent = await connect(tlsPort, false);

    await within(layer.close(), 1000, 'close()');
    await within(Promise.all([tcp.closed, secure.closed, silent.closed]), 1000, 'closing the connections');

    const again = await TransportLayer.start({ host: HOST, udpPort, tcpPort, tls: { ...tls!, port: tlsPort } });
    expect(again.localAddress('UDP')!.port).toBe(udpPort);
    await again.close();
  });

  it('closes connections it opened, and stops delivering', async () => {
    const target = await TransportLayer.start({ host: HOST, tcpPort: 0 });
    const layer = await TransportLayer.start({ host: HOST, udpPort: 0, tcpPort: 0 });
    const heard: unknown[] = [];
    layer.onMessage((m) => heard.push(m));
    const { parseSipMessage } = await import('../message/index.js');
    const request = parseSipMessage(
      Buffer.from('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK-1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n'),
    );
    let arrived = 0;
    target.onMessage(() => (arrived += 1));
    await layer.sendRequest(request as never, target.localAddress('TCP')!);
    const udpPort = layer.localAddress('UDP')!.port;
    await within(layer.close(), 1000, 'close()');
    await target.close();
    expect(arrived).toBeLessThanOrEqual(1);

    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(udpPort, HOST, () => resolve());
    });
    probe.close();
    expect(heard).toEqual([]);
  });
});

/**
 * Is a SIP server answering on UDP? One OPTIONS without a user part, any
 * final response counts. Used to wait for a server to be up, where a port
 * merely being bound says nothing about its routing script being loaded.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

export function sipAnswersOptions(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const tag = randomBytes(6).toString('hex');
    const finish = (answered: boolean): void => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('message', (message) => {
      if (/^SIP\/2\.0 [2-6]\d\d /.test(message.toString('latin1'))) finish(true);
    });
    socket.on('error', () => finish(false));
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const request = [
        `OPTIONS sip:${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-probe-${tag};rport`,
        `From: <sip:probe@127.0.0.1>;tag=${tag}`,
        `To: <sip:${host}:${port}>`,
        `Call-ID: probe-${tag}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, host);
    });
  });
}

/** Polls until the server answers OPTIONS; rejects after `timeoutMs` or when `gone()` says it exited. */
export async function waitForSipServer(port: number, timeoutMs: number, gone: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone()) throw new Error(`${what} exited before answering OPTIONS on 127.0.0.1:${port}`);
    if (await sipAnswersOptions(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not answer OPTIONS on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

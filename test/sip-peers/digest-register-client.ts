/**
 * Just enough of a SIP client to REGISTER over UDP with digest auth (RFC
 * 8760: MD5 or SHA-256, qop=auth), so the tests can check what kamailio
 * challenges with and accepts when neither sipp nor baresip 1.0 speak SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

export interface RegisterOutcome {
  challenge: string;
  finalStatus: number;
}

export async function registerWithDigest(port: number, user: string, password: string, realm: string): Promise<RegisterOutcome> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  const callId = randomBytes(8).toString('hex');
  const tag = randomBytes(4).toString('hex');
  const exchange = (cseq: number, authorization?: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no final response to REGISTER within 2 s')), 2000);
      const onMessage = (message: Buffer): void => {
        const text = message.toString('latin1');
        if (/^SIP\/2\.0 1\d\d/.test(text)) return;
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(text);
      };
      socket.on('message', onMessage);
      const lines = [
        `REGISTER sip:${realm} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
        `From: <sip:${user}@${realm}>;tag=${tag}`,
        `To: <sip:${user}@${realm}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${user}@127.0.0.1:${local}>`,
        'Expires: 60',
        'Max-Forwards: 70',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        'Content-Length: 0',
        '',
        '',
      ];
      socket.send(lines.join('\r\n'), port, '127.0.0.1');
    });
  try {
    const first = await exchange(1);
    const challenge = /^WWW-Authenticate:\s*(.*)$/im.exec(first)?.[1]?.trim() ?? '';
    const param = (name: string): string => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1] ?? '';
    const algorithm = param('algorithm') || 'MD5';
    const hash = (text: string): string => createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(text).digest('hex');
    const nonce = param('nonce');
    const cnonce = randomBytes(8).toString('hex');
    const uri = `sip:${realm}`;
    const ha1 = hash(`${user}:${param('realm')}:${password}`);
    const ha2 = hash(`REGISTER:${uri}`);
    const response = hash(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`);
    const authorization = `Digest username="${user}", realm="${param('realm')}", nonce="${nonce}", uri="${uri}", ` +
      `response="${response}", algorithm=${algorithm}, cnonce="${cnonce}", qop=auth, nc=00000001`;
    const second = await exchange(2, authorization);
    return { challenge, finalStatus: Number.parseInt(second.slice(8, 11), 10) };
  } finally {
    socket.close();
  }
}

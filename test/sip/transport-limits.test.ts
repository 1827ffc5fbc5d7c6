import { describe, expect, it } from 'vitest';
import { ADMIN } from '../support/test-portier.js';
import { MAX_UDP_PAYLOAD } from './fuzz-corpus.js';
import { optionsRequest, rawTcpConnection, readReply, sipPortierWithRawPeer, tcpOptions, type RawTcpConnection } from './raw-sip-client.js';

const shared = sipPortierWithRawPeer();

let ids = 0;
const callId = () => `limits-${++ids}`;

async function answerOn(connection: RawTcpConnection, id: string, timeoutMs = 2000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = connection.received().split(/(?=SIP\/2\.0 )/).map(readReply).find((r) => r?.callId === id);
    if (reply !== undefined) return reply.status;
    if (Date.now() > deadline) throw new Error(`no answer to ${id} on the connection: ${JSON.stringify(connection.received().slice(0, 200))}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function tcpOptionsOn(connection: RawTcpConnection): Promise<number> {
  const id = callId();
  connection.socket.write(optionsRequest(`127.0.0.1:${connection.socket.localPort}`, id, 'TCP'));
  return answerOn(connection, id);
}

describe('SIP transport limits on a running Portier', () => {
  it('closes a TCP connection whose message is over 64 KiB, and only that one', async () => {
    const other = await rawTcpConnection(shared.portier.sipPort);
    const big = await rawTcpConnection(shared.portier.sipPort);
    const head = optionsRequest('127.0.0.1:5060', callId(), 'TCP').replace('Content-Length: 0', `Content-Length: ${70 * 1024}`);
    big.socket.write(head);
    big.socket.write('x'.repeat(70 * 1024));

    expect(await big.closedWithin(2000)).toBe(true);
    expect(await tcpOptionsOn(other)).toBe(200);
    other.socket.destroy();
  });

  it('waits for headers that trickle in, up to 64 KiB, then closes the connection', async () => {
    const slow = await rawTcpConnection(shared.portier.sipPort);
    slow.socket.write(`OPTIONS sip:portier@127.0.0.1 SIP/2.0\r\n`);
    const line = `X-Slow: ${'s'.repeat(1014)}\r\n`;
    for (let kib = 1; kib <= 60; kib++) slow.socket.write(line);
    expect(await slow.closedWithin(200)).toBe(false);
    for (let kib = 61; kib <= 70; kib++) slow.socket.write(line);
    expect(await slow.closedWithin(2000)).toBe(true);
    expect(await tcpOptions(shared.portier.sipPort)).toBe(200);
  });

  it('answers CRLFCRLF with CRLF on a TCP connection, and keeps it open for requests', async () => {
    const connection = await rawTcpConnection(shared.portier.sipPort);
    connection.socket.write('\r\n\r\n');
    const deadline = Date.now() + 2000;
    while (connection.received() !== '\r\n' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(connection.received()).toBe('\r\n');
    expect(await tcpOptionsOn(connection)).toBe(200);
    connection.socket.destroy();
  });

  it('answers requests pipelined in one TCP write, in order', async () => {
    const connection = await rawTcpConnection(shared.portier.sipPort);
    const [a, b, c] = [callId(), callId(), callId()];
    const sentBy = `127.0.0.1:${connection.socket.localPort}`;
    connection.socket.write(optionsRequest(sentBy, a, 'TCP') + optionsRequest(sentBy, b, 'TCP') + optionsRequest(sentBy, c, 'TCP'));
    expect([await answerOn(connection, a), await answerOn(connection, b), await answerOn(connection, c)]).toEqual([200, 200, 200]);
    connection.socket.destroy();
  });

  it('holds at most 256 TCP connections: the next is closed at once, the open ones still work, and a closed one frees a place', async () => {
    const open: RawTcpConnection[] = [];
    try {
      for (let i = 0; i < 256; i++) open.push(await rawTcpConnection(shared.portier.sipPort));
      expect(await tcpOptionsOn(open[0]!)).toBe(200);
      const refused = await rawTcpConnection(shared.portier.sipPort);
      expect(await refused.closedWithin(1000)).toBe(true);
      expect(await tcpOptionsOn(open[255]!)).toBe(200);
      open.pop()!.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await tcpOptions(shared.portier.sipPort)).toBe(200);
    } finally {
      for (const connection of open) connection.socket.destroy();
    }
    expect(await shared.peer.options()).toBe(200);
  });

  it('reads a header line of 8 KiB and 200 header fields, and drops a message with more', async () => {
    const ask = async (extra: string[]) => {
      const id = callId();
      await shared.peer.send(optionsRequest(`127.0.0.1:${shared.peer.port}`, id).replace('Content-Length: 0', [...extra, 'Content-Length: 0'].join('\r\n')));
      return shared.peer.replyTo(id, 500).then((r) => r.status, () => 'none' as const);
    };
    expect(await ask([`Subject: ${'s'.repeat(8000)}`])).toBe(200);
    expect(await ask(Array.from({ length: 191 }, (_, i) => `X-Many-${i}: ${i}`))).toBe(200);
    expect(await ask([`Subject: ${'s'.repeat(9000)}`])).toBe('none');
    expect(await ask(Array.from({ length: 201 }, (_, i) => `X-Many-${i}: ${i}`))).toBe('none');
    expect(await shared.peer.options()).toBe(200);
  });

  it('drops the largest UDP datagram when it is not SIP, and answers OPTIONS after it', async () => {
    await shared.peer.send(Buffer.alloc(MAX_UDP_PAYLOAD, 'Z'));
    expect(await shared.peer.options()).toBe(200);
  });
});

describe('header injection through the settings', () => {
  const put = async (settings: Record<string, unknown>) => {
    const current = (await shared.portier.request('GET', '/api/v1/plugins/sip/settings', { user: ADMIN })).body.values;
    return shared.portier.request('PUT', '/api/v1/plugins/sip/settings', { user: ADMIN, body: { ...current, ...settings } });
  };

  it('refuses a contact SIP address with CR or LF in it, naming the field', async () => {
    for (const sipAddress of ['sip:reception@127.0.0.1\r\nX-Injected: 1', 'sip:recep\ntion@127.0.0.1', 'sip:reception@127.0.0.1;x=\r']) {
      const reply = await put({ contacts: [{ id: 'reception', firstName: 'Reception', sipAddress }] });
      expect([400, 422]).toContain(reply.status);
      expect(reply.text).toMatch(/contacts.*sipAddress|sipAddress/);
    }
  });

  const account = { id: 'pbx', name: 'PBX', userId: '100', domain: 'pbx.example.com' };
  const refusedWithField = async (field: string, values: string[]) => {
    for (const value of values) {
      const reply = await put({ accounts: [{ ...account, [field]: value }] });
      expect([400, 422], `${field} ${JSON.stringify(value)}: ${reply.status}`).toContain(reply.status);
      expect(reply.text).toContain(field);
    }
  };

  // The serializer would keep CR/LF off the wire anyway (SIP_HEADER_INJECTION), but every REGISTER or call of
  // the account would then fail to send: the settings refuse them instead, naming the field.
  it('refuses an account caller ID with CR or LF in it, naming the field', async () => {
    await refusedWithField('callerId', ['Door\r\nX-Injected: 1', 'Do\nor', 'Door\r']);
  });

  it('refuses an account user ID with CR or LF in it, naming the field', async () => {
    await refusedWithField('userId', ['100\r\nX-Injected: 1', '1\n00']);
  });

  it('refuses an account authentication ID with CR or LF in it, naming the field', async () => {
    await refusedWithField('authenticationId', ['door\r\nX-Injected: 1', 'do\nor']);
  });
});

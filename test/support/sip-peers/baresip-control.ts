/**
 * baresip's ctrl_tcp module: netstrings (`<length>:<json>,`) both ways.
 * We send `{command, params, token}`; baresip answers `{response, ok, data,
 * token}` and pushes `{event: true, type, ...}` (REGISTER_OK, CALL_INCOMING,
 * CALL_ESTABLISHED, CALL_CLOSED...) as things happen.
 */
import { connect, type Socket } from 'node:net';

export interface BaresipEvent {
  type: string;
  class?: string;
  param?: string;
  peeruri?: string;
  [key: string]: unknown;
}

export interface BaresipResponse {
  ok: boolean;
  data: string;
}

export interface BaresipControl {
  events(): readonly BaresipEvent[];
  waitForEvent(type: string, timeoutMs?: number): Promise<BaresipEvent>;
  command(command: string, params?: string, timeoutMs?: number): Promise<BaresipResponse>;
  close(): void;
}

export async function connectBaresipControl(port: number): Promise<BaresipControl> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  socket.on('error', () => undefined);
  const events: BaresipEvent[] = [];
  const pending = new Map<string, (response: BaresipResponse) => void>();
  const eventWaiters = new Set<() => void>();
  let buffer = Buffer.alloc(0);
  let nextToken = 1;

  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number.parseInt(buffer.subarray(0, colon).toString('ascii'), 10);
      if (buffer.length < colon + 1 + length + 1) return;
      const body = buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      buffer = buffer.subarray(colon + 1 + length + 1);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(body) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (message.event === true) {
        events.push(message as BaresipEvent);
        for (const waiter of eventWaiters) waiter();
      } else if (message.response === true && typeof message.token === 'string') {
        pending.get(message.token)?.({ ok: message.ok === true, data: String(message.data ?? '') });
        pending.delete(message.token);
      }
    }
  });

  return {
    events: () => events,
    waitForEvent: (type, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < events.length; seen += 1) {
            const event = events[seen];
            if (event?.type === type) {
              clearTimeout(timer);
              eventWaiters.delete(check);
              resolve(event);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          eventWaiters.delete(check);
          reject(new Error(`baresip sent no ${type} event within ${timeoutMs} ms; events: ${events.map((e) => e.type).join(', ')}`));
        }, timeoutMs);
        eventWaiters.add(check);
        check();
      }),
    command: (command, params = '', timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const token = String(nextToken++);
        const timer = setTimeout(() => {
          pending.delete(token);
          reject(new Error(`baresip did not answer "${command}" within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(token, (response) => {
          clearTimeout(timer);
          resolve(response);
        });
        const json = Buffer.from(JSON.stringify({ command, params, token }), 'utf8');
        socket.write(`${json.length}:${json.toString('utf8')},`);
      }),
    close: () => socket.destroy(),
  };
}

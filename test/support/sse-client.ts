import { type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** Every message so far, in order. */
  messages: SseMessage[];
  /** Comment lines (`: heartbeat`), without the colon. */
  comments: string[];
  /** Parsed `data` of the messages, for streams whose data is JSON. */
  json<T = any>(): T[];
  /** Resolves with the first message (already received or not) that matches. */
  waitFor(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  waitForComment(match: (comment: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
  /** The body, for a reply that was not a stream (an error). */
  text(): string;
}

/**
 * A Server-Sent Events client over real HTTPS (or plain HTTP for a bare test
 * server), as a browser's EventSource would read the stream: parses `id:`,
 * `event:`, `data:` and comments.
 */
export function openSse(
  baseUrl: string,
  ca: string,
  path: string,
  options: { user?: { username: string; password: string }; headers?: Record<string, string> } = {},
): Promise<SseStream> {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.user !== undefined) {
    headers.authorization = 'Basic ' + Buffer.from(`${options.user.username}:${options.user.password}`).toString('base64');
  }
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined;
    const url = new URL(path, baseUrl);
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    req = send(url, { method: 'GET', headers, ...(secure ? { ca, servername: 'localhost' } : {}) }, (res) => {
      const messages: SseMessage[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let raw = '';
      let buffer = '';
      let current: { id?: string; event?: string; data: string[] } = { data: [] };
      const notify = (): void => {
        for (const w of [...waiters]) w();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            if (current.data.length > 0) {
              const message: SseMessage = { event: current.event ?? 'message', data: current.data.join('\n') };
              if (current.id !== undefined) message.id = current.id;
              messages.push(message);
            }
            current = { data: [] };
            continue;
          }
          if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') current.data.push(value);
          else if (field === 'event') current.event = value;
          else if (field === 'id') current.id = value;
        }
        notify();
      });
      const ended = new Promise<void>((done) => {
        res.on('end', () => {
          notify();
          done();
        });
        res.on('close', () => {
          notify();
          done();
        });
      });
      const waitUntil = <T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
        new Promise((found, fail) => {
          const check = (): void => {
            const hit = find();
            if (hit === undefined) return;
            clearTimeout(timer);
            waiters.delete(check);
            found(hit);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(messages.map((m) => [m.id, m.event, m.data]))}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        comments,
        json: () => messages.map((m) => JSON.parse(m.data)),
        waitFor: (match, timeoutMs = 5_000) => waitUntil(() => messages.find(match), 'a matching message', timeoutMs),
        waitForComment: (match, timeoutMs = 5_000) => waitUntil(() => comments.find(match), 'a matching comment', timeoutMs),
        ended,
        close: () => {
          req?.destroy();
          res.destroy();
        },
        text: () => raw,
      });
    });
    req.on('error', reject);
    req.end();
  });
}

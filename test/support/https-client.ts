import { request as httpsRequest } from 'node:https';

export interface HttpsReply<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body bytes, sent as they are. */
  raw?: string | Buffer;
  user?: { username: string; password: string };
  headers?: Record<string, string>;
  /** Local address to send from (e.g. 127.0.0.2), to act as another client. */
  localAddress?: string;
}

/**
 * A real HTTPS request to a test Portier on 127.0.0.1, trusting only the
 * certificate that Portier generated (no verification turned off).
 */
export function httpsClient(baseUrl: string, ca: string) {
  return function request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpsReply<T>> {
    const url = new URL(path, baseUrl);
    const headers: Record<string, string> = { ...options.headers };
    let payload: Buffer | undefined;
    if (options.raw !== undefined) payload = Buffer.from(options.raw);
    else if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
    if (payload !== undefined) headers['content-length'] = String(payload.length);
    if (options.user !== undefined) {
      headers.authorization = 'Basic ' + Buffer.from(`${options.user.username}:${options.user.password}`).toString('base64');
    }
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers, ca, servername: 'localhost', ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (String(res.headers['content-type'] ?? '').includes('json') && text.length > 0) body = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T, text });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  };
}

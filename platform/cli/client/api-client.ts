import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { PortierError, describeError } from '../../../sdk/errors.js';

export interface ApiTarget {
  /** https://HOST:PORT of the intercom. */
  url: string;
  username: string;
  password: string;
  /** PEM file of the intercom's certificate (or the CA that issued it). */
  caFile?: string;
  /** SHA-256 fingerprint of the intercom's certificate, as `portier start` logs it (AA:BB:…). */
  fingerprint?: string;
  /** Skip certificate checks altogether (a lab only). */
  insecure?: boolean;
}

export interface ApiReply {
  status: number;
  body: unknown;
}

/**
 * A small client of Portier's HTTPS API for the command line, with HTTP Basic
 * credentials. The intercom's certificate is usually self-signed: trust it
 * with its PEM file (--ca) or pin its fingerprint (--fingerprint); without
 * either the system's CAs decide, and a refusal says how to proceed.
 */
export class ApiClient {
  private readonly base: URL;

  constructor(private readonly target: ApiTarget) {
    try {
      this.base = new URL(target.url);
    } catch {
      throw new PortierError('URL_INVALID', `--url ${target.url} is not a URL; use https://HOST:PORT.`);
    }
    if (this.base.protocol !== 'https:') throw new PortierError('URL_INVALID', `--url must start with https:// (Portier speaks HTTPS only), not ${this.base.protocol}//.`);
  }

  json(method: string, path: string, body?: unknown): Promise<ApiReply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return this.send(method, path, payload === undefined ? {} : { 'content-type': 'application/json' }, payload);
  }

  /** Sends `bytes` as the body, reporting progress as chunks leave. */
  upload(path: string, bytes: Buffer, contentType: string, onProgress?: (sent: number, total: number) => void): Promise<ApiReply> {
    return this.send('POST', path, { 'content-type': contentType }, bytes, onProgress);
  }

  private send(method: string, path: string, headers: Record<string, string>, body?: Buffer, onProgress?: (sent: number, total: number) => void): Promise<ApiReply> {
    const url = new URL(path, this.base);
    const options: RequestOptions = {
      method,
      headers: {
        ...headers,
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${this.target.username}:${this.target.password}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-length': String(body.length) }),
      },
      ...this.tlsOptions(),
    };
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            // Not JSON: keep the text for the message.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', (error) => reject(this.connectionError(error)));
      if (body === undefined) {
        req.end();
        return;
      }
      // In slices, so the progress bar moves as the upload does.
      const slice = 64 * 1024;
      let sent = 0;
      const writeMore = (): void => {
        while (sent < body.length) {
          const end = Math.min(sent + slice, body.length);
          const more = req.write(body.subarray(sent, end));
          sent = end;
          onProgress?.(sent, body.length);
          if (!more) {
            req.once('drain', writeMore);
            return;
          }
        }
        req.end();
      };
      writeMore();
    });
  }

  private tlsOptions(): RequestOptions {
    if (this.target.insecure === true) return { rejectUnauthorized: false };
    if (this.target.fingerprint !== undefined) {
      // Pinned: the certificate is trusted because it is the one named, not because a CA vouches for it.
      // Not checkServerIdentity: Node calls it only for a chain it verified, and with
      // rejectUnauthorized off it ignores its answer, so a pin there is never enforced.
      return { agent: new PinnedAgent(normaliseFingerprint(this.target.fingerprint), this.target.fingerprint) };
    }
    if (this.target.caFile !== undefined) {
      let ca: string;
      try {
        ca = readFileSync(this.target.caFile, 'utf8');
        new X509Certificate(ca);
      } catch (error) {
        throw new PortierError('CA_FILE_INVALID', `--ca ${this.target.caFile} is not a readable PEM certificate: ${describeError(error)}`);
      }
      return { ca };
    }
    return {};
  }

  private connectionError(error: Error & { code?: string }): PortierError {
    const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|fingerprint/i.test(`${error.code ?? ''} ${error.message}`);
    if (certificate) {
      return new PortierError(
        'CERTIFICATE_UNTRUSTED',
        `${this.base.host} did not present a certificate this computer trusts (${error.message}). Pass its certificate with --ca FILE (data/tls/certificate.pem on the intercom), or its fingerprint with --fingerprint (logged by \`portier start\`).`,
      );
    }
    return new PortierError('CONNECTION_FAILED', `Cannot reach ${this.base.host}: ${error.message}. Check --url and that Portier is running.`);
  }
}

/**
 * Hands a request its connection only once the server's certificate has the
 * pinned fingerprint, so nothing (not the password) is ever written to
 * another server. No TLS sessions are kept: each connection shows its
 * certificate again.
 */
class PinnedAgent extends Agent {
  constructor(
    private readonly expected: string,
    private readonly given: string,
  ) {
    super({ maxCachedSessions: 0 });
  }

  override createConnection(options: RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): undefined {
    const socket = super.createConnection({ ...options, rejectUnauthorized: false }) as TLSSocket;
    const done = (error: Error | null): void => {
      socket.removeListener('error', done);
      if (error !== null) socket.destroy();
      callback?.(error, socket);
    };
    socket.once('error', done);
    socket.once('secureConnect', () => {
      const actual = socket.getPeerCertificate().fingerprint256 ?? '';
      if (normaliseFingerprint(actual) === this.expected) done(null);
      else done(Object.assign(new Error(`the intercom's certificate has fingerprint ${actual || 'none'}, not the ${this.given} given`), { code: 'CERT_FINGERPRINT_MISMATCH' }));
    });
    return undefined;
  }
}

function normaliseFingerprint(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

/** The API's error body as one line, or the status when the reply had none. */
export function describeReply(reply: ApiReply): string {
  const body = reply.body as { code?: string; message?: string; details?: { path: string; message: string }[] } | undefined;
  if (body?.code !== undefined && body.message !== undefined) {
    const details = (body.details ?? []).map((d) => `\n  ${d.path}: ${d.message}`).join('');
    return `${body.code}: ${body.message}${details}`;
  }
  return `HTTP ${reply.status}${typeof reply.body === 'string' && reply.body !== '' ? `: ${reply.body}` : ''}`;
}

import { request } from 'node:https';
import { type ControllerDecision, PortierError, type PresentedCredential, z } from 'portier/sdk';

export interface DoorControllerOptions {
  /** https://HOST[:PORT] of the door controller. */
  url: string;
  username: string;
  password: string;
  /** Check the controller's certificate (on by default, as the manual recommends). */
  verifyCertificate: boolean;
  /** PEM of the CA (or the self-signed certificate) that vouches for the controller; the system's CAs otherwise. */
  ca?: string;
  /** Which reader of the controller's door this intercom is (the manual's "entrance reader"). */
  readerId: string;
  timeoutMs: number;
}

/** The controller's answer, checked before anyone acts on it. */
const answerSchema = z.discriminatedUnion('granted', [
  z.object({ granted: z.literal(true) }).passthrough(),
  z.object({ granted: z.literal(false), reason: z.string().min(1).max(200).default('denied') }).passthrough(),
]);

/** Where Portier asks: one POST per credential, JSON both ways. */
export const DECISION_PATH = '/portier/v1/access-decisions';

/**
 * Asks a door controller over HTTPS whether a credential opens the door, for
 * credentials the entry list does not know. Every way this can go wrong ends
 * in a PortierError saying which (unreachable, wrong certificate, refused
 * credentials, a malformed answer, no answer in time); nothing here throws
 * anything else, and a request never outlives its time limit.
 *
 * The request: POST {url}/portier/v1/access-decisions with HTTP Basic
 * credentials and `{ "reader": "<id>", "credential": { "kind": "card"|"pin",
 * "value": "...", "chipType": "..." } }`; the answer: `{ "granted": true }` or
 * `{ "granted": false, "reason": "..." }`.
 */
export class DoorControllerClient {
  private readonly base: URL;

  constructor(private readonly options: DoorControllerOptions) {
    this.base = new URL(options.url);
    if (this.base.protocol !== 'https:') throw new PortierError('CONTROLLER_URL_INVALID', `The door controller's address must start with https://, not ${this.base.protocol}//.`);
  }

  decide(credential: PresentedCredential): Promise<ControllerDecision> {
    const body = Buffer.from(
      JSON.stringify({ reader: this.options.readerId, credential: { kind: credential.kind, value: credential.value, ...(credential.chipType === undefined ? {} : { chipType: credential.chipType }) } }),
    );
    const where = this.base.host;
    return new Promise((resolve, reject) => {
      // The limit is on the whole exchange, not on silence: a controller that trickles its answer
      // would otherwise grant long after the swipe, opening the door for whoever stands there then.
      const deadline = setTimeout(() => {
        fail('CONTROLLER_TIMEOUT', `The door controller at ${where} did not answer within ${this.options.timeoutMs} ms.`);
        req.destroy();
      }, this.options.timeoutMs);
      const settle = (): void => clearTimeout(deadline);
      const fail = (code: string, message: string): void => {
        settle();
        reject(new PortierError(code, message));
      };
      const req = request(
        new URL(DECISION_PATH, this.base),
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            accept: 'application/json',
            authorization: `Basic ${Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64')}`,
          },
          rejectUnauthorized: this.options.verifyCertificate,
          ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > 16 * 1024) {
              req.destroy();
              fail('CONTROLLER_ANSWER_INVALID', `The door controller at ${where} answered with more than 16 KiB; expected a small JSON decision.`);
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            if (res.statusCode === 401 || res.statusCode === 403) {
              return fail('CONTROLLER_AUTH_FAILED', `The door controller at ${where} refused the username and password (HTTP ${res.statusCode}); check them in the reader's connection settings.`);
            }
            if (res.statusCode !== 200) return fail('CONTROLLER_ANSWER_INVALID', `The door controller at ${where} answered HTTP ${res.statusCode}, not a decision.`);
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              return fail('CONTROLLER_ANSWER_INVALID', `The door controller at ${where} answered with something that is not JSON.`);
            }
            const answer = answerSchema.safeParse(parsed);
            if (!answer.success) return fail('CONTROLLER_ANSWER_INVALID', `The door controller at ${where} answered ${JSON.stringify(parsed).slice(0, 100)}; expected { "granted": true } or { "granted": false, "reason": "…" }.`);
            settle();
            resolve(answer.data.granted ? { granted: true } : { granted: false, reason: answer.data.reason });
          });
          res.on('error', (error) => fail('CONTROLLER_UNREACHABLE', `The answer from the door controller at ${where} broke off: ${error.message}.`));
        },
      );
      req.on('error', (error: Error & { code?: string }) => {
        if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(`${error.code ?? ''} ${error.message}`)) {
          return fail(
            'CONTROLLER_CERTIFICATE_INVALID',
            `The door controller at ${where} presented a certificate this intercom does not trust (${error.message}). Give its CA certificate in the connection settings, or turn off certificate verification (not recommended).`,
          );
        }
        fail('CONTROLLER_UNREACHABLE', `The door controller at ${where} cannot be reached: ${error.message}. Check its address and that it is on.`);
      });
      req.end(body);
    });
  }
}

import { z } from 'portier/sdk';
import { isSipParseError } from './stack/message/sip-parse-error.js';
import { parseSipUri } from './stack/message/sip-uri.js';

/**
 * SIP's settings, as the manual's Communication > SIP pages have them:
 * Settings (enable, incoming calls, timeouts, ports, NAT traversal),
 * Accounts, DTMF sequences, and the Contact list, plus which contact the
 * call button calls. Passwords are writeOnly: shown masked, exported as
 * placeholders.
 */

const secret = <T extends z.ZodType>(schema: T): T => schema.meta({ writeOnly: true }) as T;

/** Ids name accounts, contacts and sequences in rules and in the API: short, stable, URL-safe. */
const id = (what: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, `${what} id: 1-32 lower-case letters, digits and dashes, starting with a letter or digit`);

/** Text that goes into a header as it is (a display name): no control characters, which would end the header. */
const headerText = z
  .string()
  .regex(/^[^\x00-\x1f\x7f]*$/, 'expected no control characters (line breaks, tabs)')
  .trim();

/** The user part of a SIP URI and a digest username (RFC 3261 §25.1 user, unescaped). */
const sipUser = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9\-_.!~*'()&=+$,;?/]+$/, "expected letters, digits and - _ . ! ~ * ' ( ) & = + $ , ; ? / only");

/** The peer-to-peer account, always there: calls straight to an address, as sip:<device address>. */
export const P2P_ACCOUNT = 'p2p';

const host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/, 'expected a host name or IP address, optionally with :port');

const sipAddress = z
  .string()
  .max(512)
  .superRefine((value, ctx) => {
    try {
      const uri = parseSipUri(value);
      if (uri.host === '') ctx.addIssue({ code: 'custom', message: 'the SIP address has no host' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `expected a SIP address such as sip:reception@pbx.example.com or sips:192.168.1.100${isSipParseError(error) ? ` (${error.message})` : ''}` });
    }
  })
  .describe('sip: or sips: URI');

const transport = z.enum(['udp', 'tcp', 'tls']);

export const accountSchema = z
  .object({
    id: id('Account'),
    name: headerText.min(1).max(64).describe('Shown in lists'),
    userId: sipUser.describe('User ID (the extension)'),
    domain: host.describe('Domain: the user ID belongs to it (sip:<user ID>@<domain>)'),
    password: secret(z.string().max(128).default('')),
    authenticationId: sipUser.optional().describe('Authentication ID, when the PBX gave one other than the user ID'),
    callerId: headerText.max(64).optional().describe('Caller ID: the name the callee sees'),
    registrar: host.optional().describe('Registrar: host[:port]; the domain when empty'),
    transport: transport.default('udp'),
    registrationSeconds: z.number().int().min(60).max(86_400).default(3600).describe('How long a registration lasts before it is refreshed'),
    verifyCertificate: z.boolean().default(true).describe('TLS: check the registrar\'s certificate'),
    ca: z.string().max(16_384).optional().describe('TLS: PEM certificate(s) the registrar\'s certificate must chain to, when not a public CA'),
  })
  .strict();

export const contactSchema = z
  .object({
    id: id('Contact'),
    firstName: headerText.min(1).max(64),
    lastName: headerText.max(64).default(''),
    sipAddress,
    account: id('Account').default(P2P_ACCOUNT).describe('The account to call from: p2p, or an account id'),
    availability: z
      .string()
      .nullable()
      .default(null)
      .describe('A schedule id: the contact is available while it is active; null for always'),
    fallback: id('Contact').nullable().default(null).describe('Called when this contact does not answer or is not available'),
  })
  .strict();

export const dtmfSequenceSchema = z
  .object({
    id: id('Sequence'),
    sequence: z.string().regex(/^[0-9*#A-Da-d]{1,16}$/, 'expected 1-16 DTMF keys: 0-9, *, #, A-D'),
    description: headerText.min(1).max(64).describe('The event id rules choose, e.g. "Show map"'),
    account: z.union([z.literal('any'), id('Account')]).default('any').describe('Only in calls on this account (p2p, an account id), or any'),
  })
  .strict();

const natSchema = z
  .object({
    stun: z
      .object({ enabled: z.boolean().default(false), server: host.optional().describe('STUN server host[:port], port 3478 when not given') })
      .strict()
      .prefault({}),
    turn: z
      .object({
        enabled: z.boolean().default(false),
        server: host.optional().describe('TURN server host[:port], port 3478 when not given'),
        username: z.string().max(128).default(''),
        password: secret(z.string().max(128).default('')),
      })
      .strict()
      .prefault({}),
    ice: z
      .object({ enabled: z.boolean().default(false).describe('Stored, not used yet: GET /status says so') })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const port = (fallback: number) => z.number().int().min(1024).max(65_535).default(fallback);

export const sipSettingsSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Enable SIP'),
    allowIncomingCalls: z
      .boolean()
      .default(false)
      .describe(
        'Allow incoming calls. The device then accepts calls from any device on the network: if it can be reached from a public network or the internet, leave this off.',
      ),
    callingTimeoutSeconds: z.number().int().min(5).max(600).default(60).describe('Calling timeout: an unanswered call ends (CANCEL) after this long'),
    incomingCallTimeoutSeconds: z.number().int().min(5).max(600).default(30).describe('Incoming call timeout: an unanswered incoming call is refused after this long'),
    autoAnswerSeconds: z
      .number()
      .int()
      .min(0)
      .max(600)
      .nullable()
      .default(0)
      .describe('An allowed incoming call is answered after this many seconds of ringing; null to ring until the call button, the API or a rule answers it'),
    listenAddress: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0').describe('The address SIP and RTP listen on; 0.0.0.0 for all'),
    advertisedAddress: z.union([z.ipv4(), z.ipv6()]).optional().describe('The address put in Contact and SDP; the device\'s own when empty (STUN may replace it)'),
    ports: z
      .object({
        sip: port(5060).describe('SIP port (UDP and TCP), non-encrypted signalling'),
        tls: port(5061).describe('TLS port, for SIPS and TLS secured SIP'),
        rtpStart: port(4000).describe('RTP start port: the first RTP media stream uses it'),
      })
      .strict()
      .prefault({}),
    nat: natSchema,
    accounts: z.array(accountSchema).max(16).default([]),
    dtmf: z
      .object({
        sequences: z.array(dtmfSequenceSchema).max(64).default([]),
        interDigitTimeoutMs: z.number().int().min(500).max(10_000).default(3000).describe('Keys further apart than this start a new sequence'),
      })
      .strict()
      .prefault({}),
    contacts: z.array(contactSchema).max(200).default([]),
    callButton: z
      .object({ contact: id('Contact').nullable().default(null).describe('The contact the call button calls; none when null') })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((settings, ctx) => checkReferences(settings, ctx));

export type SipSettings = z.output<typeof sipSettingsSchema>;
export type AccountSettings = z.output<typeof accountSchema>;
export type ContactSettings = z.output<typeof contactSchema>;
export type DtmfSequenceSettings = z.output<typeof dtmfSequenceSchema>;

type Ctx = z.RefinementCtx;

/** Ids are unique, references point at something, and fallback chains end. */
function checkReferences(settings: SipSettings, ctx: Ctx): void {
  const accounts = new Set<string>([P2P_ACCOUNT]);
  settings.accounts.forEach((account, i) => {
    if (accounts.has(account.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `the account id "${account.id}" is taken` });
    accounts.add(account.id);
  });
  const contacts = new Map<string, { fallback: string | null }>();
  settings.contacts.forEach((contact, i) => {
    if (contacts.has(contact.id)) ctx.addIssue({ code: 'custom', path: ['contacts', i, 'id'], message: `the contact id "${contact.id}" is taken` });
    contacts.set(contact.id, contact);
    if (!accounts.has(contact.account)) ctx.addIssue({ code: 'custom', path: ['contacts', i, 'account'], message: `there is no account "${contact.account}" (accounts: ${[...accounts].join(', ')})` });
  });
  settings.contacts.forEach((contact, i) => {
    if (contact.fallback === null) return;
    if (!contacts.has(contact.fallback)) {
      ctx.addIssue({ code: 'custom', path: ['contacts', i, 'fallback'], message: `there is no contact "${contact.fallback}" to fall back to` });
      return;
    }
    const chain = [contact.id];
    for (let next: string | null = contact.fallback; next !== null; next = contacts.get(next)?.fallback ?? null) {
      if (chain.includes(next)) {
        ctx.addIssue({ code: 'custom', path: ['contacts', i, 'fallback'], message: `the fallbacks go round in a loop: ${[...chain, next].join(' → ')}` });
        return;
      }
      chain.push(next);
    }
  });
  const sequences = new Set<string>();
  settings.dtmf.sequences.forEach((sequence, i) => {
    if (sequences.has(sequence.id)) ctx.addIssue({ code: 'custom', path: ['dtmf', 'sequences', i, 'id'], message: `the sequence id "${sequence.id}" is taken` });
    sequences.add(sequence.id);
    if (sequence.account !== 'any' && !accounts.has(sequence.account)) {
      ctx.addIssue({ code: 'custom', path: ['dtmf', 'sequences', i, 'account'], message: `there is no account "${sequence.account}"` });
    }
  });
  const button = settings.callButton.contact;
  if (button !== null && !contacts.has(button)) ctx.addIssue({ code: 'custom', path: ['callButton', 'contact'], message: `there is no contact "${button}"` });
  if (settings.ports.sip === settings.ports.tls) ctx.addIssue({ code: 'custom', path: ['ports', 'tls'], message: 'the TLS port must differ from the SIP port' });
  if (Math.abs(settings.ports.rtpStart - settings.ports.sip) < 2 || Math.abs(settings.ports.rtpStart - settings.ports.tls) < 2) {
    ctx.addIssue({ code: 'custom', path: ['ports', 'rtpStart'], message: 'the RTP start port must not be next to the SIP or TLS port' });
  }
}

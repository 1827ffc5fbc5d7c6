import { type HttpApi, HttpError, isPortierError, respond, z } from 'portier/sdk';
import type { Call, CallView } from './call.js';
import type { RegistrationStatus } from './stack/ua/registration.js';

const callView = z.object({
  call: z.string(),
  direction: z.enum(['outgoing', 'incoming']),
  state: z.enum(['calling', 'ringing', 'answered', 'ended', 'failed']),
  contact: z.string().nullable(),
  account: z.string(),
  remote: z.string(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  reason: z.string().nullable(),
  status: z.number().nullable(),
  media: z
    .object({ codec: z.string().nullable(), localPort: z.number(), remote: z.string().nullable(), packetsSent: z.number(), packetsReceived: z.number(), packetsLost: z.number() })
    .nullable(),
});

const notUsed = z.object({ setting: z.string(), why: z.string() });

const status = z.object({
  enabled: z.boolean(),
  running: z.boolean(),
  /** Why SIP is enabled but not running (a port taken, …). */
  problem: z.string().nullable(),
  address: z.string().nullable().describe('The device address: sip:<address> is the peer-to-peer account'),
  listening: z.array(z.object({ transport: z.enum(['UDP', 'TCP', 'TLS']), address: z.string(), port: z.number() })),
  accounts: z.array(
    z.object({
      account: z.string(),
      state: z.enum(['unregistered', 'registering', 'registered', 'failed']),
      until: z.number().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  nat: z.object({ stun: z.object({ enabled: z.boolean(), mappedAddress: z.string().nullable() }), turn: z.object({ enabled: z.boolean() }), ice: z.object({ enabled: z.boolean() }) }),
  notUsed: z.array(notUsed).describe('Settings that are stored but that this version does not act on yet'),
  calls: z.number().int(),
});

export type SipStatus = z.output<typeof status>;

const newCall = z.union([
  z.object({ contact: z.string().min(1).describe('A contact id from the contact list') }).strict(),
  z.object({ address: z.string().min(1).describe('A sip: or sips: address'), account: z.string().default('p2p') }).strict(),
]);

export interface SipRouteSources {
  status(): SipStatus;
  calls(): Call[];
  find(id: string): Call | undefined;
  callContact(contact: string): Promise<Call | undefined>;
  callAddress(address: string, account: string): Promise<Call>;
  answer(id: string): Call;
  hangUp(id: string): Promise<Call>;
  sendDtmf(id: string, digits: string): Promise<void>;
}

export function registrationView(account: string, status: RegistrationStatus | undefined): SipStatus['accounts'][number] {
  return { account, state: status?.state ?? 'unregistered', until: status?.until ?? null, reason: status?.reason ?? null };
}

/** The SIP routes under /api/v1/plugins/sip (declared with their roles in the manifest). */
export function serveSipRoutes(http: HttpApi, sources: SipRouteSources): void {
  const view = (call: Call): CallView => call.view();
  const known = (id: string): Call => {
    const call = sources.find(id);
    if (call === undefined) throw new HttpError(404, 'SIP_NO_CALL', `There is no call "${id}"; GET /calls lists them.`);
    return call;
  };
  const conflict = async <T>(work: () => Promise<T> | T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isPortierError(error) && !(error instanceof HttpError)) {
        const status = error.code === 'SIP_CONTACT_UNKNOWN' || error.code === 'SIP_ACCOUNT_UNKNOWN' ? 422 : 409;
        throw new HttpError(status, error.code, error.message);
      }
      throw error;
    }
  };
  const callParams = z.object({ call: z.string() });

  http.route('GET', '/status', { response: status }, () => sources.status());
  http.route('GET', '/calls', { response: z.array(callView) }, () => sources.calls().map(view));
  http.route('POST', '/calls', { body: newCall, response: callView }, async (request) => {
    const body = request.body;
    const call = await conflict(() => ('contact' in body ? sources.callContact(body.contact) : sources.callAddress(body.address, body.account)));
    if (call === undefined) throw new HttpError(409, 'SIP_CONTACT_UNAVAILABLE', 'Neither the contact nor any of its fallbacks is available now (see their availability schedules).');
    return respond(201, view(call));
  });
  http.route('POST', '/calls/{call}/answer', { params: callParams, response: callView }, (request) => conflict(() => view(sources.answer(known(request.params.call).id))));
  http.route('DELETE', '/calls/{call}', { params: callParams, response: callView }, async (request) => view(await conflict(() => sources.hangUp(known(request.params.call).id))));
  http.route(
    'POST',
    '/calls/{call}/dtmf',
    { params: callParams, body: z.object({ digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/, 'expected 1-32 DTMF keys: 0-9, *, #, A-D') }).strict(), response: callView },
    async (request) => {
      const call = known(request.params.call);
      await conflict(() => sources.sendDtmf(call.id, request.body.digits.toUpperCase()));
      return view(call);
    },
  );
}

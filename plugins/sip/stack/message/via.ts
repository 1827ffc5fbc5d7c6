/**
 * One Via value (RFC 3261 §20.42, §18.2.1, RFC 3581 rport):
 * `SIP/2.0/UDP host:port;branch=z9hG4bK…;received=…;rport=…`.
 *
 * The grammar allows whitespace around the slashes and the colon (RFC 4475
 * wsinv: `SIP  /   2.0 / UDP`); a header holding several values is split by
 * the message parser before it reaches here.
 */
import { formatHeaderParams, paramValue, parseHeaderParams, sameName, type HeaderParam } from './header-params.js';
import { isToken } from './grammar.js';
import { parseHostPort } from './sip-uri.js';

export interface Via {
  /** "SIP" on every message this stack sends. */
  protocolName: string;
  protocolVersion: string;
  /** Upper case: UDP, TCP, TLS, SCTP, WS, WSS or an extension. */
  transport: string;
  host: string;
  port: number | undefined;
  branch: string | undefined;
  /** Source address the next hop saw (RFC 3261 §18.2.1). */
  received: string | undefined;
  /** RFC 3581: `true` when present without a value (a request asking for it), the port when filled in. */
  rport: number | true | undefined;
  maddr: string | undefined;
  ttl: number | undefined;
  /** Every other parameter, in order. */
  extensions: HeaderParam[];
}

const KNOWN = ['branch', 'received', 'rport', 'maddr', 'ttl'];
const HEAD = /^([^\s/]+)[ \t]*\/[ \t]*([^\s/]+)[ \t]*\/[ \t]*([^\s/]+)[ \t]+(.*)$/;

/** Parses one via-parm; null when it breaks the grammar. */
export function parseVia(value: string): Via | null {
  const head = HEAD.exec(value.trim());
  if (head === null) return null;
  const [, protocolName = '', protocolVersion = '', transport = '', rest = ''] = head;
  if (!isToken(protocolName) || !isToken(protocolVersion) || !isToken(transport)) return null;
  const semicolon = rest.indexOf(';');
  const sentBy = (semicolon === -1 ? rest : rest.slice(0, semicolon)).replace(/[ \t]*:[ \t]*/, ':').trim();
  const hostPort = parseHostPort(sentBy);
  if (hostPort === null) return null;
  const params = parseHeaderParams(semicolon === -1 ? '' : rest.slice(semicolon));
  if (params === null) return null;

  const branch = paramValue(params, 'branch');
  if (branch === '') return null;
  const rportText = paramValue(params, 'rport');
  let rport: number | true | undefined;
  if (rportText === '') rport = true;
  else if (rportText !== undefined) {
    if (!/^\d{1,5}$/.test(rportText) || Number(rportText) > 65535) return null;
    rport = Number(rportText);
  }
  const ttlText = paramValue(params, 'ttl');
  let ttl: number | undefined;
  if (ttlText !== undefined) {
    if (!/^\d{1,3}$/.test(ttlText) || Number(ttlText) > 255) return null;
    ttl = Number(ttlText);
  }
  const received = paramValue(params, 'received');
  if (received === '') return null;
  const maddr = paramValue(params, 'maddr');
  if (maddr === '') return null;

  return {
    protocolName,
    protocolVersion,
    transport: transport.toUpperCase(),
    host: hostPort.host,
    port: hostPort.port,
    branch,
    received,
    rport,
    maddr,
    ttl,
    extensions: params.filter((p) => !KNOWN.some((k) => sameName(k, p.name))),
  };
}

export function formatVia(via: Via): string {
  const params: HeaderParam[] = [];
  if (via.branch !== undefined) params.push({ name: 'branch', value: via.branch });
  if (via.maddr !== undefined) params.push({ name: 'maddr', value: via.maddr });
  if (via.ttl !== undefined) params.push({ name: 'ttl', value: String(via.ttl) });
  if (via.received !== undefined) params.push({ name: 'received', value: via.received });
  if (via.rport !== undefined) params.push({ name: 'rport', value: via.rport === true ? null : String(via.rport) });
  params.push(...via.extensions);
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocolName}/${via.protocolVersion}/${via.transport} ${via.host}${port}${formatHeaderParams(params)}`;
}

/** A Via for a request this stack sends: SIP/2.0, the given transport and sent-by, a branch and `;rport` (RFC 3581). */
export function createVia(transport: string, host: string, port: number | undefined, branch: string): Via {
  return {
    protocolName: 'SIP',
    protocolVersion: '2.0',
    transport: transport.toUpperCase(),
    host,
    port,
    branch,
    received: undefined,
    rport: true,
    maddr: undefined,
    ttl: undefined,
    extensions: [],
  };
}

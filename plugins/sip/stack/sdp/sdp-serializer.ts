/**
 * Writes a session description with CRLF line ends, lines in the order RFC
 * 4566 §5 gives: v o s i u e p c b t r z k a, then per media m i c b k a.
 */
import { SdpError } from './sdp-error.js';
import type { SdpAttribute, SdpConnection, SdpLine, SessionDescription } from './session-description.js';

const SESSION_BEFORE_CONNECTION = ['i', 'u', 'e', 'p'];
const SESSION_AFTER_CONNECTION = ['b'];
const SESSION_AFTER_TIMING = ['r', 'z', 'k'];

export function serializeSdp(sdp: SessionDescription): string {
  const out: string[] = [];
  const o = sdp.origin;
  out.push(`v=${sdp.version}`);
  out.push(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`);
  out.push(`s=${sdp.sessionName === '' ? '-' : sdp.sessionName}`);
  out.push(...lines(sdp.extraLines, SESSION_BEFORE_CONNECTION));
  if (sdp.connection !== undefined) out.push(connection(sdp.connection));
  out.push(...lines(sdp.extraLines, SESSION_AFTER_CONNECTION));
  const timing = sdp.timing.length === 0 ? [{ start: '0', stop: '0' }] : sdp.timing;
  for (const t of timing) out.push(`t=${t.start} ${t.stop}`);
  out.push(...lines(sdp.extraLines, SESSION_AFTER_TIMING));
  const known = [...SESSION_BEFORE_CONNECTION, ...SESSION_AFTER_CONNECTION, ...SESSION_AFTER_TIMING];
  out.push(...sdp.extraLines.filter((l) => !known.includes(l.type)).map(line));
  out.push(...sdp.attributes.map(attribute));
  for (const m of sdp.media) {
    const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
    out.push(`m=${m.type} ${port} ${m.protocol} ${m.formats.join(' ')}`);
    out.push(...lines(m.extraLines, ['i']));
    if (m.connection !== undefined) out.push(connection(m.connection));
    out.push(...lines(m.extraLines, ['b', 'k']));
    out.push(...m.extraLines.filter((l) => !['i', 'b', 'k'].includes(l.type)).map(line));
    out.push(...m.attributes.map(attribute));
  }
  const bad = out.find((l) => /[\r\n]/.test(l));
  if (bad !== undefined) throw new SdpError('SDP_MALFORMED', `The SDP line "${bad.split(/[\r\n]/)[0]}…" holds a line break; remove CR and LF from SDP values.`);
  return `${out.join('\r\n')}\r\n`;
}

function lines(extra: readonly SdpLine[], types: readonly string[]): string[] {
  return extra.filter((l) => types.includes(l.type)).map(line);
}

function line(l: SdpLine): string {
  return `${l.type}=${l.value}`;
}

function connection(c: SdpConnection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

function attribute(a: SdpAttribute): string {
  return a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`;
}

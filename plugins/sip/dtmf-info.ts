/**
 * The key in a SIP INFO body: application/dtmf-relay ("Signal=5",
 * de-facto, as Cisco and most PBXs send it) or application/dtmf (just the
 * key). Undefined for anything else; the caller answers 415 then.
 */
export function dtmfFromInfo(contentType: string, body: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(body).trim();
  let key: string | undefined;
  if (contentType === 'application/dtmf-relay') key = /^signal\s*=\s*(\S+)/im.exec(text)?.[1];
  else if (contentType === 'application/dtmf') key = text.split(/\s/)[0];
  if (key === undefined) return undefined;
  // Some phones send the RFC 4733 event number for * and # instead of the key.
  const upper = key === '10' ? '*' : key === '11' ? '#' : key.toUpperCase();
  return /^[0-9*#A-D]$/.test(upper) ? upper : undefined;
}

/**
 * The event list of a telephone-event fmtp (RFC 4733 §2.4.1, §7.1.1):
 * `0-15,66,70`. Without an fmtp the receiver may assume 0-15. A door intercom
 * sends and reads DTMF digits, * and #, A-D and flash: events 0-16.
 */

export const INTERCOM_EVENTS = '0-16';
/** RFC 4733 §7.1.1: what an offer without fmtp means. */
export const DEFAULT_EVENTS = '0-15';

/** The event numbers of an fmtp value; null when it is not a valid list. */
export function parseEventList(value: string): Set<number> | null {
  const events = new Set<number>();
  for (const part of value.split(',')) {
    const match = /^\s*(\d{1,3})(?:-(\d{1,3}))?\s*$/.exec(part);
    if (match === null) return null;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > 255 || to > 255 || to < from) return null;
    for (let e = from; e <= to; e++) events.add(e);
  }
  return events;
}

/** Writes event numbers as ranges: {0..16, 32} → "0-16,32". */
export function formatEventList(events: Iterable<number>): string {
  const sorted = [...new Set(events)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The events both sides handle; null when none. */
export function commonEvents(offered: string | undefined, supported: string = INTERCOM_EVENTS): string | null {
  const theirs = parseEventList(offered ?? DEFAULT_EVENTS);
  const ours = parseEventList(supported);
  if (theirs === null || ours === null) return null;
  const both = [...theirs].filter((e) => ours.has(e));
  return both.length === 0 ? null : formatEventList(both);
}

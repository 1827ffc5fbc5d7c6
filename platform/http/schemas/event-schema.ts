import { z } from 'zod';

/** One event, as the event log and the live stream show it. */
export const eventSchema = z
  .object({
    seq: z.number().int().describe('Increasing sequence number; continues across restarts'),
    type: z.string().describe('plugin/name, e.g. io/input'),
    source: z.string().describe('The plugin that emitted it (core for the platform)'),
    time: z.number().describe('Milliseconds since 1970-01-01 UTC'),
    stateful: z.boolean().describe('A state change (input active) rather than a pulse (card presented)'),
    payload: z.record(z.string(), z.unknown()),
  })
  .describe('Event');

/**
 * Which events a client wants: an exact type (`io/input`), every event of a
 * plugin (`io/*`), or several of these separated by commas.
 */
const TYPE_PATTERN = '(?:[a-z][a-z0-9-]*/(?:\\*|[a-z][a-z0-9-]*)|\\*)';
export const eventTypeFilterSchema = z
  .string()
  .regex(new RegExp(`^${TYPE_PATTERN}(?:,${TYPE_PATTERN})*$`), 'expected event types such as io/input, io/* or io/input,core/schedule')
  .describe('Event types: `io/input`, every event of a plugin `io/*`, or several separated by commas');

/** The matcher for an `eventTypeFilterSchema` value; undefined matches every event. */
export function eventTypeMatcher(filter: string | undefined): (type: string) => boolean {
  if (filter === undefined) return () => true;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const pattern of filter.split(',')) {
    if (pattern === '*') return () => true;
    if (pattern.endsWith('/*')) prefixes.push(pattern.slice(0, -1));
    else exact.add(pattern);
  }
  return (type) => exact.has(type) || prefixes.some((p) => type.startsWith(p));
}

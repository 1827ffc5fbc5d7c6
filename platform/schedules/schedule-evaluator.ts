import { createRequire } from 'node:module';
import type { Options as RRuleOptions, RRule as RRuleInstance } from 'rrule';
import { PortierError, type ErrorDetail } from '../../sdk/errors.js';
import { WEEKDAYS, type ScheduleDefinition } from '../../sdk/schedules.js';

// rrule ships a CommonJS bundle whose named exports Node's ESM loader can't detect.
// It is also some 6 MB resident, so it loads on first use: most intercoms
// only ever have weekly schedules.
const require = createRequire(import.meta.url);
let rruleClass: typeof RRuleInstance | undefined;
function rruleLibrary(): typeof RRuleInstance {
  rruleClass ??= (require('rrule') as { RRule: typeof RRuleInstance }).RRule;
  return rruleClass;
}

type WeeklySchedule = Extract<ScheduleDefinition, { kind: 'weekly' }>;
type RecurrenceSchedule = Extract<ScheduleDefinition, { kind: 'recurrence' }>;

/** Whether a schedule is active at an instant, and the next instant that changes it. */
export interface ScheduleState {
  active: boolean;
  /** First instant (epoch ms) strictly after the evaluated one when `active` flips; null if it never does. */
  nextChange: number | null;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/**
 * Wall-clock ("floating") times are represented as the epoch ms they would have
 * in UTC. Zone offsets lie within ±14 hours, so comparing two floating values
 * in place of their instants is off by at most 26 hours; two days is plenty.
 */
const ZONE_SLACK = 2 * DAY;

/**
 * Recurrence rules can be arbitrarily sparse (FREQ=YEARLY;INTERVAL=4) or match
 * nothing at all (BYMONTH=2;BYMONTHDAY=30), and rrule scans day by day up to
 * year 9999 before it gives up — seconds of CPU. We look this far ahead for the
 * next occurrence and otherwise report "no change".
 */
const RECURRENCE_LOOKAHEAD = 10 * 366 * DAY;

/**
 * Back-to-back occurrences (daily, 24 h long) form an activity that may never
 * end; following it means converting every occurrence. After this much
 * uninterrupted activity we report "no change" rather than keep walking.
 */
const CONTINUOUS_ACTIVITY_HORIZON = 366 * DAY;

/**
 * Weekly intervals and recurrence starts are wall-clock times in `timeZone`.
 * A wall-clock time skipped by spring-forward means the instant the clocks
 * jump; one repeated by fall-back means its first occurrence.
 */
export function isScheduleActive(schedule: ScheduleDefinition, at: number, timeZone: string): boolean {
  return evaluate(schedule, at, timeZone, false).active;
}

/**
 * The first instant strictly after `at` when `isScheduleActive` flips, or null
 * when it never does. For recurrence rules "never" is judged within limits: no
 * occurrence in the next ten years, or more than a year of uninterrupted activity.
 */
export function nextScheduleChange(schedule: ScheduleDefinition, at: number, timeZone: string): number | null {
  return evaluate(schedule, at, timeZone, true).nextChange;
}

/** Both answers from one evaluation, for a service that arms its next timer on every change. */
export function scheduleState(schedule: ScheduleDefinition, at: number, timeZone: string): ScheduleState {
  return evaluate(schedule, at, timeZone, true);
}

/**
 * Semantic checks the zod schema can't express. Evaluating a schedule for which
 * this returns problems throws a `SCHEDULE_INVALID` PortierError carrying them.
 */
export function validateSchedule(definition: ScheduleDefinition): ErrorDetail[] {
  if (definition.kind === 'weekly') return [];
  return compileRecurrence(definition).problems;
}

function evaluate(schedule: ScheduleDefinition, at: number, timeZone: string, wantNext: boolean): ScheduleState {
  if (!Number.isFinite(at)) {
    throw new PortierError('SCHEDULE_INVALID_INSTANT', `Cannot evaluate a schedule at ${String(at)}: expected epoch milliseconds.`);
  }
  const zone = Zone.for(timeZone);
  return schedule.kind === 'weekly'
    ? weeklyState(schedule, at, zone)
    : recurrenceState(schedule, at, zone, wantNext);
}

// ---------------------------------------------------------------------------
// Time zones

class Zone {
  private static readonly cache = new Map<string, Zone>();

  static for(timeZone: string): Zone {
    let zone = Zone.cache.get(timeZone);
    if (!zone) {
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat('en-US', {
          timeZone,
          // h23, not hour12:false, which renders midnight as "24" in some engines.
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
      } catch (error) {
        throw new PortierError(
          'SCHEDULE_TIME_ZONE_INVALID',
          `Unknown time zone "${timeZone}": use an IANA name such as "Europe/Stockholm" or "UTC".`,
          [],
          { cause: error },
        );
      }
      zone = new Zone(format);
      Zone.cache.set(timeZone, zone);
    }
    return zone;
  }

  /**
   * formatToParts costs microseconds, and evaluations keep asking about the
   * same instants (a weekly schedule's edges around "now"), so answers are
   * remembered; the bound keeps a long-running process from growing it forever.
   */
  private readonly offsets = new Map<number, number>();

  private constructor(private readonly format: Intl.DateTimeFormat) {}

  /** Local minus UTC, in ms, at an instant. */
  offsetAt(instant: number): number {
    // Intl only resolves whole seconds; keep the sub-second part out of the offset.
    const whole = instant - mod(instant, SECOND);
    const known = this.offsets.get(whole);
    if (known !== undefined) return known;
    const f = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.format.formatToParts(whole)) {
      if (part.type in f) f[part.type as keyof typeof f] = Number(part.value);
    }
    const offset = floating(f.year, f.month, f.day, f.hour, f.minute, f.second) - whole;
    if (this.offsets.size >= 10_000) this.offsets.clear();
    this.offsets.set(whole, offset);
    return offset;
  }

  wallClock(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The instant a wall-clock time denotes. In a fall-back overlap the first
   * (earlier) occurrence wins; a time skipped by spring-forward maps to the
   * next valid instant, the moment the clocks jump.
   */
  toInstant(local: number): number {
    const before = this.offsetAt(local - DAY);
    const after = this.offsetAt(local + DAY);
    // No transition nearby: the common case, answered without further probes.
    if (before === after) return local - before;

    let earliest: number | undefined;
    let low = Infinity;
    let high = -Infinity;
    for (const offset of [before, this.offsetAt(local), after]) {
      const candidate = local - offset;
      low = Math.min(low, candidate);
      high = Math.max(high, candidate);
      if (this.wallClock(candidate) === local && (earliest === undefined || candidate < earliest)) earliest = candidate;
    }
    if (earliest !== undefined) return earliest;

    // In a gap: find the transition, the first instant whose wall clock is past `local`.
    if (!(this.wallClock(low) < local && this.wallClock(high) > local)) return local - after;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.wallClock(middle) > local) high = middle;
      else low = middle;
    }
    return high;
  }
}

function floating(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, doesn't treat years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

// ---------------------------------------------------------------------------
// Spans

interface Span {
  start: number;
  end: number;
}

/** Sorted, with overlapping or touching spans joined: every remaining edge is a change. */
function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

// ---------------------------------------------------------------------------
// Weekly intervals

/**
 * The intervals as minutes from Monday 00:00, merged, with an activity that
 * runs from Sunday into Monday kept as one span ending past the week's end.
 */
function weeklyCycle(schedule: WeeklySchedule): Span[] {
  const spans: Span[] = [];
  for (const interval of schedule.intervals) {
    const start = minutesOfDay(interval.start, schedule.name);
    const end = minutesOfDay(interval.end, schedule.name);
    for (const day of interval.days) {
      const base = WEEKDAYS.indexOf(day) * MINUTES_PER_DAY;
      spans.push({ start: base + start, end: base + end });
    }
  }
  const merged = mergeSpans(spans);
  const first = merged[0];
  const last = merged[merged.length - 1];
  if (first && last && merged.length > 1 && first.start === 0 && last.end === MINUTES_PER_WEEK) {
    last.end += first.end;
    merged.shift();
  }
  return merged;
}

function minutesOfDay(time: string, scheduleName: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes >= 0 && minutes <= MINUTES_PER_DAY)) {
    throw new PortierError('SCHEDULE_INVALID', `Schedule "${scheduleName}" has an invalid time of day "${time}".`, []);
  }
  return minutes;
}

function weeklyState(schedule: WeeklySchedule, at: number, zone: Zone): ScheduleState {
  const cycle = weeklyCycle(schedule);
  const only = cycle[0];
  if (cycle.length === 1 && only && only.start === 0 && only.end >= MINUTES_PER_WEEK) {
    return { active: true, nextChange: null };
  }

  // Local Monday 00:00 of the week containing `at` (1970-01-01 was a Thursday).
  const localDay = Math.floor(zone.wallClock(at) / DAY);
  const monday = (localDay - mod(localDay + 3, 7)) * DAY;

  // Every activity is shorter than a week and the next one starts within a
  // week, so the previous, current and two following weeks contain both edges
  // around `at`. Each edge is mapped to an instant on its own, which is what
  // makes DST work: a span keeps its wall-clock edges even when that makes it
  // an hour longer or shorter (or empty, inside a spring-forward gap).
  const spans: Span[] = [];
  for (let week = -1; week <= 2; week++) {
    const base = monday + week * WEEK;
    for (const span of cycle) {
      spans.push({
        start: zone.toInstant(base + span.start * MINUTE),
        end: zone.toInstant(base + span.end * MINUTE),
      });
    }
  }
  return stateAmong(mergeSpans(spans), at);
}

function stateAmong(spans: Span[], at: number): ScheduleState {
  for (const span of spans) {
    if (span.start > at) return { active: false, nextChange: span.start };
    if (at < span.end) return { active: true, nextChange: span.end };
  }
  return { active: false, nextChange: null };
}

// ---------------------------------------------------------------------------
// Recurrence rules

const FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];
const NUMERIC_PARTS = ['COUNT', 'INTERVAL', 'BYSETPOS', 'BYMONTH', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYHOUR', 'BYMINUTE', 'BYSECOND'];
const EXAMPLE = 'Write it like FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20271231T000000Z.';

interface CompiledRule {
  problems: ErrorDetail[];
  /** Options in floating time, without `dtstart`; present when the rule text has no problems. */
  options?: Partial<RRuleOptions>;
  until?: { kind: 'utc' | 'local' | 'date'; value: number };
}

function compileRecurrence(schedule: RecurrenceSchedule): CompiledRule & { dtstart?: number } {
  const compiled = compileRecurrenceRule(schedule.rrule, schedule.start);
  const dtstart = parseLocalStart(schedule.start);
  if (dtstart === undefined) {
    compiled.problems.push({ path: '/start', message: `"${schedule.start}" is not a date and time that exists on the calendar.` });
    return compiled;
  }
  return { ...compiled, dtstart };
}

/**
 * rrule's parser is lenient: it drops unknown FREQ values, turns unknown days
 * into holes, keeps non-numeric COUNTs as strings, and otherwise fails later
 * with messages like "Cannot read properties of undefined". So the rule's
 * parts are checked here first, and the library's own complaint is reported
 * when it has one.
 */
function compileRecurrenceRule(text: string, start: string): CompiledRule {
  const problems: ErrorDetail[] = [];
  const problem = (message: string): CompiledRule => {
    problems.push({ path: '/rrule', message });
    return { problems };
  };

  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (/(^|[\s;:])(DTSTART|TZID)\b/i.test(text)) {
    problem(
      "Remove DTSTART (and TZID) from the rule: occurrences begin at the schedule's start, in the device's time zone.",
    );
  }
  const ruleLines = lines.filter((line) => !/^DTSTART\b/i.test(line));
  if (ruleLines.length !== 1) {
    return problem(`Expected exactly one RRULE line, found ${ruleLines.length}. ${EXAMPLE}`);
  }
  const parts = new Map<string, string>();
  for (const part of (ruleLines[0] ?? '').replace(/^RRULE:/i, '').split(';')) {
    const [key = '', value = ''] = part.split('=', 2);
    parts.set(key.trim().toUpperCase(), value.trim());
  }

  if (parts.has('')) {
    return problem(`The rule has an empty part (a stray ";"): remove it. ${EXAMPLE}`);
  }
  // Checked before the library sees them: it fails on unknown days with a TypeError.
  const days = parts.get('BYDAY') ?? parts.get('BYWEEKDAY');
  const badDays = days?.split(',').filter((day) => !/^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/.test(day)) ?? [];
  if (badDays.length > 0) {
    return problem(
      `Unknown day ${badDays.map((d) => `"${d}"`).join(', ')} in BYDAY: use MO, TU, WE, TH, FR, SA or SU, optionally with a position such as 1MO or -1FR.`,
    );
  }

  let options: Partial<RRuleOptions>;
  try {
    options = { ...rruleLibrary().parseString(ruleLines[0] ?? '') };
  } catch (error) {
    return problem(`Cannot read the recurrence rule: ${errorMessage(error)}. ${EXAMPLE}`);
  }

  const frequency = parts.get('FREQ');
  if (frequency === undefined) {
    problem(`Add a frequency (FREQ=DAILY, FREQ=WEEKLY, ...): every recurrence rule needs one. ${EXAMPLE}`);
  } else if (!FREQUENCIES.includes(frequency.toUpperCase())) {
    problem(`Unknown frequency FREQ=${frequency}: use one of ${FREQUENCIES.join(', ')}.`);
  }
  for (const key of NUMERIC_PARTS) {
    const value = parts.get(key);
    if (value !== undefined && !value.split(',').every((n) => /^[+-]?\d+$/.test(n))) {
      problem(`${key}=${value} is not a whole number (or a comma-separated list of them).`);
    }
  }
  for (const key of ['COUNT', 'INTERVAL']) {
    const value = parts.get(key);
    if (value !== undefined && /^[+-]?\d+$/.test(value) && Number(value) < 1) problem(`${key} must be at least 1.`);
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) {
    problem('Use either COUNT or UNTIL to end the rule, not both.');
  }
  if (problems.length > 0) return { problems };

  delete options.dtstart;
  delete options.tzid;

  const dtstart = parseLocalStart(start);
  try {
    // Parses the rule's parts together (BYSETPOS ranges, option names), as evaluation will.
    new (rruleLibrary())({ ...options, dtstart: new Date(dtstart ?? 0) });
  } catch (error) {
    return problem(`The recurrence rule is not valid: ${errorMessage(error)}.`);
  }

  const untilMatch = /^(\d{8})(T\d{6}(Z)?)?$/.exec(parts.get('UNTIL') ?? '');
  const until =
    options.until && untilMatch
      ? { kind: untilMatch[3] ? 'utc' : untilMatch[2] ? 'local' : 'date', value: options.until.getTime() } as const
      : undefined;
  return until ? { problems, options, until } : { problems, options };
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

function parseLocalStart(start: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(start);
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  const value = floating(year, month, day, hour, minute);
  // Date arithmetic silently rolls 2026-02-30 over into March.
  const check = new Date(value);
  return check.getUTCMonth() + 1 === month && check.getUTCDate() === day && hour < 24 ? value : undefined;
}

function buildRule(schedule: RecurrenceSchedule, zone: Zone): RRuleInstance {
  const { problems, options: parsed, until, dtstart } = compileRecurrence(schedule);
  if (!parsed || dtstart === undefined || problems.length > 0) {
    throw new PortierError(
      'SCHEDULE_INVALID',
      `Schedule "${schedule.name}" cannot be evaluated: ${problems.map((p) => p.message).join(' ')}`,
      problems,
    );
  }
  // rrule works on floating dates: we hand it wall-clock times dressed as UTC,
  // so occurrences stay at the same local time across DST changes.
  const options: Partial<RRuleOptions> = { ...parsed, dtstart: new Date(dtstart) };
  if (until) {
    // RFC 5545 wants UNTIL in UTC when DTSTART has a zone: a real instant, so it
    // has to become floating too. A bare date is read as "through that day".
    const value =
      until.kind === 'utc' ? zone.wallClock(until.value) : until.kind === 'date' ? until.value + DAY - 1 : until.value;
    options.until = new Date(value);
  }
  return new (rruleLibrary())(options);
}

function recurrenceState(schedule: RecurrenceSchedule, at: number, zone: Zone, wantNext: boolean): ScheduleState {
  const rule = buildRule(schedule, zone);
  const duration = schedule.durationMinutes * MINUTE;
  const local = zone.wallClock(at);

  // Occurrences starting before this can't reach `at`, nor touch anything that does.
  const from = new Date(local - duration - ZONE_SLACK);
  const to = new Date(local + (wantNext ? RECURRENCE_LOOKAHEAD : ZONE_SLACK));

  // Occurrence starts come in order and all last equally long, so activity is
  // a run of overlapping or touching occurrences; we stop at the first answer.
  const scan: { current?: Span; result?: ScheduleState } = {};
  rule.between(from, to, true, (date) => {
    const start = zone.toInstant(date.getTime());
    const end = start + duration;
    const current = scan.current;
    if (current && start <= current.end) {
      current.end = Math.max(current.end, end);
    } else if (current && current.end > at) {
      scan.result = { active: true, nextChange: current.end };
      return false;
    } else {
      scan.current = { start, end };
    }
    const run = scan.current ?? { start, end };
    if (run.start > at) {
      scan.result = { active: false, nextChange: run.start };
    } else if (run.end > at && (!wantNext || run.end - at > CONTINUOUS_ACTIVITY_HORIZON)) {
      scan.result = { active: true, nextChange: null };
    }
    return scan.result === undefined;
  });
  if (scan.result) return scan.result;
  const current = scan.current;
  if (current && current.start <= at && at < current.end) return { active: true, nextChange: current.end };
  return { active: false, nextChange: null };
}

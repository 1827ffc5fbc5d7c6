import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock, TimerHandle } from '../../sdk/clock.js';
import { PortierError } from '../../sdk/errors.js';
import type { Unsubscribe } from '../../sdk/ports.js';
import { type Schedule, type ScheduleDefinition, scheduleDefinitionSchema } from '../../sdk/schedules.js';
import { ListenerSet } from '../events/listener-set.js';
import { zodDetails } from '../validation/zod-issues.js';
import { isScheduleActive, nextScheduleChange, validateSchedule } from './schedule-evaluator.js';

/**
 * Re-evaluate at least every 10 minutes: timers are relative, so after the
 * wall clock is stepped (NTP at boot on a device without a real-time clock)
 * a schedule is right again within minutes, not when a day-long timer fires.
 * Also keeps every timer under Node's 2^31 − 1 ms limit.
 */
const MAX_TIMER_MS = 10 * 60_000;

/**
 * Schedules: stored, evaluated in the device's time zone, and announced as the
 * stateful event `core/schedule` when they start and end. One timer per
 * schedule, set for its next change.
 */
export class ScheduleService {
  private readonly schedules = new Map<string, Schedule>();
  private readonly active = new Map<string, boolean>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly listeners = new ListenerSet<[string, boolean]>();
  private readonly edits = new ListenerSet<[string]>();
  private readonly insert: Database.Statement<[string, string, number, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly selectAll: Database.Statement<[], { id: string; definition: string }>;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly timeZone: () => string,
  ) {
    this.insert = db.prepare(
      `INSERT INTO schedules (id, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM schedules WHERE id = ?');
    this.selectAll = db.prepare('SELECT id, definition FROM schedules ORDER BY created_at, rowid');
  }

  load(): void {
    for (const row of this.selectAll.all()) {
      const parsed = scheduleDefinitionSchema.safeParse(JSON.parse(row.definition));
      if (!parsed.success) continue;
      this.schedules.set(row.id, { id: row.id, ...parsed.data });
      this.track(row.id);
    }
  }

  list(): Schedule[] {
    return [...this.schedules.values()];
  }

  get(id: string): Schedule | undefined {
    return this.schedules.get(id);
  }

  isActive(id: string): boolean {
    return this.active.get(id) ?? false;
  }

  onChange(listener: (id: string, active: boolean) => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  /** Called after a schedule is created, changed or deleted (rules that use it are checked again). */
  onEdit(listener: (id: string) => void): Unsubscribe {
    return this.edits.add(listener);
  }

  create(input: unknown, id: string = randomUUID()): Schedule {
    if (this.schedules.has(id)) throw new PortierError('SCHEDULE_EXISTS', `A schedule with id "${id}" already exists.`);
    return this.save(id, input);
  }

  update(id: string, input: unknown): Schedule {
    if (!this.schedules.has(id)) throw new PortierError('SCHEDULE_NOT_FOUND', `There is no schedule with id "${id}".`);
    return this.save(id, input);
  }

  delete(id: string): void {
    if (!this.schedules.has(id)) throw new PortierError('SCHEDULE_NOT_FOUND', `There is no schedule with id "${id}".`);
    this.remove.run(id);
    this.schedules.delete(id);
    this.untrack(id);
    if (this.active.delete(id)) this.listeners.emit(id, false);
    this.edits.emit(id);
  }

  stop(): void {
    for (const id of [...this.timers.keys()]) this.untrack(id);
  }

  /**
   * Reads every schedule from the store again, after something replaced them
   * there in one transaction (site import). Announces the schedules that
   * ended or started, as edits do.
   */
  reload(): void {
    this.stop();
    const before = [...this.schedules.keys()];
    this.schedules.clear();
    this.load();
    for (const id of before) {
      if (!this.schedules.has(id) && this.active.delete(id)) this.listeners.emit(id, false);
    }
    for (const id of new Set([...before, ...this.schedules.keys()])) this.edits.emit(id);
  }

  private save(id: string, input: unknown): Schedule {
    const definition = parseSchedule(input);
    this.insert.run(id, JSON.stringify(definition), this.clock.now(), this.clock.now());
    const schedule = { id, ...definition };
    this.schedules.set(id, schedule);
    this.untrack(id);
    this.track(id);
    this.edits.emit(id);
    return schedule;
  }

  private track(id: string): void {
    const schedule = this.schedules.get(id);
    if (schedule === undefined) return;
    const now = this.clock.now();
    const active = isScheduleActive(schedule, now, this.timeZone());
    if (this.active.get(id) !== active) {
      this.active.set(id, active);
      this.listeners.emit(id, active);
    }
    const next = nextScheduleChange(schedule, now, this.timeZone());
    if (next === null) return;
    // A change months away is reached in steps: Node fires a longer timer at
    // once (TimeoutOverflowWarning), which would re-arm every millisecond.
    this.timers.set(
      id,
      this.clock.setTimeout(() => {
        this.timers.delete(id);
        this.track(id);
      }, Math.min(next - now, MAX_TIMER_MS)),
    );
  }

  private untrack(id: string): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.timers.delete(id);
  }
}

export function parseSchedule(input: unknown): ScheduleDefinition {
  const parsed = scheduleDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const details = zodDetails(parsed.error.issues);
    throw new PortierError('SCHEDULE_INVALID', `The schedule is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  const details = validateSchedule(parsed.data);
  if (details.length > 0) {
    throw new PortierError('SCHEDULE_INVALID', `The schedule is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  return parsed.data;
}

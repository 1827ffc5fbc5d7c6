import { type Logger, type StatelessEvent, z } from 'portier/sdk';
import type { ChimePlayer, RingPlan } from './chime-player.js';
import { type PatternName, PATTERNS, customStrikes, playLength, strikesOf } from './chime-patterns.js';
import type { ChimeSettings } from './chime-settings.js';

const pulse = z
  .object({
    closedMs: z.number().int().min(50).max(5_000).describe('Contact closed (the strike), in milliseconds'),
    openMs: z.number().int().min(50).max(10_000).optional().describe('Contact open before the next strike, in milliseconds; default: the gap setting'),
  })
  .strict();

/**
 * Parameters of `door-chime/ring-chime` (and the body of `POST /ring`). The
 * limits that depend on the settings (the longest ring) are checked against
 * the settings in force, so a rule asking for more is refused with the field.
 */
export function ringParamsSchema(settings: () => ChimeSettings) {
  return z
    .object({
      pattern: z
        .enum(PATTERNS)
        .optional()
        .describe('single, double, triple, westminster, or custom (with pulses); default: the defaultPattern setting'),
      pulses: z.array(pulse).min(1).max(16).optional().describe('The strikes of a custom pattern'),
      duration: z
        .number()
        .positive()
        .max(600)
        .optional()
        .describe('Seconds to keep ringing, repeating the pattern after a pause; without it the pattern plays once'),
    })
    .strict()
    .superRefine((p, ctx) => {
      const { maxDurationSeconds, ...timing } = settings();
      if (p.pattern === 'custom' && p.pulses === undefined) {
        ctx.addIssue({ code: 'custom', path: ['pulses'], message: 'a custom pattern needs its pulses, e.g. [{ "closedMs": 300 }, { "closedMs": 900 }]' });
      }
      if (p.pattern !== 'custom' && p.pulses !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['pulses'], message: 'pulses go with the pattern "custom"; leave them out or set "pattern": "custom"' });
      }
      if (p.duration !== undefined && p.duration > maxDurationSeconds) {
        ctx.addIssue({ code: 'custom', path: ['duration'], message: `expected at most ${maxDurationSeconds} s (the door-chime setting maxDurationSeconds)` });
      }
      if (p.pattern === 'custom' && p.pulses !== undefined && p.duration === undefined) {
        const seconds = playLength(customStrikes(p.pulses, timing)) / 1000;
        if (seconds > maxDurationSeconds) {
          ctx.addIssue({ code: 'custom', path: ['pulses'], message: `these pulses last ${seconds} s, longer than the ${maxDurationSeconds} s a ring may last` });
        }
      }
    });
}

export type RingParams = z.output<ReturnType<typeof ringParamsSchema>>;

/** `door-chime/chime-rang`: what rang, for how long, and why. */
export const chimeRangPayload = z.object({
  pattern: z.enum(PATTERNS),
  relay: z.string(),
  strikes: z.number().int().describe('Times the contact closed'),
  durationMs: z.number().describe('From the first strike until the contact opened for good'),
  end: z.enum(['completed', 'restarted', 'cancelled']).describe('Played out, cut short by a newer ring, or cancelled (its rule ended, the plugin stopped)'),
  source: z.enum(['rule', 'api']),
  reason: z.string().describe('Who asked: the rule (and its trigger) or the API user'),
  rule: z.string().optional().describe('The name of the rule that rang it'),
});
export type ChimeRang = z.output<typeof chimeRangPayload>;

/** Why a ring was asked for: a rule, or a person through the API. */
export type RingCause = { source: 'rule'; rule: string; trigger?: string } | { source: 'api'; user: string };

export interface RingDeps {
  player: ChimePlayer;
  settings: () => ChimeSettings;
  relay: () => string | undefined;
  rang: StatelessEvent<ChimeRang>;
  logger: Logger;
  /** True once the plugin is stopping: a ring it cancels is not announced. */
  stopping: () => boolean;
}

/**
 * The ring-chime action: turns parameters into strikes with the settings in
 * force, plays them, and announces `chime-rang` when the chime falls silent.
 */
export class Ringer {
  constructor(private readonly deps: RingDeps) {}

  /** The pattern and plan a ring with these parameters plays. */
  plan(params: RingParams): { pattern: PatternName; plan: RingPlan } {
    const settings = this.deps.settings();
    const pattern = params.pattern ?? settings.defaultPattern;
    const strikes = pattern === 'custom' ? customStrikes(params.pulses ?? [], settings) : strikesOf(pattern, settings);
    const plan: RingPlan = { strikes, pauseMs: settings.pauseMs, limitMs: settings.maxDurationSeconds * 1000, restartGapMs: settings.gapMs };
    if (params.duration !== undefined) plan.repeatForMs = Math.round(params.duration * 1000);
    return { pattern, plan };
  }

  /** Rings; resolves with the announcement when the chime falls silent (it is not emitted while the plugin stops). */
  async ring(params: RingParams, cause: RingCause, signal?: AbortSignal): Promise<ChimeRang> {
    const { pattern, plan } = this.plan(params);
    const relay = this.deps.relay() ?? '';
    const outcome = await this.deps.player.ring(plan, signal);
    const rang: ChimeRang = { pattern, relay, strikes: outcome.strikes, durationMs: outcome.durationMs, end: outcome.end, ...describeCause(cause) };
    if (outcome.strikes > 0 && !this.deps.stopping()) {
      this.deps.rang.emit(rang);
      this.deps.logger.info('door chime rang', { ...rang });
    }
    return rang;
  }
}

function describeCause(cause: RingCause): Pick<ChimeRang, 'source' | 'reason' | 'rule'> {
  if (cause.source === 'api') return { source: 'api', reason: `rung by ${cause.user} through the API` };
  const on = cause.trigger === undefined ? '' : ` on ${cause.trigger}`;
  return { source: 'rule', reason: `rule "${cause.rule}"${on}`, rule: cause.rule };
}

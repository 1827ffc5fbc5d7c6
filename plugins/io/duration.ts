import { z } from 'portier/sdk';

/**
 * A duration as the web interface shows it (`00:00:07`, as in the manual's
 * "Toggle I/O once" example) or as seconds (`7`, `0.5`). Output: milliseconds.
 */
export const durationSchema = z
  .union([
    z.number().positive().max(86_400).describe('Seconds'),
    z
      .string()
      .regex(/^(\d{1,2}):([0-5]\d):([0-5]\d)(\.\d{1,3})?$/, 'expected HH:MM:SS, e.g. 00:00:07')
      .describe('HH:MM:SS'),
  ], {
    error: (issue) => (issue.input === undefined ? 'a duration is required: seconds (7) or HH:MM:SS (00:00:07)' : 'expected seconds (7) or HH:MM:SS (00:00:07)'),
  })
  .transform((value) => {
    if (typeof value === 'number') return Math.round(value * 1000);
    const [h, m, s] = value.split(':').map(Number) as [number, number, number];
    return Math.round(((h * 60 + m) * 60 + s) * 1000);
  })
  .refine((ms) => ms > 0 && ms <= 86_400_000, 'expected a duration from 1 ms to 24 hours');

import { z } from 'zod';
import { type ErrorDetail, PortierError, isPortierError } from '../../../sdk/errors.js';
import { errorBodySchema } from '../api-error.js';

/** What an authenticated route can always answer besides its own errors. */
const ALWAYS = [400, 401, 403] as const;

/**
 * The error responses of a route, for its OpenAPI `response`: 400, 401 and
 * 403 (any route can get a bad request or a caller without the role) plus the
 * statuses the route itself can produce.
 */
export function errorResponses(...statuses: number[]): Record<number, typeof errorBodySchema> {
  const out: Record<number, typeof errorBodySchema> = {};
  for (const status of [...ALWAYS, ...statuses]) out[status] = errorBodySchema;
  return out;
}

/**
 * A PortierError with an explicit status, for a code whose suffix alone
 * would map it wrongly (api-error.ts maps by suffix).
 */
export function apiError(status: number, code: string, message: string, details: readonly ErrorDetail[] = []): PortierError {
  return Object.assign(new PortierError(code, message, details), { status });
}

/**
 * The kernel reports field paths relative to the document it validated
 * (`/trigger/event`); the API's 400s point into the request (`/body/...`).
 * Rewriting them lets a client mark fields the same way for 400 and 422.
 */
export function inBody<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!isPortierError(error) || error.details.length === 0) throw error;
    const details = error.details.map((d) => ({ path: d.path === '/' ? '/body' : `/body${d.path}`, message: d.message }));
    const status = (error as PortierError & { status?: number }).status;
    const moved = new PortierError(error.code, error.message, details, { cause: error });
    throw status === undefined ? moved : Object.assign(moved, { status });
  }
}

/** `:id` path parameter. */
export const idParams = z.object({ id: z.string().min(1).max(200) }).strict();

/** `:name` path parameter of a plugin. */
export const pluginNameParams = z.object({ name: z.string().min(1).max(100) }).strict();

/** `:port` path parameter: a board port id such as `io-1`. */
export const portParams = z.object({ port: z.string().min(1).max(100) }).strict();

/** An empty success body (204). */
export const noContent = z.null().describe('No content');

import type { ZodType } from 'zod';
import { PortierError } from './errors.js';

/**
 * HTTP routes a plugin serves under `/api/v1/plugins/<name>/`. The manifest
 * declares each one first (`contributes.routes`: method, path, role); the code
 * then attaches a handler to it. The platform authenticates the caller,
 * enforces the declared role, validates params, query and body with the
 * route's zod schemas (400 with the fields that are wrong), and answers 503
 * while the plugin is not running.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type HttpRole = 'admin' | 'operator' | 'viewer';

/** A request as a plugin's handler sees it: already authenticated, authorised and validated. */
export interface HttpRequest<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: HttpMethod;
  /** The path below the plugin's prefix, as the manifest declares it (`/manual-triggers/{trigger}`). */
  route: string;
  /** Path parameters (`{trigger}` → `params.trigger`), parsed by the `params` schema when there is one. */
  params: P;
  query: Q;
  /** The JSON body, parsed by the `body` schema when there is one; undefined without a body. */
  body: B;
  /** Who is calling. */
  user: { username: string; role: HttpRole };
  /** Aborted when the client goes away or the plugin stops. */
  signal: AbortSignal;
}

/** zod schemas for the parts of a request, and for the answer (checked before it leaves). */
export interface RouteSchemas<P, Q, B, R> {
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  response?: ZodType<R>;
}

const RESPONSE = Symbol.for('portier.http.response');

/** An answer with a status other than 200 (see `respond`). */
export interface HttpResponse<R = unknown> {
  readonly [RESPONSE]: true;
  status: number;
  body: R | undefined;
  /** A text answer's type (`text/csv`); JSON when absent. */
  contentType?: TextContentType;
}

/** The text types a plugin may answer with, besides JSON; a text body is a string and goes out as it is. */
export const TEXT_CONTENT_TYPES = ['text/csv', 'text/plain'] as const;
export type TextContentType = (typeof TEXT_CONTENT_TYPES)[number];

/**
 * What a handler returns: the body (sent as JSON with 200; `undefined` sends
 * 204), or `respond(status, body)`. Throw a PortierError (or `HttpError`) to
 * answer with an error body; anything else thrown is a fault of the plugin:
 * the caller gets 500 and the plugin is marked failed.
 */
export type RouteHandler<P, Q, B, R> = (request: HttpRequest<P, Q, B>) => R | HttpResponse<R> | undefined | Promise<R | HttpResponse<R> | undefined>;

export interface HttpApi {
  /**
   * Serves a route declared in this plugin's manifest (`contributes.routes`):
   * the same method and the same path, written the same way
   * (`/manual-triggers/{trigger}`). Registering an undeclared route throws
   * CONTRIBUTION_UNDECLARED. The route is served until the plugin stops.
   */
  route<P = Record<string, string>, Q = Record<string, unknown>, B = unknown, R = unknown>(
    method: HttpMethod,
    path: string,
    schemas: RouteSchemas<P, Q, B, R>,
    handler: RouteHandler<P, Q, B, R>,
  ): void;
}

/** An answer with its own status: `return respond(201, created)`. */
export function respond<R>(status: number, body?: R): HttpResponse<R> {
  if (!Number.isInteger(status) || status < 200 || status > 299) {
    throw new PortierError('HTTP_STATUS_INVALID', `respond() takes a success status (200 to 299), not ${status}; throw an HttpError for an error.`);
  }
  return { [RESPONSE]: true, status, body };
}

/**
 * A text answer, sent as it is with its type (a CSV file a spreadsheet
 * opens): `return respondText('text/csv', csv)`. A route takes text bodies
 * the same way: the client sends `Content-Type: text/csv`, and the route's
 * body schema is a string (`z.string()`).
 */
export function respondText(contentType: TextContentType, text: string, status = 200): HttpResponse<string> {
  if (!(TEXT_CONTENT_TYPES as readonly string[]).includes(contentType)) {
    throw new PortierError('HTTP_CONTENT_TYPE_INVALID', `respondText() answers ${TEXT_CONTENT_TYPES.join(' or ')}, not ${String(contentType)}.`);
  }
  return { ...respond(status, text), contentType };
}

export function isHttpResponse(value: unknown): value is HttpResponse {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RESPONSE] === true;
}

/**
 * An error answer with an explicit status (4xx): `throw new HttpError(404,
 * 'TRIGGER_NOT_FOUND', 'There is no manual trigger 40.')`. A plain
 * PortierError gets its status from its code (…_NOT_FOUND 404, …_INVALID 422,
 * otherwise 400).
 */
export class HttpError extends PortierError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: { path: string; message: string }[] = [],
  ) {
    super(code, message, details);
    this.name = 'HttpError';
  }
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ErrorDetail, PortierError, isPortierError } from '../../sdk/errors.js';

/** The one error body every route answers with. */
export const errorBodySchema = z
  .object({
    code: z.string().describe('Stable error code, e.g. RULE_INVALID'),
    message: z.string().describe('What is wrong and what to do, in words'),
    details: z.array(z.object({ path: z.string(), message: z.string() })).describe('Field-level problems (JSON pointers into the request)'),
  })
  .describe('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** HTTP status by the error code's last word, so new codes map without a table edit. */
const STATUS_BY_SUFFIX: [RegExp, number][] = [
  [/_NOT_FOUND$|^PLUGIN_NOT_FOUND$/, 404],
  [/_INVALID$|_MISMATCH$|_UNDECLARED$/, 422],
  [/_EXISTS$|_TAKEN$|_CLAIMED$|_RUNNING$|_DISABLED$|^ALREADY_SET_UP$|_CONFLICT$|^LAST_ADMIN$/, 409],
  [/^AUTH_REQUIRED$/, 401],
  [/^FORBIDDEN$|^CSRF_|^NOT_SET_UP$|^PERMISSION_/, 403],
  [/^TOO_MANY_ATTEMPTS$/, 429],
  [/_TOO_LARGE$/, 413],
];

export function statusFor(code: string): number {
  for (const [pattern, status] of STATUS_BY_SUFFIX) if (pattern.test(code)) return status;
  return 400;
}

export function errorBody(code: string, message: string, details: readonly ErrorDetail[] = []): ErrorBody {
  return { code, message, details: [...details] };
}

/** Throw from a handler: the error handler turns it into the error body. */
export function httpError(code: string, message: string, details: ErrorDetail[] = []): PortierError {
  return new PortierError(code, message, details);
}

/**
 * Every error leaves as `{ code, message, details }`: no stack traces, no
 * framework wording a user cannot act on.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      path: `/${error.validationContext ?? 'body'}${v.instancePath}`,
      message: v.message ?? 'is not valid',
    }));
    void reply
      .code(400)
      .send(errorBody('REQUEST_INVALID', `The request is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details));
    return;
  }
  if (isPortierError(error)) {
    const status = (error as PortierError & { status?: number }).status ?? statusFor(error.code);
    if (status === 429 && (error as PortierError & { retryAfterSeconds?: number }).retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String((error as PortierError & { retryAfterSeconds: number }).retryAfterSeconds));
    }
    void reply.code(status).send(errorBody(error.code, error.message, error.details));
    return;
  }
  const fastifyError = error as FastifyError;
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response does not match its schema');
    void reply.code(500).send(errorBody('INTERNAL', 'The server produced an invalid response; this is a bug in Portier. The log has the details.'));
    return;
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.code(413).send(errorBody('BODY_TOO_LARGE', 'The request body is larger than this route accepts.'));
    return;
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    void reply.code(415).send(errorBody('MEDIA_TYPE_UNSUPPORTED', `This route does not accept ${String(request.headers['content-type'])}; send application/json.`));
    return;
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    void reply.code(fastifyError.statusCode).send(errorBody(fastifyError.code ?? 'REQUEST_INVALID', fastifyError.message));
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.code(500).send(errorBody('INTERNAL', 'Something went wrong inside Portier; the log has the details.'));
}

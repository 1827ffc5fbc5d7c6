import { createRequire } from 'node:module';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Stringify = (data: unknown) => string;
type FastJsonStringify = (schema: object, options?: object) => Stringify;

export interface ResponseSerializerOptions {
  /**
   * Check every reply against its zod schema before writing it, so a handler
   * whose answer drifts from the documented schema fails with a 500 naming
   * the route. On in tests and development; `portier start` leaves it off,
   * where the handlers' types already bind them to the schema.
   */
  checkResponses: boolean;
}

/** Loaded on the first reply, not at start: a device that is only starting never pays for it. */
let fastJsonStringify: FastJsonStringify | undefined;

/**
 * Writes each route's reply with fast-json-stringify compiled from the same
 * zod schema that documents it (its output side, as JSON Schema): only the
 * fields the schema declares leave the server, whatever else the object
 * holds, at several times the speed of checking with zod and then calling
 * JSON.stringify. A route's first replies are checked by zod, which also
 * drops undeclared fields, while its serializer compiles just after the first.
 */
export function responseSerializerCompiler(options: ResponseSerializerOptions) {
  return ({ schema, method, url }: { schema: unknown; method: string; url: string }): Stringify => {
    const zodSchema = zodSchemaOf(schema);
    let stringify: Stringify | undefined;
    let compiling = false;
    return (data) => {
      if (stringify !== undefined && !options.checkResponses) return stringify(data);
      const result = z.safeEncode(zodSchema, data);
      if (!result.success) throw new ResponseSerializationError(method, url, { cause: result.error });
      if (stringify !== undefined) return stringify(data);
      // Compiled after this reply, not before it: the first answer of a route (health, on a
      // device that has just started) does not wait for the compiler to load.
      if (!compiling) {
        compiling = true;
        setImmediate(() => (stringify = compileStringify(zodSchema)));
      }
      return JSON.stringify(result.data);
    };
  };
}

/**
 * fast-json-stringify for a zod schema. A schema it cannot compile (none of
 * Portier's today; the route-schema test compiles them all) is still written
 * safely: checked by zod, which drops undeclared fields, then stringified.
 */
export function compileStringify(schema: z.ZodType, { fallback = true } = {}): Stringify {
  try {
    fastJsonStringify ??= createRequire(import.meta.url)('fast-json-stringify') as FastJsonStringify;
    return fastJsonStringify(z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }));
  } catch (error) {
    if (!fallback) throw error;
    return (data) => JSON.stringify(z.encode(schema, data));
  }
}

function zodSchemaOf(schema: unknown): z.ZodType {
  if (schema instanceof z.ZodType) return schema;
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  if (properties instanceof z.ZodType) return properties;
  throw new Error(`A response schema must be a zod schema, found ${JSON.stringify(schema)}.`);
}

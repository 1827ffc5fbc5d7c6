import { z } from 'zod';
import type { RouteSchemas } from '../../../sdk/http.js';
import type { Kernel } from '../../kernel.js';
import { errorBodySchema } from '../api-error.js';
import type { RouteDeclaration } from './plugin-route-registry.js';

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI paths of the routes plugins declare, worked out on each request
 * for the document: plugins and apps come and go while the server runs, and
 * a route a plugin serves now is documented with the zod schemas it gave,
 * while one whose plugin is stopped is documented from its manifest alone.
 */
export function pluginRoutePaths(kernel: Kernel): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const plugin of kernel.host.list()) {
    const manifest = kernel.host.record(plugin.name)?.manifest;
    for (const route of manifest?.contributes.routes ?? []) {
      const path = `/api/v1/plugins/${plugin.name}${route.path}`;
      const served = kernel.pluginRoutes.get(plugin.name, route.method, route.path);
      (paths[path] ??= {})[route.method.toLowerCase()] = operation(plugin.name, plugin.state, route, served?.schemas);
    }
  }
  return paths;
}

function operation(plugin: string, state: string, route: RouteDeclaration, schemas: RouteSchemas<unknown, unknown, unknown, unknown> | undefined): Record<string, unknown> {
  const served = schemas !== undefined;
  const op: Record<string, unknown> = {
    tags: [`plugin ${plugin}`],
    summary: route.summary ?? `${route.method} ${route.path}`,
    description: `Served by the ${plugin} plugin (now ${state}); needs the ${route.role} role.${served ? '' : ' Its request and reply are described once the plugin has started.'}`,
    'x-portier-role': route.role,
    parameters: [...parameters(route.path, 'path', schemas?.params), ...parameters(undefined, 'query', schemas?.query)],
    responses: {
      '200': schemas?.response === undefined ? { description: 'OK' } : { description: 'OK', content: { 'application/json': { schema: jsonSchema(schemas.response, 'output') } } },
      ...Object.fromEntries(
        [
          ['400', 'The request does not match the route'],
          ['401', 'Not signed in'],
          ['403', `Needs the ${route.role} role`],
          ['503', `The ${plugin} plugin is not running`],
        ].map(([status, description]) => [status, { description, content: { 'application/json': { schema: errorBodyJson() } } }]),
      ),
    },
  };
  if (schemas?.body !== undefined) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(schemas.body, 'input') } } };
  return op;
}

/** Path parameters from the declared path (`{id}`), typed from the plugin's schema when it gave one; query parameters from its schema. */
function parameters(path: string | undefined, where: 'path' | 'query', schema: z.ZodType | undefined): Record<string, unknown>[] {
  const object = schema === undefined ? undefined : jsonSchema(schema, 'input');
  const properties = (object?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object?.required ?? []) as string[]);
  const names = where === 'path' ? [...(path ?? '').matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) : Object.keys(properties);
  return names.map((name) => ({ name, in: where, required: where === 'path' || required.has(name), schema: properties[name] ?? { type: 'string' } }));
}

/** The error body's JSON Schema, the same for every route: worked out once. */
let errorBody: JsonSchema | undefined;
function errorBodyJson(): JsonSchema {
  errorBody ??= jsonSchema(errorBodySchema, 'output');
  return errorBody;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

import type { ZodType } from 'zod';
import { type ErrorDetail, PortierError, describeError, isPortierError } from '../../../sdk/errors.js';
import { type HttpMethod, type HttpRequest, type HttpRole, type TextContentType, isHttpResponse } from '../../../sdk/http.js';
import type { Logger } from '../../../sdk/logger.js';
import type { Manifest } from '../../../manifest-schema/schema.js';
import { zodDetails } from '../../validation/zod-issues.js';
import type { PluginRouteRegistry, RouteDeclaration } from './plugin-route-registry.js';
import { type RoutePath, compileRoutePath } from './route-path.js';

/** What the dispatcher needs of the plugin host: the installed plugins' manifests, and who runs. */
export interface PluginDirectory {
  record(name: string): { manifest: Manifest } | undefined;
  whyNotRunning(name: string): string | undefined;
}

/** A request path resolved to a route a plugin's manifest declares. */
export interface PluginRouteMatch {
  plugin: string;
  declaration: RouteDeclaration;
  /** Path parameters, decoded, before the plugin's schema parses them. */
  params: Record<string, string>;
}

export interface PluginCall {
  match: PluginRouteMatch;
  query: unknown;
  body: unknown;
  user: { username: string; role: HttpRole };
  /** Calls back when the client goes away before the answer. */
  onClientGone(callback: () => void): void;
}

export interface PluginAnswer {
  status: number;
  /** Undefined for no body (204). */
  body: unknown;
  /** A text answer's type; the body is then a string, sent as it is. */
  contentType?: TextContentType;
}

/** Compiled paths, per manifest object: an upgraded plugin brings a new manifest, and new paths. */
const compiled = new WeakMap<Manifest, { declaration: RouteDeclaration; path: RoutePath }[]>();

function routesOf(manifest: Manifest): { declaration: RouteDeclaration; path: RoutePath }[] {
  let routes = compiled.get(manifest);
  if (routes === undefined) {
    routes = manifest.contributes.routes
      .map((declaration) => ({ declaration, path: compileRoutePath(declaration.path) }))
      // The most specific first: fewer parameters, then more fixed characters.
      .sort((a, b) => a.path.params.length - b.path.params.length || b.path.staticLength - a.path.staticLength);
    compiled.set(manifest, routes);
  }
  return routes;
}

/** The declared route a request goes to, from the installed plugins' manifests (running or not). */
export function matchPluginRoute(plugins: PluginDirectory, plugin: string, method: string, path: string): PluginRouteMatch | undefined {
  const record = plugins.record(plugin);
  if (record === undefined) return undefined;
  for (const { declaration, path: compiledPath } of routesOf(record.manifest)) {
    if (declaration.method !== method) continue;
    const params = compiledPath.match(path);
    if (params !== undefined) return { plugin, declaration, params };
  }
  return undefined;
}

export function routeNotFound(plugins: PluginDirectory, plugin: string, method: string, path: string): PortierError {
  const record = plugins.record(plugin);
  if (record === undefined) {
    return new PortierError('ROUTE_NOT_FOUND', `There is no ${method} /api/v1/plugins/${plugin}${path}: no plugin named "${plugin}" is installed.`);
  }
  const declared = record.manifest.contributes.routes.map((r) => `${r.method} ${r.path}`);
  return new PortierError(
    'ROUTE_NOT_FOUND',
    `Plugin "${plugin}" has no route ${method} ${path} (its routes: ${declared.length === 0 ? 'none' : declared.join(', ')}).`,
  );
}

/**
 * Calls the running plugin's handler for a declared route: 503 while the
 * plugin is not running, 400 for params, query or body its schemas refuse,
 * then the handler inside the plugin's error boundary. A PortierError from
 * the handler is its answer; anything else it throws is a fault: 500, and
 * the plugin is marked failed as for any fault.
 */
export async function callPluginRoute(plugins: PluginDirectory, registry: PluginRouteRegistry, logger: Logger, call: PluginCall): Promise<PluginAnswer> {
  const { plugin, declaration } = call.match;
  const method = declaration.method as HttpMethod;
  const where = `route ${method} ${declaration.path}`;
  const why = plugins.whyNotRunning(plugin);
  if (why !== undefined) throw notRunning(plugin, why);
  const served = registry.get(plugin, method, declaration.path);
  const endOfRun = registry.endOfRun(plugin);
  if (served === undefined || endOfRun === undefined) {
    throw status(501, new PortierError('PLUGIN_ROUTE_NOT_SERVED', `Plugin "${plugin}" declares ${method} ${declaration.path} but serves no handler for it; this is a bug in the plugin.`));
  }
  if (served.scope.closed) throw notRunning(plugin, 'is stopping');

  const details: ErrorDetail[] = [];
  const params = parsePart(served.schemas.params, call.match.params, '/params', details);
  const query = parsePart(served.schemas.query, call.query, '/query', details);
  const body = parsePart(served.schemas.body, call.body, '/body', details);
  if (details.length > 0) {
    throw status(400, new PortierError('REQUEST_INVALID', `The request is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details));
  }

  let signal: { signal: AbortSignal; release(): void } | undefined;
  const request: HttpRequest<unknown, unknown, unknown> = {
    method,
    route: declaration.path,
    params,
    query,
    body,
    user: call.user,
    // Made when a handler asks for it: most never do, and a signal per request is not free.
    get signal() {
      signal ??= requestSignal(endOfRun, call.onClientGone);
      return signal.signal;
    },
  };
  let result: unknown;
  try {
    result = await untilAborted(Promise.resolve().then(() => served.handler(request)), endOfRun);
  } catch (error) {
    signal?.release();
    if (error === STOPPED) throw notRunning(plugin, plugins.whyNotRunning(plugin) ?? 'stopped');
    if (isPortierError(error)) throw error;
    served.scope.fault(error, where);
    throw status(500, new PortierError('PLUGIN_FAULT', `Plugin "${plugin}" failed in ${where}: ${describeError(error)}. The plugin is marked failed.`));
  }

  signal?.release();
  let answer: PluginAnswer = isHttpResponse(result)
    ? { status: result.status, body: result.body, ...(result.contentType === undefined ? {} : { contentType: result.contentType }) }
    : { status: result === undefined ? 204 : 200, body: result };
  if (answer.body === undefined && answer.status === 200) answer = { status: 204, body: undefined };
  const responseSchema = served.schemas.response;
  if (responseSchema !== undefined && answer.body !== undefined) {
    const checked = responseSchema.safeParse(answer.body);
    if (!checked.success) {
      const problems = zodDetails(checked.error.issues).map((d) => `${d.path}: ${d.message}`).join('; ');
      logger.error('plugin route answered with a body its response schema refuses', { plugin, route: where, problems });
      throw status(500, new PortierError('PLUGIN_RESPONSE_INVALID', `Plugin "${plugin}" answered ${where} with a body that does not match its own response schema (${problems}); this is a bug in the plugin.`));
    }
    answer = { ...answer, body: checked.data };
  }
  if (answer.contentType !== undefined && typeof answer.body !== 'string') {
    throw status(500, new PortierError('PLUGIN_RESPONSE_INVALID', `Plugin "${plugin}" answered ${where} as ${answer.contentType} with a body that is not text; this is a bug in the plugin.`));
  }
  return answer;
}

function parsePart(schema: ZodType | undefined, value: unknown, prefix: string, details: ErrorDetail[]): unknown {
  if (schema === undefined) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  details.push(...zodDetails(result.error.issues, prefix));
  return undefined;
}

/** Aborted when the plugin's run ends or the client goes away; `release` once the handler is done with it. */
function requestSignal(endOfRun: AbortSignal, onClientGone: (callback: () => void) => void): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (endOfRun.aborted) controller.abort();
  else endOfRun.addEventListener('abort', abort, { once: true });
  onClientGone(abort);
  return { signal: controller.signal, release: () => endOfRun.removeEventListener('abort', abort) };
}

const STOPPED = Symbol('plugin stopped');

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(STOPPED);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(STOPPED);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function notRunning(plugin: string, why: string): PortierError {
  return status(503, new PortierError('PLUGIN_NOT_RUNNING', `Plugin "${plugin}" ${why}; its routes answer while it runs.`));
}

function status(code: number, error: PortierError): PortierError {
  return Object.assign(error, { status: code });
}

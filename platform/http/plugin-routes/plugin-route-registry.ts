import type { HttpMethod, RouteHandler, RouteSchemas } from '../../../sdk/http.js';
import type { Manifest } from '../../../manifest-schema/schema.js';
import type { PluginScope } from '../../plugins/scoped/plugin-scope.js';

export type RouteDeclaration = Manifest['contributes']['routes'][number];

/** A declared route that a running plugin serves. */
export interface ServedRoute {
  declaration: RouteDeclaration;
  schemas: RouteSchemas<unknown, unknown, unknown, unknown>;
  handler: RouteHandler<unknown, unknown, unknown, unknown>;
  /** The run of the plugin that registered it: its error boundary. */
  scope: PluginScope;
}

interface PluginRun {
  routes: Map<string, ServedRoute>;
  /** Aborted when the run ends, so requests still waiting on it are answered. */
  ended: AbortController;
}

/**
 * The handlers running plugins attached to their declared routes. Fastify
 * cannot remove a route once it listens, so the HTTP server mounts one
 * catch-all and looks handlers up here: a plugin that stops takes its
 * handlers with it, and one installed later brings its own.
 */
export class PluginRouteRegistry {
  private readonly runs = new Map<string, PluginRun>();

  add(plugin: string, route: ServedRoute): void {
    let run = this.runs.get(plugin);
    if (run === undefined || run.ended.signal.aborted) this.runs.set(plugin, (run = { routes: new Map(), ended: new AbortController() }));
    run.routes.set(key(route.declaration.method, route.declaration.path), route);
  }

  has(plugin: string, method: HttpMethod, path: string): boolean {
    return this.runs.get(plugin)?.routes.has(key(method, path)) ?? false;
  }

  get(plugin: string, method: HttpMethod, path: string): ServedRoute | undefined {
    return this.runs.get(plugin)?.routes.get(key(method, path));
  }

  /** Aborted when the plugin's current run ends (undefined while it serves nothing). */
  endOfRun(plugin: string): AbortSignal | undefined {
    return this.runs.get(plugin)?.ended.signal;
  }

  /** The plugin stopped: its routes answer 503 from now on. */
  removePlugin(plugin: string): void {
    const run = this.runs.get(plugin);
    if (run === undefined) return;
    this.runs.delete(plugin);
    run.ended.abort();
  }
}

function key(method: string, path: string): string {
  return `${method} ${path}`;
}

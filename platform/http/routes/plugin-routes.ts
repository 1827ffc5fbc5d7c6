import type { FastifyRequest } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { sdkLogger } from '../../logging/logger.js';
import type { App, RouteModule } from '../http-server.js';
import { type PluginRouteMatch, callPluginRoute, matchPluginRoute, routeNotFound } from '../plugin-routes/plugin-route-dispatcher.js';
import type { Access } from '../roles.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const PREFIX = '/api/v1/plugins/';

/**
 * Every plugin's routes under /api/v1/plugins/<name>/…: one catch-all,
 * mounted once, that finds the route in the plugin's manifest (so a stopped
 * plugin's routes answer 503 and undeclared ones 404), checks the role the
 * manifest declares through the same access control as every other route,
 * and hands the request to the running plugin's handler. Plugins installed
 * after start are served the same way: nothing is mounted per plugin.
 */
export function pluginRoutes(kernel: Kernel): RouteModule {
  const matches = new WeakMap<FastifyRequest, PluginRouteMatch | null>();
  const logger = sdkLogger(kernel.logger.child({ component: 'plugin-routes' }));

  const resolve = (request: FastifyRequest): PluginRouteMatch | null => {
    let match = matches.get(request);
    if (match === undefined) {
      const { plugin, path } = target(request);
      // HEAD is a GET without the body (fastify answers it from the GET route).
      match = matchPluginRoute(kernel.host, plugin, request.method === 'HEAD' ? 'GET' : request.method, path) ?? null;
      matches.set(request, match);
    }
    return match;
  };

  return (app: App) => {
    // Plugins take text/csv bodies (an entry list a spreadsheet wrote) as strings; fastify knows text/plain already.
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    // A platform route under /plugins/:name/ (settings, enable…) wins over a plugin's own of the same shape.
    app.addHook('onReady', async () => {
      for (const { name } of kernel.host.list()) {
        for (const route of kernel.host.record(name)?.manifest.contributes.routes ?? []) {
          const url = `/api/v1/plugins/:name${route.path.replace(/\{([^{}/]*)\}/g, ':$1')}`;
          if (app.hasRoute({ method: route.method, url })) {
            app.log.warn({ plugin: name, route: `${route.method} ${route.path}` }, 'a plugin route is hidden by a platform route of the same path; rename it in the manifest');
          }
        }
      }
    });
    app.route({
      method: [...METHODS],
      url: '/plugins/:name/*',
      config: {
        // Undeclared paths still need a signed-in caller before they get their 404.
        access: 'viewer',
        accessFor: (request): Access => resolve(request)?.declaration.role ?? 'viewer',
      },
      schema: { hide: true },
      handler: async (request, reply) => {
        const match = resolve(request);
        if (match === null) {
          const { plugin, path } = target(request);
          throw routeNotFound(kernel.host, plugin, request.method, path);
        }
        const principal = request.principal!;
        const answer = await callPluginRoute(kernel.host, kernel.pluginRoutes, logger, {
          match,
          query: request.query,
          body: request.body,
          user: { username: principal.username, role: principal.role },
          onClientGone: (callback) =>
            reply.raw.once('close', () => {
              if (!reply.raw.writableFinished) callback();
            }),
        });
        if (answer.body === undefined) return reply.code(answer.status).send();
        if (answer.contentType !== undefined) return reply.code(answer.status).type(`${answer.contentType}; charset=utf-8`).send(answer.body as string);
        return reply.code(answer.status).type('application/json; charset=utf-8').send(JSON.stringify(answer.body));
      },
    });
  };
}

/** The plugin and the path below its prefix, as sent (parameters still encoded). */
function target(request: FastifyRequest): { plugin: string; path: string } {
  const plugin = (request.params as { name: string }).name;
  const url = request.url.split('?')[0]!;
  const prefix = PREFIX + plugin;
  const path = url.startsWith(prefix) ? url.slice(prefix.length) : '/' + ((request.params as { '*'?: string })['*'] ?? '');
  return { plugin, path: path === '' ? '/' : path };
}

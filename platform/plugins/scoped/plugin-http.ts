import type { ZodType } from 'zod';
import { PortierError } from '../../../sdk/errors.js';
import type { HttpApi, HttpMethod, RouteHandler, RouteSchemas } from '../../../sdk/http.js';
import type { PluginRouteRegistry } from '../../http/plugin-routes/plugin-route-registry.js';
import { routePathParams } from '../../http/plugin-routes/route-path.js';
import type { PluginScope } from './plugin-scope.js';

/** The routes one plugin serves; they stop answering when it stops. */
export class PluginHttp implements HttpApi {
  constructor(
    private readonly registry: PluginRouteRegistry,
    private readonly scope: PluginScope,
  ) {
    scope.onClose(() => registry.removePlugin(scope.name));
  }

  route<P, Q, B, R>(method: HttpMethod, path: string, schemas: RouteSchemas<P, Q, B, R>, handler: RouteHandler<P, Q, B, R>): void {
    const plugin = this.scope.name;
    this.scope.assertOpen(`serve ${method} ${path}`);
    const declared = this.scope.manifest.contributes.routes;
    const declaration = declared.find((r) => r.method === method && r.path === path);
    if (declaration === undefined) {
      const known = declared.map((r) => `${r.method} ${r.path}`).join(', ');
      throw new PortierError(
        'CONTRIBUTION_UNDECLARED',
        `Plugin "${plugin}" tried to serve the route ${method} ${path}, which its manifest does not declare; add { "method": "${method}", "path": "${path}", "role": … } to "contributes.routes" in manifest.json (declared: ${known || 'none'}).`,
      );
    }
    if (this.registry.has(plugin, method, path)) {
      throw new PortierError('CONTRIBUTION_MISMATCH', `Plugin "${plugin}" serves the route ${method} ${path} twice; register each declared route once.`);
    }
    checkParamsSchema(plugin, method, path, schemas.params);
    if (schemas.body !== undefined && method === 'GET') {
      throw new PortierError('CONTRIBUTION_MISMATCH', `Plugin "${plugin}" gives the route GET ${path} a body schema; a GET request has no body (use query).`);
    }
    this.registry.add(plugin, {
      declaration,
      schemas: schemas as RouteSchemas<unknown, unknown, unknown, unknown>,
      handler: handler as RouteHandler<unknown, unknown, unknown, unknown>,
      scope: this.scope,
    });
  }
}

/** A params schema that is an object must name exactly the path's `{parameters}`. */
function checkParamsSchema(plugin: string, method: string, path: string, schema: ZodType | undefined): void {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  if (shape === undefined || typeof shape !== 'object') return;
  const inPath = routePathParams(path).sort();
  const inSchema = Object.keys(shape).sort();
  if (inPath.join('\0') !== inSchema.join('\0')) {
    throw new PortierError(
      'CONTRIBUTION_MISMATCH',
      `Plugin "${plugin}": the params schema of ${method} ${path} has the fields ${inSchema.join(', ') || 'none'}, but the path has the parameters ${inPath.join(', ') || 'none'}.`,
    );
  }
}

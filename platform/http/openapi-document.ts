import type { FastifyInstance, RouteOptions } from 'fastify';
import { PLATFORM_API_VERSION } from '../version.js';

interface RecordedRoute {
  method: RouteOptions['method'];
  url: string;
  schema: RouteOptions['schema'];
}

const INFO = { title: 'Portier API', version: PLATFORM_API_VERSION, description: 'The REST API of a Portier door intercom.' };

/**
 * The OpenAPI 3.1 document of the API, worked out from the routes' own zod
 * schemas by @fastify/swagger on the first request for it. The server only
 * records each route as it is added; @fastify/swagger (and the YAML and
 * JSON-Schema libraries it brings) is loaded when someone asks, on a fastify
 * instance of its own that is given the same routes, so a device starting up
 * never pays for documentation nobody has read yet.
 */
export class OpenApiDocument {
  private readonly routes: RecordedRoute[] = [];
  private document: Promise<unknown> | undefined;

  /** Installs the recording hook; routes added later are recorded too. */
  constructor(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      // fastify adds a HEAD twin of every GET route; the document describes the GET.
      if (route.method === 'HEAD') return;
      this.routes.push({ method: route.method, url: route.url, schema: route.schema });
      this.document = undefined;
    });
  }

  get(): Promise<unknown> {
    this.document ??= this.build().catch((error: unknown) => {
      this.document = undefined;
      throw error;
    });
    return this.document;
  }

  private async build(): Promise<unknown> {
    const [{ default: Fastify }, { default: fastifySwagger }, { jsonSchemaTransform }] = await Promise.all([
      import('fastify'),
      import('@fastify/swagger'),
      import('fastify-type-provider-zod'),
    ]);
    // Validators and serializers are never run here: the routes only have to be described.
    const app = Fastify({
      logger: false,
      exposeHeadRoutes: false,
      schemaController: { compilersFactory: { buildValidator: (() => () => () => true) as never, buildSerializer: (() => () => JSON.stringify) as never } },
    }) as unknown as FastifyInstance;
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: INFO,
        components: {
          securitySchemes: {
            basic: { type: 'http', scheme: 'basic' },
            session: { type: 'apiKey', in: 'cookie', name: 'portier_session' },
          },
        },
        security: [{ basic: [] }, { session: [] }],
      },
      transform: jsonSchemaTransform,
    });
    for (const route of this.routes) app.route({ method: route.method, url: route.url, schema: route.schema ?? {}, handler: () => undefined });
    await app.ready();
    try {
      return app.swagger();
    } finally {
      await app.close();
    }
  }
}

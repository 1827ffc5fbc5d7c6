import { createServer as createPlainServer, type Server as PlainServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { type ZodTypeProvider, validatorCompiler } from 'fastify-type-provider-zod';
import type { PinoLogger } from '../logging/logger.js';
import { type Authenticator, installAccessControl } from './access-control.js';
import { errorBody, handleError } from './api-error.js';
import { OpenApiDocument } from './openapi-document.js';
import { responseSerializerCompiler } from './response-serializer.js';
import { securityHeaders } from './security-headers.js';
import type { TlsMaterial } from './tls/certificate.js';

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>;

export interface HttpServerOptions {
  /** Address to listen on; tests use 127.0.0.1. */
  host: string;
  /** HTTPS port; 0 picks a free one. */
  httpsPort: number;
  /** Plain-HTTP port that redirects to HTTPS; null for none. */
  httpPort: number | null;
  tls: TlsMaterial;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  logger: PinoLogger;
  /** Paths added to the OpenAPI document on each request for it (the routes plugins declare). */
  openApiPaths?: () => Record<string, Record<string, unknown>>;
  /** Check each reply against its zod schema before writing it (see response-serializer.ts); default on. */
  checkResponses?: boolean;
}

/** A route module: registers its routes on the API (all under /api/v1). */
export type RouteModule = (app: App) => void | Promise<void>;

export interface HttpServer {
  app: App;
  listen(): Promise<{ https: AddressInfo; http?: AddressInfo }>;
  close(): Promise<void>;
}

/**
 * Portier's HTTPS server: the REST API under /api/v1 with one error body,
 * authorisation on every route, OpenAPI from the routes' zod schemas, and a
 * plain-HTTP port that only redirects.
 */
export async function createHttpServer(options: HttpServerOptions, auth: Authenticator, modules: RouteModule[]): Promise<HttpServer> {
  const serializerCompiler = responseSerializerCompiler({ checkResponses: options.checkResponses ?? true });
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'http' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    https: { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' },
    return503OnClosing: true,
    // Every schema is zod: without this fastify would also load ajv and fast-json-stringify at start, for nothing.
    schemaController: { compilersFactory: { buildValidator: () => validatorCompiler as never, buildSerializer: () => serializerCompiler as never } },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody('ROUTE_NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]}; the API is described at /api/v1/openapi.json.`));
  });

  // helmet's headers, computed once (see security-headers.ts), on every answer including errors and 404s.
  // On the raw response, as helmet does, so replies written raw (the event stream) carry them too.
  // The set is the one OWASP's REST cheat sheet gives for an API: every answer here is JSON or an
  // event stream, never a page, so the policies that only shape HTML (script sources, DNS prefetch,
  // download options, the XSS auditor, agent clusters) would be bytes on every reply and protect nothing.
  const headers = Object.entries(
    securityHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      hsts: { maxAge: 31_536_000 },
      xFrameOptions: { action: 'deny' },
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
  );
  headers.push(['cache-control', 'no-store']);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  const openapi = new OpenApiDocument(app as unknown as FastifyInstance);
  // Before access control, whose onRequest hook reads the session cookie.
  await app.register(fastifyCookie);
  installAccessControl(app as unknown as FastifyInstance, auth);

  await app.register(
    async (api) => {
      for (const module of modules) await module(api as App);
      api.get('/openapi.json', { config: { access: 'viewer' }, schema: { hide: true } }, async () => {
        const document = (await openapi.get()) as { paths?: Record<string, unknown> };
        return options.openApiPaths === undefined ? document : { ...document, paths: { ...document.paths, ...options.openApiPaths() } };
      });
    },
    { prefix: '/api/v1' },
  );

  let redirect: PlainServer | undefined;
  return {
    app,
    async listen() {
      await app.listen({ host: options.host, port: options.httpsPort });
      const https = app.server.address() as AddressInfo;
      if (options.httpPort === null) return { https };
      redirect = createPlainServer((request, response) => {
        const host = (request.headers.host ?? options.host).replace(/:\d+$/, '');
        response.writeHead(308, { location: `https://${host}:${https.port}${request.url ?? '/'}` });
        response.end();
      });
      await new Promise<void>((resolve, reject) => {
        redirect!.once('error', reject);
        redirect!.listen(options.httpPort!, options.host, () => resolve());
      });
      return { https, http: redirect.address() as AddressInfo };
    },
    async close() {
      await new Promise<void>((resolve) => (redirect === undefined ? resolve() : redirect.close(() => resolve())));
      await app.close();
    },
  };
}

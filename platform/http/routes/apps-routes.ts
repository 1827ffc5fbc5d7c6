import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { packageFromForm } from '../multipart-package.js';
import { z } from 'zod';
import { PortierError, isPortierError } from '../../../sdk/errors.js';
import type { AppManager } from '../../apps/app-manager.js';
import { formatBytes } from '../../apps/package/package-errors.js';
import { handleError } from '../api-error.js';
import type { TrustStore } from '../../apps/trust-store.js';
import { PLUGIN_STATES } from '../../plugins/plugin-record.js';
import type { App, RouteModule } from '../http-server.js';
import { errorResponses, noContent, pluginNameParams } from '../schemas/error-responses.js';

const appSchema = z
  .object({
    name: z.string(),
    displayName: z.string(),
    version: z.string(),
    vendor: z.string(),
    description: z.string(),
    enabled: z.boolean().describe('Starts with the platform; stop turns it off until started again'),
    state: z.enum(PLUGIN_STATES),
    failure: z.object({ code: z.string(), message: z.string(), where: z.string(), at: z.number() }).optional().describe('Why it failed (state failed)'),
    note: z.string().optional(),
    installedAt: z.number().optional().describe('When this version was installed, milliseconds since 1970-01-01 UTC'),
    signedBy: z
      .object({ keyId: z.string(), name: z.string().describe('The trusted key\'s name') })
      .nullable()
      .describe('The trusted key that signed the installed package; null when it was installed unsigned'),
  })
  .describe('App');

const installReply = z
  .object({
    outcome: z.enum(['installed', 'upgraded']),
    previousVersion: z.string().optional().describe('The version an upgrade replaced'),
    app: appSchema,
  })
  .describe('Install result');

const trustedKeySchema = z
  .object({ keyId: z.string(), name: z.string(), publicKey: z.string().describe('Ed25519 public key, PEM'), addedAt: z.number(), addedBy: z.string().optional() })
  .describe('Trusted key');

const logLineSchema = z.object({
  time: z.number(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

const appSettingsSchema = z
  .object({ allowUnsigned: z.boolean().describe('Install apps that carry no signature (off by default; signed apps must still be signed by a trusted key)') })
  .strict()
  .describe('Apps settings');

/** Package files come as the raw body or as a multipart form's file field. */
const PACKAGE_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar'];

/** A form carries one package file and a few small fields (a file name, a note), never more. */
/** A form carries the package and little else (a web form's note, say). */
const FORM_LIMITS = { fields: 5, fieldSize: 1024 };

/** A refusal's status: the package's fault (422), a conflict with what is installed (409), or too large (413). */
const CONFLICTS = /^(APP_NAME_TAKEN|APP_NAME_CASE_CONFLICT|HARDWARE_UNAVAILABLE|DEPENDENCY_MISSING|DEPENDENCY_VERSION_MISMATCH|PLATFORM_MISMATCH|APP_REQUIRED_BY_OTHERS)$/;
function withStatus(error: unknown): unknown {
  if (!isPortierError(error) || (error as { status?: number }).status !== undefined) return error;
  let status: number | undefined;
  // The intercom could not write (a full or failing flash): not the package's fault.
  if (error.code === 'PACKAGE_WRITE_FAILED') status = 507;
  else if (error.code.endsWith('_TOO_LARGE')) status = 413;
  else if (CONFLICTS.test(error.code)) status = 409;
  else if (/^(PACKAGE_|SIGNATURE_|MANIFEST_|APP_START_FAILED$)/.test(error.code)) status = 422;
  return status === undefined ? error : Object.assign(error, { status });
}

async function refusalsWithStatus<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw withStatus(error);
  }
}

/** Apps: install and upgrade from a package file, lifecycle, logs, and the keys trusted to sign them. */
export function appsRoutes(apps: AppManager, trust: TrustStore): RouteModule {
  return async (app: App) => {
    await app.register(async (scope: App) => {
      const maxPackage = apps.limits.maxPackageBytes;
      // A body over the limit is refused by fastify before the manager sees it; it is still a package that is too large.
      scope.setErrorHandler((error: Error, request, reply) => {
        const code = (error as { code?: string }).code;
        const upload = request.method === 'POST' && request.routeOptions.url === '/api/v1/apps';
        if (upload && code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
          const sent = String(request.headers['content-type']);
          return handleError(
            Object.assign(new PortierError('MEDIA_TYPE_UNSUPPORTED', `A package is sent as application/gzip, application/octet-stream or a multipart/form-data form, not ${sent}.`), { status: 415 }),
            request,
            reply,
          );
        }
        if (!upload) return handleError(error, request, reply);
        if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return handleError(tooLarge(maxPackage), request, reply);
        return handleError(error, request, reply);
      });
      // The form's stream goes to the route as it is; packageFromForm reads it (and loads its parser) only then.
      scope.addContentTypeParser('multipart/form-data', (_request, payload, done) => done(null, payload));
      // Nothing here takes text; without this, a text body would reach the upload as a string rather than be refused.
      scope.removeContentTypeParser('text/plain');
      scope.addContentTypeParser(PACKAGE_TYPES, { parseAs: 'buffer', bodyLimit: maxPackage }, (_request, body, done) => done(null, body));

      scope.get('/apps', { config: { access: 'viewer' }, schema: { tags: ['apps'], summary: 'Installed apps: version, vendor, state and who signed them', response: { 200: z.array(appSchema), ...errorResponses() } } }, () => apps.list());

      scope.post(
        '/apps',
        {
          config: { access: 'admin' },
          bodyLimit: maxPackage + 64 * 1024,
          schema: {
            tags: ['apps'],
            summary: 'Install an app from a package file, or upgrade the installed app of the same name and vendor',
            description:
              'Send the .tgz as the raw body (Content-Type application/gzip or application/octet-stream), or as the file field of a multipart/form-data form. Checks, in order: size, signature, safe extraction, manifest, name, platform, required plugins, hardware. An upgrade whose new version does not start is rolled back (422 APP_START_FAILED, saying why).',
            querystring: z.object({ fileName: z.string().max(200).optional().describe('The package\'s file name, for messages') }).strict(),
            response: { 200: installReply, 201: installReply, ...errorResponses(409, 413, 415, 422) },
          },
        },
        async (request, reply) => {
          const { bytes, fileName } = await packageFrom(request, maxPackage);
          const result = await refusalsWithStatus(() => apps.install(bytes, request.query.fileName ?? fileName));
          return reply.code(result.outcome === 'installed' ? 201 : 200).send(result);
        },
      );

      scope.get('/apps/settings', { config: { access: 'admin' }, schema: { tags: ['apps'], summary: 'Whether unsigned apps may be installed', response: { 200: appSettingsSchema, ...errorResponses() } } }, () => ({
        allowUnsigned: trust.allowUnsigned(),
      }));
      scope.put(
        '/apps/settings',
        { config: { access: 'admin' }, schema: { tags: ['apps'], summary: 'Allow or refuse unsigned apps', body: appSettingsSchema, response: { 200: appSettingsSchema, ...errorResponses() } } },
        (request) => {
          trust.setAllowUnsigned(request.body.allowUnsigned);
          return { allowUnsigned: trust.allowUnsigned() };
        },
      );

      scope.get('/apps/trusted-keys', { config: { access: 'admin' }, schema: { tags: ['apps'], summary: 'The keys trusted to sign apps', response: { 200: z.array(trustedKeySchema), ...errorResponses() } } }, () => trust.list());
      scope.post(
        '/apps/trusted-keys',
        {
          config: { access: 'admin' },
          schema: {
            tags: ['apps'],
            summary: 'Trust a signing key (the .pub.pem `portier keygen` wrote)',
            body: z.object({ name: z.string().trim().min(1).max(80).describe('Whose key it is, e.g. the vendor'), publicKey: z.string().min(1).max(4096) }).strict(),
            response: { 201: trustedKeySchema, ...errorResponses(409, 422) },
          },
        },
        async (request, reply) => reply.code(201).send(await trust.add(request.body.name, request.body.publicKey, request.principal?.username)),
      );
      scope.delete(
        '/apps/trusted-keys/:keyId',
        {
          config: { access: 'admin' },
          schema: { tags: ['apps'], summary: 'Stop trusting a key (installed apps keep running)', params: z.object({ keyId: z.string().min(1).max(100) }).strict(), response: { 204: noContent, ...errorResponses(404) } },
        },
        async (request, reply) => {
          trust.remove(request.params.keyId);
          return reply.code(204).send(null);
        },
      );

      scope.get('/apps/:name', { config: { access: 'viewer' }, schema: { tags: ['apps'], summary: 'One installed app', params: pluginNameParams, response: { 200: appSchema, ...errorResponses(404, 409) } } }, (request) =>
        apps.get(request.params.name),
      );
      for (const action of ['start', 'stop', 'restart'] as const) {
        scope.post(
          `/apps/:name/${action}`,
          {
            config: { access: 'admin' },
            schema: {
              tags: ['apps'],
              summary: { start: 'Start an app (and start it with the platform again)', stop: 'Stop an app (it stays stopped across restarts until started)', restart: 'Restart an app' }[action],
              params: pluginNameParams,
              response: { 200: appSchema, ...errorResponses(404, 409) },
            },
          },
          (request) => apps[action](request.params.name),
        );
      }
      scope.delete(
        '/apps/:name',
        {
          config: { access: 'admin' },
          schema: {
            tags: ['apps'],
            summary: 'Uninstall an app: its files, and its stored data and settings unless keepData=true',
            params: pluginNameParams,
            querystring: z.object({ keepData: z.enum(['true', 'false']).default('false').describe('Keep the app\'s stored data and settings for a later install') }).strict(),
            response: { 204: noContent, ...errorResponses(404, 409) },
          },
        },
        async (request, reply) => {
          await refusalsWithStatus(() => apps.uninstall(request.params.name, { keepData: request.query.keepData === 'true' }));
          return reply.code(204).send(null);
        },
      );
      scope.get(
        '/apps/:name/logs',
        {
          config: { access: 'operator' },
          schema: {
            tags: ['apps'],
            summary: 'The app\'s recent log lines, oldest first, with what the platform said about it (starts, stops, failures)',
            params: pluginNameParams,
            querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict(),
            response: { 200: z.object({ app: z.string(), lines: z.array(logLineSchema) }), ...errorResponses(404) },
          },
        },
        (request) => ({ app: request.params.name, lines: apps.logs(request.params.name, request.query.limit) }),
      );
    });
  };
}

function tooLarge(maxPackage: number): PortierError {
  return Object.assign(new PortierError('PACKAGE_TOO_LARGE', `The package is larger than ${formatBytes(maxPackage)}, the most an app may be. Leave large media out of the app and pack it again.`), { status: 413 });
}

/**
 * The package from the raw body, or from the one file of a multipart form.
 * Every part is read: a form with two files is refused rather than one of
 * them installed silently; other fields are read and ignored.
 */
async function packageFrom(request: FastifyRequest, maxPackage: number): Promise<{ bytes: Buffer; fileName?: string }> {
  if (String(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    return packageFromForm(request.body as Readable, request.headers, { maxPackageBytes: maxPackage, fields: FORM_LIMITS.fields, fieldBytes: FORM_LIMITS.fieldSize });
  }
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
    throw new PortierError('PACKAGE_MISSING', 'Send the package file as the body (Content-Type application/gzip) or as a multipart form\'s file field.');
  }
  return { bytes: request.body };
}


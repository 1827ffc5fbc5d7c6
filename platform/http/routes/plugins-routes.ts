import { z } from 'zod';
import { isPortierError } from '../../../sdk/errors.js';
import type { Kernel } from '../../kernel.js';
import { PLUGIN_STATES } from '../../plugins/plugin-record.js';
import type { App, RouteModule } from '../http-server.js';
import { apiError, errorResponses, inBody, pluginNameParams } from '../schemas/error-responses.js';
import { keepMaskedSecrets, maskSecrets, secretPaths } from '../schemas/secret-settings.js';

const pluginSchema = z
  .object({
    name: z.string(),
    displayName: z.string(),
    version: z.string(),
    vendor: z.string(),
    description: z.string(),
    builtin: z.boolean().describe('Shipped with Portier rather than installed as an app'),
    enabled: z.boolean().describe('Starts with the platform'),
    state: z.enum(PLUGIN_STATES),
    failure: z
      .object({
        code: z.string(),
        message: z.string(),
        where: z.string().describe('Where in the plugin it failed: load, constructor, start(), a listener…'),
        at: z.number().describe('Milliseconds since 1970-01-01 UTC'),
      })
      .optional()
      .describe('Why the plugin failed (state failed)'),
    note: z.string().optional().describe('Why a plugin that has not failed is not running: disabled, waiting for a dependency, retrying'),
    platform: z.string().describe('Platform API range it works with'),
    requires: z.record(z.string(), z.string()),
    provides: z.array(z.string()),
    permissions: z.array(z.string()),
    hardware: z.array(z.object({ kind: z.string(), why: z.string() })),
    contributes: z.object({
      events: z.array(z.string()),
      conditions: z.array(z.string()),
      actions: z.array(z.string()),
      routes: z.array(z.object({ method: z.string(), path: z.string(), role: z.string(), summary: z.string().optional() })),
      settings: z.boolean().describe('Has settings (GET /plugins/{name}/settings)'),
    }),
    ports: z.array(z.object({ id: z.string(), purpose: z.string() })).describe('Ports it holds now'),
  })
  .describe('Plugin');

const settingsSchema = z
  .object({
    plugin: z.string(),
    values: z.unknown().describe('The settings in effect (defaults filled in); secrets show as ********'),
    schema: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('JSON Schema of the settings, to build a form from; null until the plugin has run once since the platform started'),
  })
  .describe('Plugin settings');

const settingsBody = z.record(z.string(), z.unknown()).describe('The whole settings object; a secret sent back as ******** keeps its value');

type PluginView = z.output<typeof pluginSchema>;

function pluginView(kernel: Kernel, name: string): PluginView {
  const summary = kernel.host.get(name);
  const manifest = kernel.host.record(name)!.manifest;
  const typesOf = (names: Record<string, unknown>): string[] => Object.keys(names).map((n) => `${manifest.name}/${n}`);
  const view: PluginView = {
    name: summary.name,
    displayName: summary.displayName,
    version: summary.version,
    vendor: summary.vendor,
    description: summary.description,
    builtin: summary.builtin,
    enabled: summary.enabled,
    state: summary.state,
    platform: manifest.platform,
    requires: summary.requires,
    provides: [...manifest.provides],
    permissions: [...manifest.permissions],
    hardware: manifest.hardware.map((h) => ({ kind: h.kind, why: h.why })),
    contributes: {
      events: typesOf(manifest.contributes.events),
      conditions: typesOf(manifest.contributes.conditions),
      actions: typesOf(manifest.contributes.actions),
      routes: manifest.contributes.routes.map((r) => ({ ...r })),
      settings: manifest.contributes.settings !== undefined,
    },
    ports: kernel.ports.list().flatMap((p) => (p.claim?.owner === name ? [{ id: p.id, purpose: p.claim.purpose }] : [])),
  };
  if (summary.failure !== undefined) {
    const { code, message, where, at } = summary.failure;
    view.failure = { code, message, where, at };
  }
  if (summary.note !== undefined) view.note = summary.note;
  return view;
}

function settingsView(kernel: Kernel, name: string): z.output<typeof settingsSchema> {
  kernel.host.get(name);
  if (kernel.host.record(name)!.manifest.contributes.settings === undefined) {
    throw apiError(404, 'SETTINGS_NOT_FOUND', `Plugin "${name}" has no settings.`);
  }
  const stored = kernel.settings.stored(name);
  const schema = kernel.settings.schema(name);
  if (schema === undefined) return { plugin: name, values: stored, schema: null };
  const parsed = schema.safeParse(stored);
  let jsonSchema: Record<string, unknown> | null = null;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    // A schema JSON Schema cannot express still validates; the client gets no form.
  }
  return { plugin: name, values: maskSecrets(parsed.success ? parsed.data : stored, secretPaths(schema)), schema: jsonSchema };
}

/**
 * Plugins: what is installed and how it is doing, switching plugins on and
 * off per site, and their settings, validated by each plugin's own schema.
 */
export function pluginsRoutes(kernel: Kernel): RouteModule {
  return (app: App) => {
    app.get(
      '/plugins',
      {
        config: { access: 'viewer' },
        schema: { tags: ['plugins'], summary: 'Installed plugins with their state', response: { 200: z.array(pluginSchema), ...errorResponses() } },
      },
      () => kernel.host.list().map((p) => pluginView(kernel, p.name)),
    );

    app.get(
      '/plugins/:name',
      {
        config: { access: 'viewer' },
        schema: { tags: ['plugins'], summary: 'One plugin', params: pluginNameParams, response: { 200: pluginSchema, ...errorResponses(404) } },
      },
      (request) => pluginView(kernel, request.params.name),
    );

    const lifecycle = [
      ['enable', 'Enable a plugin (it starts now and with the platform)', (name: string) => kernel.host.setEnabled(name, true)],
      ['disable', 'Disable a plugin (it stops now and stays stopped)', (name: string) => kernel.host.setEnabled(name, false)],
      ['restart', 'Stop and start a plugin (also retries one that failed)', (name: string) => kernel.host.restart(name)],
    ] as const;
    for (const [verb, summary, act] of lifecycle) {
      app.post(
        `/plugins/:name/${verb}`,
        {
          config: { access: 'admin' },
          schema: { tags: ['plugins'], summary, params: pluginNameParams, response: { 200: pluginSchema, ...errorResponses(404, 409) } },
        },
        async (request) => {
          await act(request.params.name);
          return pluginView(kernel, request.params.name);
        },
      );
    }

    app.get(
      '/plugins/:name/settings',
      {
        config: { access: 'operator' },
        schema: { tags: ['plugins'], summary: "A plugin's settings and their JSON Schema", params: pluginNameParams, response: { 200: settingsSchema, ...errorResponses(404) } },
      },
      (request) => settingsView(kernel, request.params.name),
    );

    app.put(
      '/plugins/:name/settings',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['plugins'],
          summary: "Replace a plugin's settings (validated by the plugin's schema; nothing changes on error)",
          params: pluginNameParams,
          body: settingsBody,
          response: { 200: settingsSchema, ...errorResponses(404, 409, 422) },
        },
      },
      (request) => {
        const { name } = request.params;
        settingsView(kernel, name);
        const schema = kernel.settings.schema(name);
        const next = schema === undefined ? request.body : keepMaskedSecrets(request.body, kernel.settings.stored(name), secretPaths(schema));
        try {
          inBody(() => kernel.settings.replace(name, next));
        } catch (error) {
          // Both are about the plugin's state, not the request: 409, with the plugin's own words.
          if (isPortierError(error) && (error.code === 'SETTINGS_SCHEMA_UNKNOWN' || error.code === 'SETTINGS_NOT_APPLIED')) {
            throw apiError(409, error.code, error.message, error.details);
          }
          throw error;
        }
        return settingsView(kernel, name);
      },
    );
  };
}

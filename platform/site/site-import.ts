import { type ErrorDetail, PortierError, isPortierError } from '../../sdk/errors.js';
import type { ScheduleDefinition } from '../../sdk/schedules.js';
import type { Kernel } from '../kernel.js';
import { RuleRepository } from '../rules/rule-repository.js';
import type { RuleDefinition } from '../rules/rule-schema.js';
import { parseSchedule } from '../schedules/schedule-service.js';
import { zodDetails } from '../validation/zod-issues.js';
import { withDryRunKernel } from './dry-run-kernel.js';
import { type SiteDocument, type SiteUser, siteDocumentSchema } from './site-document.js';
import { keepCurrentSecrets } from './site-secrets.js';
import type { SiteUserTarget } from './site-users.js';

/** A checked document, ready to apply. */
interface SitePlan {
  plugins: { name: string; enabled: boolean; settings?: unknown }[];
  schedules: { id: string; definition: ScheduleDefinition }[];
  rules: { id: string; definition: RuleDefinition }[];
  users: SiteUser[];
  notes: string[];
}

export interface SiteImportReport {
  plugins: { name: string; enabled: boolean; settingsChanged: boolean }[];
  schedules: number;
  rules: number;
  users: number;
  /** Plugins restarted so they run with their new settings. */
  restarted: string[];
  /** What the import noticed but did not refuse (other versions, plugins the document does not mention). */
  notes: string[];
}

/** One import at a time per intercom: the second waits for the first. */
const running = new WeakMap<Kernel, Promise<unknown>>();

/**
 * Replaces this intercom's configuration with a site document. Everything is
 * checked first — the document, the plugins it names, each plugin's settings
 * by its own schema, schedules, rules (on a dry-run platform with the new
 * settings and schedules in place), users — and any problem refuses the
 * whole document (SITE_INVALID, 422, with JSON pointers into it) with
 * nothing changed. Then what lives in the store is written in one
 * transaction, and plugins whose settings or enabled flag changed are
 * restarted, started or stopped.
 */
export function importSite(kernel: Kernel, users: SiteUserTarget, input: unknown): Promise<SiteImportReport> {
  const previous = running.get(kernel) ?? Promise.resolve();
  const next = previous.then(
    () => importNow(kernel, users, input),
    () => importNow(kernel, users, input),
  );
  running.set(kernel, next.catch(() => undefined));
  return next;
}

async function importNow(kernel: Kernel, users: SiteUserTarget, input: unknown): Promise<SiteImportReport> {
  const plan = await checkSite(kernel, input);
  return applySite(kernel, users, plan);
}

export async function checkSite(kernel: Kernel, input: unknown): Promise<SitePlan> {
  const parsed = siteDocumentSchema.safeParse(input);
  if (!parsed.success) throw siteInvalid(zodDetails(parsed.error.issues));
  const document = parsed.data;
  const details: ErrorDetail[] = [];
  const notes: string[] = [];

  const plugins = checkPlugins(kernel, document, details, notes);
  const schedules = checkSchedules(document, details);
  checkUsers(document.users, details);
  if (details.length > 0) throw siteInvalid(details);

  const rules: SitePlan['rules'] = [];
  await withDryRunKernel(
    kernel,
    (dryRun) => {
      for (const { name } of kernel.host.list()) dryRun.settings.save(name, kernel.settings.stored(name));
      for (const { id, definition } of schedules) dryRun.schedules.create(definition, id);
    },
    (dryRun) => {
      for (const plugin of plugins) {
        if (plugin.settings === undefined) continue;
        plugin.settings = checkSettings(kernel, dryRun, plugin.name, plugin.settings, details, notes);
      }
      const ids = new Map<string, number>();
      document.rules.forEach((rule, i) => {
        const { id, status: _status, ...definition } = rule as { id: string; status?: unknown };
        duplicate(ids, id, i, `/rules/${i}/id`, 'rule', details);
        try {
          rules.push({ id, definition: dryRun.rules.validate(definition) });
        } catch (error) {
          if (!isPortierError(error)) throw error;
          details.push(...error.details.map((d) => ({ path: `/rules/${i}${d.path === '/' ? '' : d.path}`, message: d.message })));
        }
      });
    },
  );
  if (details.length > 0) throw siteInvalid(details);
  return { plugins, schedules, rules, users: document.users, notes };
}

function checkPlugins(kernel: Kernel, document: SiteDocument, details: ErrorDetail[], notes: string[]): SitePlan['plugins'] {
  const installed = kernel.host.list();
  const plugins: SitePlan['plugins'] = [];
  for (const [name, plugin] of Object.entries(document.plugins)) {
    const here = installed.find((p) => p.name === name);
    if (here === undefined) {
      details.push({
        path: `/plugins/${name}`,
        message: `plugin "${name}" is not installed on this intercom (installed: ${installed.map((p) => p.name).join(', ') || 'none'}); install it first, or remove it from the document`,
      });
      continue;
    }
    if (here.version !== plugin.version) notes.push(`"${name}" is version ${here.version} here; the document comes from version ${plugin.version}.`);
    const declaresSettings = kernel.host.record(name)?.manifest.contributes.settings !== undefined;
    if (plugin.settings !== undefined && !declaresSettings) {
      details.push({ path: `/plugins/${name}/settings`, message: `plugin "${name}" has no settings` });
      continue;
    }
    const entry: SitePlan['plugins'][number] = { name, enabled: plugin.enabled };
    if (plugin.settings !== undefined) {
      entry.settings = keepCurrentSecrets(plugin.settings, kernel.settings.stored(name), `/plugins/${name}/settings`, details);
    }
    plugins.push(entry);
  }
  for (const p of installed) {
    if (!Object.hasOwn(document.plugins, p.name)) notes.push(`"${p.name}" is not in the document; it was left as it was.`);
  }
  return plugins;
}

/** The settings as the plugin's own schema parses them, or the problems, pointing into the document. */
function checkSettings(live: Kernel, dryRun: Kernel, name: string, settings: unknown, details: ErrorDetail[], notes: string[]): unknown {
  const pointer = `/plugins/${name}/settings`;
  const relative = (error: PortierError): ErrorDetail[] =>
    error.details.length === 0
      ? [{ path: pointer, message: error.message }]
      : error.details.map((d) => ({ path: d.path === '/' ? pointer : pointer + d.path, message: d.message }));
  try {
    // The running dry-run plugin applies them too: a port the new settings claim twice shows here.
    return dryRun.settings.replace(name, settings);
  } catch (error) {
    if (!isPortierError(error)) throw error;
    if (error.code !== 'SETTINGS_SCHEMA_UNKNOWN') {
      details.push(...relative(error));
      return settings;
    }
  }
  const schema = live.settings.schema(name);
  if (schema === undefined) {
    notes.push(`The settings of "${name}" were taken unchecked: it has not run, so its settings schema is not known; they are checked when it starts.`);
    return settings;
  }
  try {
    return live.settings.validate(name, schema, settings);
  } catch (error) {
    if (!isPortierError(error)) throw error;
    details.push(...relative(error));
    return settings;
  }
}

function checkSchedules(document: SiteDocument, details: ErrorDetail[]): SitePlan['schedules'] {
  const ids = new Map<string, number>();
  const schedules: SitePlan['schedules'] = [];
  document.schedules.forEach((schedule, i) => {
    const { id, ...definition } = schedule;
    duplicate(ids, id, i, `/schedules/${i}/id`, 'schedule', details);
    try {
      schedules.push({ id, definition: parseSchedule(definition) });
    } catch (error) {
      if (!isPortierError(error)) throw error;
      details.push(...error.details.map((d) => ({ path: `/schedules/${i}${d.path === '/' ? '' : d.path}`, message: d.message })));
    }
  });
  return schedules;
}

function checkUsers(users: SiteUser[], details: ErrorDetail[]): void {
  const names = new Map<string, number>();
  users.forEach((user, i) => duplicate(names, user.username.toLowerCase(), i, `/users/${i}/username`, 'user', details));
  if (!users.some((u) => u.role === 'admin')) details.push({ path: '/users', message: 'a site needs at least one administrator' });
}

function duplicate(seen: Map<string, number>, key: string, index: number, path: string, what: string, details: ErrorDetail[]): void {
  const first = seen.get(key);
  if (first !== undefined) details.push({ path, message: `the same ${what} as item ${first} (${what === 'user' ? 'names are compared without case' : 'ids are unique'})` });
  else seen.set(key, index);
}

async function applySite(kernel: Kernel, users: SiteUserTarget, plan: SitePlan): Promise<SiteImportReport> {
  const db = kernel.db;
  const now = kernel.clock.now();
  const report: SiteImportReport = { plugins: [], schedules: plan.schedules.length, rules: plan.rules.length, users: plan.users.length, restarted: [], notes: plan.notes };

  const upsertPlugin = db.prepare<[string, number, string | null]>(
    `INSERT INTO plugin_state (name, enabled, settings) VALUES (?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET enabled = excluded.enabled, settings = coalesce(excluded.settings, plugin_state.settings)`,
  );
  const upsertUser = db.prepare<[string, string, string, number, number]>(
    `INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(username) DO UPDATE SET username = excluded.username, role = excluded.role, password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
  );
  const insertSchedule = db.prepare<[string, string, number, number]>('INSERT INTO schedules (id, definition, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const rules = new RuleRepository(db);

  db.transaction(() => {
    // Users: written here, and every one removed or changed goes through the store, whose listeners drop its cached credentials and sessions.
    const before = new Map(users.list().map((u) => [u.username.toLowerCase(), { ...u, hash: users.passwordHash(u.username)?.hash }]));
    const changed: SiteUser[] = [];
    for (const user of plan.users) {
      const old = before.get(user.username.toLowerCase());
      if (old !== undefined && old.username === user.username && old.role === user.role && old.hash === user.passwordHash) continue;
      upsertUser.run(user.username, user.role, user.passwordHash, now, now);
      if (old !== undefined) changed.push(user);
    }
    const kept = new Set(plan.users.map((u) => u.username.toLowerCase()));
    for (const [name, old] of before) if (!kept.has(name)) users.delete(old.username);
    for (const user of changed) users.setRole(user.username, user.role);

    for (const plugin of plan.plugins) {
      const settings = plugin.settings === undefined ? null : JSON.stringify(plugin.settings);
      const settingsChanged = settings !== null && settings !== JSON.stringify(kernel.settings.stored(plugin.name));
      report.plugins.push({ name: plugin.name, enabled: plugin.enabled, settingsChanged });
      upsertPlugin.run(plugin.name, plugin.enabled ? 1 : 0, settings);
    }

    db.prepare('DELETE FROM schedules').run();
    for (const { id, definition } of plan.schedules) insertSchedule.run(id, JSON.stringify(definition), now, now);
    db.prepare('DELETE FROM rules').run();
    for (const { id, definition } of plan.rules) rules.save(id, definition, now);
  })();

  // The store is the document now; the running platform catches up.
  kernel.schedules.reload();
  kernel.rules.reload();
  for (const plugin of report.plugins) {
    const summary = kernel.host.get(plugin.name);
    if (summary.enabled !== plugin.enabled) {
      await kernel.host.setEnabled(plugin.name, plugin.enabled);
    } else if (plugin.settingsChanged && plugin.enabled && (summary.state === 'running' || summary.state === 'failed')) {
      await kernel.host.restart(plugin.name);
      report.restarted.push(plugin.name);
    }
    if (plugin.settingsChanged) kernel.settings.changed(plugin.name);
  }
  kernel.rules.rebindAll();
  return report;
}

function siteInvalid(details: ErrorDetail[]): PortierError {
  const shown = details.slice(0, 10).map((d) => `${d.path}: ${d.message}`);
  if (details.length > shown.length) shown.push(`and ${details.length - shown.length} more`);
  return new PortierError('SITE_INVALID', `The site document is not valid, so nothing was imported: ${shown.join('; ')}`, details);
}

import { secretPaths } from '../http/schemas/secret-settings.js';
import type { Kernel } from '../kernel.js';
import { PLATFORM_API_VERSION } from '../version.js';
import { SITE_FORMAT, SITE_FORMAT_VERSION, type SiteDocument, type SitePlugin } from './site-document.js';
import { withSecretPlaceholders } from './site-secrets.js';
import type { SiteUserSource } from './site-users.js';

/**
 * The whole configuration of this intercom as one document (see
 * site-document.ts): what `GET /api/v1/site` answers and `PUT` takes back.
 */
export function exportSite(kernel: Kernel, users: SiteUserSource): SiteDocument {
  const notes: string[] = [];
  const plugins: Record<string, SitePlugin> = {};
  for (const summary of kernel.host.list()) {
    const entry: SitePlugin = { version: summary.version, enabled: summary.enabled };
    if (kernel.host.record(summary.name)?.manifest.contributes.settings !== undefined) {
      const stored = kernel.settings.stored(summary.name);
      const schema = kernel.settings.schema(summary.name);
      if (schema !== undefined) {
        entry.settings = withSecretPlaceholders(stored, secretPaths(schema));
      } else if (typeof stored === 'object' && stored !== null && Object.keys(stored).length > 0) {
        // Which fields are secret is known only from the running plugin's schema: exporting
        // them as stored could put a password in clear into a file that travels.
        notes.push(
          `The settings of "${summary.name}" are not in this file: it has not run since the platform started, so which of its fields are secret is not known. Start it (POST /api/v1/plugins/${summary.name}/start) and export again to include them.`,
        );
      }
    }
    plugins[summary.name] = entry;
  }
  const document: SiteDocument = {
    format: SITE_FORMAT,
    formatVersion: SITE_FORMAT_VERSION,
    exportedAt: new Date(kernel.clock.now()).toISOString(),
    platformVersion: PLATFORM_API_VERSION,
    plugins,
    schedules: kernel.schedules.list().map(({ id, ...definition }) => ({ id, ...definition })),
    rules: kernel.rules.list().map(({ id, status: _status, ...definition }) => ({ id, ...definition })),
    users: users.list().map((user) => {
      const hash = users.passwordHash(user.username)?.hash;
      if (hash === undefined) throw new Error(`user "${user.username}" vanished during the export`);
      return { username: user.username, role: user.role, passwordHash: hash };
    }),
  };
  if (notes.length > 0) document.notes = notes;
  return document;
}

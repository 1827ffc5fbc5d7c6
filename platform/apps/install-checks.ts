import { PortierError } from '../../sdk/errors.js';
import type { Manifest } from '../../manifest-schema/schema.js';
import type { Kernel } from '../kernel.js';
import satisfies from 'semver/functions/satisfies.js';
import { checkCompatibility } from '../manifest/compatibility.js';
import { PLATFORM_API_VERSION } from '../version.js';

/**
 * The checks an app passes against this intercom before it is swapped in,
 * in this order: its name, the platform range, the plugins it requires and
 * the hardware it claims. `shown` names the manifest in messages (the
 * package file, not a staging folder). Returns whether this is an upgrade
 * of an installed app.
 */
export function checkInstallable(kernel: Kernel, manifest: Manifest, shown: string): { upgrade: boolean } {
  const upgrade = checkName(kernel, manifest);
  checkPlatformAndDependencies(kernel, manifest, shown);
  if (upgrade) checkDependents(kernel, manifest);
  checkHardware(kernel, manifest);
  return { upgrade };
}

/** Words the apps API uses in its own paths (/api/v1/apps/settings), which an app's name would shadow. */
const RESERVED = new Set(['settings', 'trusted-keys']);

function checkName(kernel: Kernel, manifest: Manifest): boolean {
  const name = manifest.name;
  if (RESERVED.has(name)) throw new PortierError('APP_NAME_TAKEN', `"${name}" is reserved by the apps API; give the app another name (change "name" in manifest.json).`);
  for (const plugin of kernel.host.list()) {
    if (plugin.name !== name && plugin.name.toLowerCase() === name.toLowerCase()) {
      throw new PortierError('APP_NAME_CASE_CONFLICT', `"${name}" differs only in case from the installed plugin "${plugin.name}"; pick a different name.`);
    }
  }
  const existing = kernel.host.record(name);
  if (existing === undefined) return false;
  if (existing.builtin) {
    throw new PortierError('APP_NAME_TAKEN', `"${name}" is the name of a built-in plugin; an app needs a name of its own (change "name" in manifest.json).`);
  }
  if (existing.manifest.vendor !== manifest.vendor) {
    throw new PortierError(
      'APP_NAME_TAKEN',
      `"${name}" is already installed from ${existing.manifest.vendor}; this package is from ${manifest.vendor}. Uninstall that app first, or give this one a different name.`,
    );
  }
  return true;
}

function checkPlatformAndDependencies(kernel: Kernel, manifest: Manifest, shown: string): void {
  const installed = new Map(kernel.host.list().map((p) => [p.name, p.version]));
  const details = checkCompatibility(manifest, shown, installed, PLATFORM_API_VERSION);
  const platform = details.find((d) => d.path === '/platform');
  if (platform !== undefined) {
    throw new PortierError('PLATFORM_MISMATCH', `${shown}: /platform: ${platform.message}; this intercom runs platform API ${PLATFORM_API_VERSION}.`, [platform]);
  }
  for (const detail of details) {
    const dependency = detail.path.replace(/^\/requires\//, '');
    const code = installed.has(dependency) ? 'DEPENDENCY_VERSION_MISMATCH' : 'DEPENDENCY_MISSING';
    const todo = installed.has(dependency) ? `install a matching version of "${dependency}" first` : `install "${dependency}" first`;
    throw new PortierError(code, `${shown}: ${detail.path}: ${detail.message}; ${todo}.`, [detail]);
  }
}

/** An upgrade must still be a version the plugins that require the app accept. */
function checkDependents(kernel: Kernel, manifest: Manifest): void {
  for (const plugin of kernel.host.list()) {
    const range = plugin.requires[manifest.name];
    if (plugin.name === manifest.name || range === undefined || satisfies(manifest.version, range, { includePrerelease: false })) continue;
    throw new PortierError(
      'APP_REQUIRED_BY_OTHERS',
      `"${plugin.name}" requires ${manifest.name} ${range}, which ${manifest.version} is outside of; upgrade "${plugin.name}" first, or install a version in that range.`,
    );
  }
}

function checkHardware(kernel: Kernel, manifest: Manifest): void {
  for (const { kind } of manifest.hardware) {
    const ports = kernel.board.ports.filter((p) => p.kind === kind);
    if (ports.length === 0) {
      throw new PortierError('HARDWARE_UNAVAILABLE', `"${manifest.name}" needs a ${kind} port; this intercom (${kernel.board.model}) has none.`);
    }
    const held = ports.map((p) => ({ port: p, claim: kernel.ports.holder(p.id) }));
    // The version being upgraded holds its own ports; they are free for the new one.
    if (held.some((h) => h.claim === undefined || h.claim.owner === manifest.name)) continue;
    const holders = held.map((h) => `${h.port.id} by ${h.claim!.owner}${h.claim!.purpose === '' ? '' : ` (${h.claim!.purpose})`}`).join(', ');
    throw new PortierError(
      'HARDWARE_UNAVAILABLE',
      `"${manifest.name}" needs a ${kind} port, and every one is held: ${holders}. Free one in that plugin's settings first.`,
    );
  }
}

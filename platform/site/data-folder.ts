import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What Portier keeps in its data folder: the database (with SQLite's WAL and
 * journal files beside it), the installed apps and the generated HTTPS
 * certificate. A feature that stores something new in the data folder adds
 * it here, so a factory default erases it too.
 */
export const DATA_FOLDER_ENTRIES = ['portier.db', 'portier.db-wal', 'portier.db-shm', 'portier.db-journal', 'apps', 'tls'] as const;

/**
 * Erases what Portier keeps in a data folder and returns what it removed.
 * Only Portier's own entries go: a data folder pointed at a folder that holds
 * other files (`--data .`) loses nothing else.
 */
export function eraseDataFolder(dataDir: string): string[] {
  const removed: string[] = [];
  for (const entry of DATA_FOLDER_ENTRIES) {
    const path = join(dataDir, entry);
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

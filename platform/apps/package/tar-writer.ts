/**
 * Writes a tar archive of files the same way every time: the given order,
 * time stamp 2000-01-01, owner 0:0 with no user or group names, and mode 0644
 * or 0755 only. Nothing about the machine or the moment of packing gets into
 * the archive, so packing the same folder twice gives the same bytes (and a
 * signature can be checked against a rebuild).
 *
 *   writeTar(files) → the archive, end-of-archive blocks included
 */
import { pack } from 'tar-stream';

export interface TarFile {
  /** Relative path with `/` separators. */
  path: string;
  /** Only the executable bits count: 0755 when any is set, 0644 otherwise. */
  mode: number;
  data: Buffer;
}

/** A fixed time stamp (tar stores whole seconds since 1970; zero would look like a broken clock). */
export const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));

export async function writeTar(files: readonly TarFile[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      archive.entry(
        { name: file.path, type: 'file', mode: normalisedMode(file.mode), uid: 0, gid: 0, mtime: FIXED_MTIME, size: file.data.length },
        file.data,
        (error?: Error | null) => (error ? reject(error) : resolve()),
      );
    });
  }
  archive.finalize();
  await collected;
  return Buffer.concat(chunks);
}

export function normalisedMode(mode: number): number {
  return mode & 0o111 ? 0o755 : 0o644;
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadFile, DownloadError, type DownloadOptions } from './download-file.js';
import { filesSource, type FetchedSource } from './fetched-source.js';
import { ALPINE_SECDB_REPOSITORIES, ALPINE_SECDB_SOURCE } from './known-sources.js';
import type { RemoteFiles } from './remote-files.js';

/**
 * Alpine's secdb for the given branches (`v3.19`), every repository that exists for each. The files
 * carry no per-record dates, so they are fetched whole each time (they are small); the cursor is the
 * sha256 of what was read, and identical files are not imported again. All branches go through one
 * conversion together: a CVE fixed in several branches is one record.
 */
export async function fetchAlpineSecdb(
  files: RemoteFiles,
  branches: readonly string[],
  cursor: string | null,
  workDir: string,
  options: DownloadOptions,
): Promise<FetchedSource> {
  const location = files.description;
  const hash = createHash('sha256');
  const read: Array<{ file: string; name: string }> = [];
  for (const branch of branches) {
    for (const repository of ALPINE_SECDB_REPOSITORIES) {
      const path = `${branch}/${repository}.yaml`;
      const file = join(workDir, `${branch}-${repository}.yaml`);
      try {
        await downloadFile(files, path, file, options);
      } catch (error) {
        // Not every branch has every repository (community came later); main must exist.
        if (error instanceof DownloadError && error.notFound && repository !== 'main') continue;
        throw error;
      }
      hash.update(`${path}\n`).update(await readFile(file));
      read.push({ file, name: `${location.replace(/\/+$/, '')}/${path}` });
    }
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (digest === cursor) return { source: ALPINE_SECDB_SOURCE, location, mode: 'unchanged', cursor };
  return {
    source: ALPINE_SECDB_SOURCE,
    location,
    mode: 'full',
    cursor: digest,
    listed: read.length,
    advisories: filesSource(read, `${location.replace(/\/+$/, '')}/`, new Date()),
  };
}

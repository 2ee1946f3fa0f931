import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadFile, DownloadError, type DownloadOptions } from './download-file.js';
import { filesSource, zipFileSource, type FetchedSource } from './fetched-source.js';
import { osvSourceId } from './known-sources.js';
import type { RemoteFiles } from './remote-files.js';

/** More changed records than this and one all.zip is cheaper than as many single downloads. */
export const FULL_RELOAD_ABOVE = 2000;

export interface ModifiedEntry {
  modified: string;
  id: string;
}

/**
 * OSV's `modified_id.csv`: one `<RFC 3339 modified>,<id>` line per record of the ecosystem, newest
 * first, no header. Returns the lines newer than `cursor` (all when null), stopping at the first one
 * that is not: the rest are older still. Malformed lines make the whole file suspect.
 */
export function parseModifiedIds(
  text: string,
  cursor: string | null,
): { newest: string | null; changed: ModifiedEntry[] } {
  const since = cursor === null ? null : Date.parse(cursor);
  const changed: ModifiedEntry[] = [];
  let newest: string | null = null;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const match = /^([^,\s]+),([^,\s]+)$/.exec(line.trim());
    const time = match ? Date.parse(match[1] ?? '') : NaN;
    if (!match || Number.isNaN(time))
      throw new Error(`line ${index + 1} is not "<modified>,<id>": ${line.slice(0, 80)}`);
    newest ??= match[1] ?? null;
    if (since !== null && time <= since) break;
    changed.push({ modified: match[1] ?? '', id: match[2] ?? '' });
  }
  return { newest, changed };
}

/**
 * One OSV ecosystem from one location: modified_id.csv first. Without a cursor (or with too many
 * changes) the ecosystem's all.zip; else each changed `<id>.json`. The new cursor is the newest
 * timestamp the CSV listed, so the next run asks only for what changed after it.
 */
export async function fetchOsvEcosystem(
  files: RemoteFiles,
  ecosystem: string,
  cursor: string | null,
  workDir: string,
  options: DownloadOptions,
): Promise<FetchedSource> {
  const source = osvSourceId(ecosystem);
  const location = files.description;
  const csvFile = join(workDir, 'modified_id.csv');
  await downloadFile(files, `${ecosystem}/modified_id.csv`, csvFile, options);
  let listing: ReturnType<typeof parseModifiedIds>;
  try {
    listing = parseModifiedIds(await readFile(csvFile, 'utf8'), cursor);
  } catch (error) {
    throw new DownloadError(`${location}/${ecosystem}/modified_id.csv`, (error as Error).message);
  }
  const now = new Date();
  if (listing.newest === null) return { source, location, mode: 'unchanged', cursor };
  if (cursor !== null && listing.changed.length === 0) return { source, location, mode: 'unchanged', cursor };
  if (cursor === null || listing.changed.length > FULL_RELOAD_ABOVE) {
    const zip = join(workDir, 'all.zip');
    await downloadFile(files, `${ecosystem}/all.zip`, zip, options);
    const description = `${location.replace(/\/+$/, '')}/${ecosystem}/all.zip`;
    return {
      source,
      location,
      mode: 'full',
      cursor: listing.newest,
      listed: listing.changed.length,
      advisories: zipFileSource(zip, description, now),
    };
  }
  const records: Array<{ file: string; name: string }> = [];
  for (const [index, entry] of listing.changed.entries()) {
    const file = join(workDir, `record-${index}.json`);
    const path = `${ecosystem}/${entry.id}.json`;
    await downloadFile(files, path, file, options);
    records.push({ file, name: `${location.replace(/\/+$/, '')}/${path}` });
  }
  return {
    source,
    location,
    mode: 'incremental',
    cursor: listing.newest,
    listed: records.length,
    advisories: filesSource(records, `${location.replace(/\/+$/, '')}/${ecosystem}/`, now),
  };
}

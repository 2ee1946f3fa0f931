import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AdvisorySource, SourceEntry } from '../sources/source-entry.js';
import { zipEntries } from '../sources/zip-entries.js';

/** What one source's fetch left on disk, ready to import inside the update's transaction. */
export type FetchedSource =
  | { source: string; location: string; mode: 'unchanged'; cursor: string | null }
  | {
      source: string;
      location: string;
      mode: 'full' | 'incremental';
      cursor: string;
      /** Records (or secdb files) the server listed as changed; a full load counts the zip's members. */
      listed: number;
      advisories: AdvisorySource;
    };

/** A downloaded zip, named in reports by the URL it came from. */
export function zipFileSource(file: string, description: string, modifiedAt: Date): AdvisorySource {
  return { description, entries: () => zipEntries(createReadStream(file), description, modifiedAt) };
}

/** Downloaded single files (changed OSV records, secdb files), each named by its URL. */
export function filesSource(
  files: ReadonlyArray<{ file: string; name: string }>,
  description: string,
  modifiedAt: Date,
): AdvisorySource {
  return {
    description,
    async *entries(): AsyncGenerator<SourceEntry> {
      for (const { file, name } of files) yield { name, data: await readFile(file), modifiedAt };
    },
  };
}

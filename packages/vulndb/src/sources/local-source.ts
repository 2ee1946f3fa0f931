import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SourceUnreadableError, SourceUnsupportedError } from '../errors.js';
import { isDocumentName, isZipName, type AdvisorySource, type SourceEntry } from './source-entry.js';
import { zipEntries } from './zip-entries.js';

/** A directory (walked recursively, in name order), a zip file, or one JSON/YAML file. */
export async function localSource(path: string): Promise<AdvisorySource> {
  const info = await stat(path).catch((error: unknown) => {
    throw new SourceUnreadableError(path, error instanceof Error ? error.message : String(error), error);
  });
  if (info.isDirectory()) return { description: path, entries: () => directoryEntries(path) };
  if (isZipName(path))
    return { description: path, entries: () => zipEntries(createReadStream(path), path, info.mtime) };
  if (isDocumentName(path)) return { description: path, entries: () => single(path, info.mtime) };
  throw new SourceUnsupportedError(path, 'not a directory, a .zip, or a .json/.yaml file');
}

async function* directoryEntries(root: string): AsyncGenerator<SourceEntry> {
  for (const path of await walk(root)) {
    const name = relative(root, path);
    const { mtime } = await stat(path);
    if (isZipName(path)) yield* zipEntries(createReadStream(path), name, mtime);
    else yield { name, data: await readFile(path), modifiedAt: mtime };
  }
}

async function* single(path: string, modifiedAt: Date): AsyncGenerator<SourceEntry> {
  yield { name: path, data: await readFile(path), modifiedAt };
}

/** Every readable file below root, sorted, so imports and their reports are reproducible. */
async function walk(root: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(root, { withFileTypes: true }).catch((error: unknown) => {
    throw new SourceUnreadableError(root, error instanceof Error ? error.message : String(error), error);
  });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (entry.isFile() && (isDocumentName(entry.name) || isZipName(entry.name))) found.push(path);
  }
  return found;
}

import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { isDocumentName, type SourceEntry } from './source-entry.js';

/**
 * The JSON and YAML files of a zip archive, read as it streams in: only one compressed chunk and the
 * files completed by it are held at a time, never the whole decompressed archive (OSV's all.zip
 * exports are hundreds of megabytes unpacked). Other members are skipped without inflating them.
 */
export async function* zipEntries(
  chunks: AsyncIterable<Uint8Array>,
  archiveName: string,
  modifiedAt: Date | null,
): AsyncGenerator<SourceEntry> {
  const ready: SourceEntry[] = [];
  let failure: Error | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (!isDocumentName(file.name)) return;
    const parts: Uint8Array[] = [];
    file.ondata = (error, data, final) => {
      if (error) {
        failure = new Error(`${file.name}: ${error.message}`);
        return;
      }
      parts.push(data);
      if (final) ready.push({ name: `${archiveName}!${file.name}`, data: concat(parts), modifiedAt });
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of chunks) {
    unzip.push(chunk);
    if (failure) throw failure;
    yield* ready.splice(0);
  }
  unzip.push(new Uint8Array(0), true);
  if (failure) throw failure;
  yield* ready.splice(0);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

import { RpmDbError } from './rpmdb-error.js';

/** The fields of an installed package's header that Customs reports. */
export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  /** null when the package has no EPOCH tag (rpm prints `(none)`). */
  epoch: number | null;
  arch: string | null;
  license: string | null;
  /** `name-version-release.src.rpm`; null for pseudo-packages such as gpg-pubkey. */
  sourceRpm: string | null;
  /** Installed files, relative to the image root. */
  files: string[];
}

/** Tag numbers from rpm's rpmtag.h. */
const TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;

/** Data types from rpm's rpmtag.h (rpmTagType). */
const TYPE = { INT32: 4, STRING: 6, STRING_ARRAY: 8, I18NSTRING: 9 } as const;

const INDEX_ENTRY_SIZE = 16;
/** rpm's own sanity limits for a header (hdrchkTags, hdrchkData). */
const MAX_TAGS = 0xffff;
const MAX_DATA = 0x0fffffff;

interface IndexEntry {
  type: number;
  offset: number;
  count: number;
}

const utf8 = new TextDecoder('utf-8');

/**
 * An rpm header as the database stores it (no lead, no magic): big-endian entry count `il` and data
 * length `dl`, `il` index entries of (tag, type, offset, count), then `dl` bytes of data. The region
 * tags at the start (HEADERIMMUTABLE and friends) only describe the signed part and are not needed
 * here. Entries appended after install ("dribbles") replace region entries of the same tag, as in rpm,
 * so the last entry for a tag wins.
 */
export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.byteLength < 8) throw new RpmDbError(`header blob of ${blob.byteLength} bytes is too short`);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  const dataStart = 8 + il * INDEX_ENTRY_SIZE;
  if (il === 0 || il > MAX_TAGS || dl > MAX_DATA || dataStart + dl > blob.byteLength) {
    throw new RpmDbError(
      `header blob claims ${il} tags and ${dl} data bytes but has ${blob.byteLength} bytes`,
    );
  }
  const entries = new Map<number, IndexEntry>();
  for (let i = 0; i < il; i++) {
    const at = 8 + i * INDEX_ENTRY_SIZE;
    entries.set(view.getInt32(at), {
      type: view.getUint32(at + 4),
      offset: view.getInt32(at + 8),
      count: view.getUint32(at + 12),
    });
  }
  const data = blob.subarray(dataStart, dataStart + dl);
  const reader = new TagReader(entries, data);
  const name = reader.string(TAG.NAME);
  const version = reader.string(TAG.VERSION);
  const release = reader.string(TAG.RELEASE);
  if (name === null || version === null || release === null) {
    throw new RpmDbError(
      `header has no ${name === null ? 'NAME' : version === null ? 'VERSION' : 'RELEASE'}`,
    );
  }
  return {
    name,
    version,
    release,
    epoch: reader.int32s(TAG.EPOCH)?.[0] ?? null,
    arch: reader.string(TAG.ARCH),
    license: reader.string(TAG.LICENSE),
    sourceRpm: reader.string(TAG.SOURCERPM),
    files: fileNames(reader, name),
  };
}

/** rpm ≥ 4.0 stores files as BASENAMES + DIRNAMES[DIRINDEXES]; older headers keep OLDFILENAMES. */
function fileNames(reader: TagReader, pkg: string): string[] {
  const basenames = reader.strings(TAG.BASENAMES);
  const paths =
    basenames === null ? (reader.strings(TAG.OLDFILENAMES) ?? []) : joinDirs(reader, basenames, pkg);
  return paths.map((path) => path.replace(/^\/+/, ''));
}

function joinDirs(reader: TagReader, basenames: string[], pkg: string): string[] {
  const dirnames = reader.strings(TAG.DIRNAMES) ?? [];
  const indexes = reader.int32s(TAG.DIRINDEXES) ?? [];
  if (indexes.length !== basenames.length) {
    throw new RpmDbError(`package ${pkg}: ${basenames.length} BASENAMES but ${indexes.length} DIRINDEXES`);
  }
  return basenames.map((base, i) => {
    const dir = dirnames[indexes[i] ?? -1];
    if (dir === undefined) throw new RpmDbError(`package ${pkg}: DIRINDEXES points past DIRNAMES`);
    return dir + base;
  });
}

class TagReader {
  readonly #entries: ReadonlyMap<number, IndexEntry>;
  readonly #data: Uint8Array;

  constructor(entries: ReadonlyMap<number, IndexEntry>, data: Uint8Array) {
    this.#entries = entries;
    this.#data = data;
  }

  string(tag: number): string | null {
    const entry = this.#entries.get(tag);
    if (!entry) return null;
    if (entry.type !== TYPE.STRING && entry.type !== TYPE.I18NSTRING && entry.type !== TYPE.STRING_ARRAY) {
      throw new RpmDbError(`tag ${tag} has type ${entry.type}, not a string`);
    }
    return this.#stringsAt(tag, entry.offset, 1)[0] ?? null;
  }

  strings(tag: number): string[] | null {
    const entry = this.#entries.get(tag);
    if (!entry) return null;
    if (entry.type !== TYPE.STRING_ARRAY && entry.type !== TYPE.I18NSTRING) {
      throw new RpmDbError(`tag ${tag} has type ${entry.type}, not a string array`);
    }
    return this.#stringsAt(tag, entry.offset, entry.count);
  }

  int32s(tag: number): number[] | null {
    const entry = this.#entries.get(tag);
    if (!entry) return null;
    if (entry.type !== TYPE.INT32) throw new RpmDbError(`tag ${tag} has type ${entry.type}, not INT32`);
    const end = entry.offset + entry.count * 4;
    if (entry.offset < 0 || end > this.#data.byteLength) {
      throw new RpmDbError(`tag ${tag}: ${entry.count} INT32 values at ${entry.offset} run past the data`);
    }
    const view = new DataView(this.#data.buffer, this.#data.byteOffset + entry.offset, entry.count * 4);
    return Array.from({ length: entry.count }, (_, i) => view.getInt32(i * 4));
  }

  #stringsAt(tag: number, offset: number, count: number): string[] {
    const strings: string[] = [];
    let at = offset;
    for (let i = 0; i < count; i++) {
      const end = at >= 0 ? this.#data.indexOf(0, at) : -1;
      if (end < 0) throw new RpmDbError(`tag ${tag}: string ${i} at ${at} is not NUL-terminated in the data`);
      strings.push(utf8.decode(this.#data.subarray(at, end)));
      at = end + 1;
    }
    return strings;
  }
}

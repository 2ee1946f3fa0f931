import { open, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { OciError } from '../errors.js';

/** Where a member's bytes lie in the archive file. */
export interface TarMember {
  start: number;
  size: number;
}

type Entry = { kind: 'file'; member: TarMember } | { kind: 'link'; target: string };

const BLOCK = 512;
const MAX_LINK_HOPS = 8;
/** Longest pax/GNU long-name record we read; real ones are a few hundred bytes. */
const MAX_META_BYTES = 1024 * 1024;

const compressionMagic: ReadonlyArray<{ name: string; bytes: number[]; command: string }> = [
  { name: 'gzip', bytes: [0x1f, 0x8b], command: 'gunzip -k' },
  { name: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd], command: 'zstd -d' },
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], command: 'unxz -k' },
  { name: 'bzip2', bytes: [0x42, 0x5a, 0x68], command: 'bunzip2 -k' },
];

function invalid(file: string, detail: string): OciError {
  return new OciError('ARCHIVE_INVALID', `${file} is not a readable tar archive: ${detail}`, {
    hint: 'give a tar written by `docker save`, `skopeo copy … oci-archive:` or `docker-archive:`',
  });
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** Octal, or GNU base-256 (high bit set) for members of 8 GiB and more. */
function readSize(block: Buffer): number {
  const field = block.subarray(124, 136);
  if ((field[0] ?? 0) & 0x80) {
    let value = (field[0] ?? 0) & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const text = cString(block, 124, 12).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumMatches(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return parseInt(cString(block, 148, 8).trim(), 8) === sum;
}

/** pax records: "<length> <key>=<value>\n", repeated. */
function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    const length = parseInt(data.subarray(position, space).toString('ascii'), 10);
    if (space === -1 || !Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, position + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    position += length;
  }
  return records;
}

function normalizeName(name: string): string {
  const clean = posix.normalize(name.replace(/^\/+/, ''));
  return clean === '.' ? '' : clean.replace(/\/+$/, '');
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * A tar archive's table of contents, built by reading headers only and seeking over member data, so a
 * multi-gigabyte `docker save` is indexed in a few reads per member. Members are then read by byte
 * range straight from the file. Understands ustar, pax (path, size) and GNU long names; symlinks and
 * hardlinks resolve to their targets (`docker save` links layers that appear twice).
 */
export class TarIndex {
  readonly #entries = new Map<string, Entry>();

  private constructor(readonly file: string) {}

  static async open(file: string): Promise<TarIndex> {
    const handle = await open(file, 'r');
    try {
      const index = new TarIndex(file);
      await index.#scan(handle, (await handle.stat()).size);
      return index;
    } finally {
      await handle.close();
    }
  }

  async #scan(handle: FileHandle, fileSize: number): Promise<void> {
    const first = await readAt(handle, 0, BLOCK);
    const compression = compressionMagic.find((c) => c.bytes.every((byte, i) => first[i] === byte));
    if (compression) {
      throw new OciError('ARCHIVE_COMPRESSED', `${this.file} is ${compression.name}-compressed`, {
        hint: `decompress it first (${compression.command} ${this.file}) and scan the .tar: members of a compressed archive cannot be read by range`,
      });
    }
    let position = 0;
    let pax = new Map<string, string>();
    let longName: string | null = null;
    while (position + BLOCK <= fileSize) {
      const block = await readAt(handle, position, BLOCK);
      if (block.every((byte) => byte === 0)) return;
      if (!checksumMatches(block)) throw invalid(this.file, `bad header checksum at byte ${position}`);
      const paxSize = pax.get('size');
      const size = paxSize === undefined ? readSize(block) : Number(paxSize);
      const start = position + BLOCK;
      if (!Number.isSafeInteger(size) || start + size > fileSize)
        throw invalid(this.file, `member at byte ${position} is truncated`);
      const type = String.fromCharCode(block[156] ?? 0);
      position = start + Math.ceil(size / BLOCK) * BLOCK;
      if (type === 'x' || type === 'L') {
        if (size > MAX_META_BYTES)
          throw invalid(this.file, `extended header at byte ${start - BLOCK} is too large`);
        const data = await readAt(handle, start, size);
        if (type === 'x') pax = parsePax(data);
        else longName = cString(data, 0, data.length);
        continue;
      }
      const ustar = cString(block, 257, 6) === 'ustar' && cString(block, 263, 2) === '00';
      const prefix = ustar ? cString(block, 345, 155) : '';
      const written =
        pax.get('path') ??
        longName ??
        (prefix ? `${prefix}/${cString(block, 0, 100)}` : cString(block, 0, 100));
      const linkTarget = pax.get('linkpath') ?? cString(block, 157, 100);
      this.#record(normalizeName(written), type, { start, size }, linkTarget);
      pax = new Map();
      longName = null;
    }
  }

  #record(name: string, type: string, member: TarMember, linkTarget: string): void {
    if (name === '') return;
    if (type === '0' || type === '\0' || type === '7') this.#entries.set(name, { kind: 'file', member });
    else if (type === '1') this.#entries.set(name, { kind: 'link', target: normalizeName(linkTarget) });
    else if (type === '2') {
      const target = linkTarget.startsWith('/') ? linkTarget : posix.join(posix.dirname(name), linkTarget);
      this.#entries.set(name, { kind: 'link', target: normalizeName(target) });
    }
    // Directories, devices and global pax headers hold nothing an image reader needs.
  }

  /** The member stored under `name` (links followed), or null. */
  get(name: string): TarMember | null {
    let current = normalizeName(name);
    for (let hops = 0; hops <= MAX_LINK_HOPS; hops += 1) {
      const entry = this.#entries.get(current);
      if (entry === undefined) return null;
      if (entry.kind === 'file') return entry.member;
      current = entry.target;
    }
    return null;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }
}

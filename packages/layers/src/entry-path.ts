/**
 * A tar member name as an image-root-relative path: no leading `/` or `./`, no empty or `.` segments,
 * `..` applied. Returns null when `..` climbs above the root (`../../etc/passwd`, `a/../../x`): such a
 * member must not be mistaken for a file of the image. The root itself comes back as ''.
 */
export function normaliseEntryPath(name: string): string | null {
  const segments: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return null;
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  return segments.join('/');
}

const WHITEOUT_PREFIX = '.wh.';
const AUFS_META_PREFIX = '.wh..wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

/** What an entry means for the layers below it, per the OCI image spec's whiteout rules. */
export type WhiteoutMeaning =
  | { kind: 'whiteout'; target: string }
  | { kind: 'opaque'; dir: string }
  /** AUFS bookkeeping (`.wh..wh.plnk`, `.wh..wh.aufs`, and anything under them): not image content. */
  | { kind: 'aufs-metadata' }
  | { kind: 'none' };

const NOT_A_WHITEOUT: WhiteoutMeaning = Object.freeze({ kind: 'none' });

/** Reads a normalised path as a whiteout, an opaque-directory marker, AUFS metadata, or none of these. */
export function whiteoutMeaning(path: string): WhiteoutMeaning {
  // Asked of every entry of every layer: most paths have no `.wh.` anywhere, and are answered at once.
  if (!path.includes(WHITEOUT_PREFIX)) return NOT_A_WHITEOUT;
  const slash = path.lastIndexOf('/');
  const dir = slash === -1 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (dir.split('/').some((segment) => segment.startsWith(AUFS_META_PREFIX)))
    return { kind: 'aufs-metadata' };
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(AUFS_META_PREFIX)) return { kind: 'aufs-metadata' };
  if (base.startsWith(WHITEOUT_PREFIX) && base.length > WHITEOUT_PREFIX.length) {
    const name = base.slice(WHITEOUT_PREFIX.length);
    return { kind: 'whiteout', target: dir === '' ? name : `${dir}/${name}` };
  }
  return NOT_A_WHITEOUT;
}

/**
 * `var/lib/dpkg/info/<pkg>.list`: one absolute path per line, directories included, starting with
 * `/.`. Returned relative to the image root like every other path in Customs.
 */
export function parseFileList(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    // Not trimmed: a file name may end in a blank, and dpkg writes the names verbatim.
    const path = line.replace(/^\/+/, '');
    if (path !== '' && path !== '.') paths.push(path);
  }
  return paths;
}

/**
 * `var/lib/dpkg/status.d/<pkg>.md5sums` (distroless) and `info/<pkg>.md5sums`: `<md5>  <path>` per
 * line, the path already relative to the root. The only file list distroless images keep.
 */
export function parseMd5sums(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^[0-9a-f]{32}\s+\*?(.+)$/.exec(line);
    const path = match?.[1]?.replace(/^\/+/, '');
    if (path) paths.push(path);
  }
  return paths;
}

/**
 * What a scan looks for. `vuln`: vulnerable packages; `secret`: credentials in layer files; `config`:
 * the image configuration and history; `license`: package licenses listed in the table (SBOMs and JSON
 * carry licenses whatever this says).
 */
export const SCANNERS = ['vuln', 'secret', 'config', 'license'] as const;
export type ScannerName = (typeof SCANNERS)[number];

/** Every scanner but the license listing, as `customs scan` runs by default. */
export const DEFAULT_SCANNERS: readonly ScannerName[] = ['vuln', 'secret', 'config'];

/** Parses `--scanners vuln,secret`; an unknown name is an error naming the known ones. */
export function parseScanners(list: string): ScannerName[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(SCANNERS as readonly string[]).includes(name)) {
      throw new RangeError(`unknown scanner "${name}"; choose from ${SCANNERS.join(', ')}`);
    }
  }
  return [...new Set(names)] as ScannerName[];
}

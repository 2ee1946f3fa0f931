import { compareModuleVersions } from './module-version.js';

/**
 * The modules whose source a build downloaded, from go.sum: lines `<module> <version> h1:<hash>`
 * (a `<version>/go.mod` line only records that a go.mod was read for version selection, not that
 * the code was used). Where go.sum holds several source versions of one module, the highest is the
 * one minimal version selection built. Malformed lines are skipped: go.sum is a cache of hashes,
 * and the go command tolerates stale or extra lines in it too.
 */
export function parseGoSum(text: string): Map<string, string> {
  const modules = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const [module, version, hash, extra] = line.trim().split(/\s+/);
    if (!module || !version || !hash?.startsWith('h1:') || extra !== undefined) continue;
    if (version.endsWith('/go.mod') || !version.startsWith('v')) continue;
    const known = modules.get(module);
    if (!known || compareModuleVersions(version, known) > 0) modules.set(module, version);
  }
  return modules;
}

/**
 * Orders Go module versions (semver with a leading v, as in go.sum): by major, minor and patch, a
 * release after its pre-releases, pre-release identifiers numerically or lexically, build metadata
 * (+incompatible) ignored — the order minimal version selection uses to pick the highest.
 */
export function compareModuleVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  for (let index = 0; index < 3; index++) {
    const diff = (left.core[index] ?? 0) - (right.core[index] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (!left.pre.length || !right.pre.length) return Math.sign(right.pre.length - left.pre.length);
  for (let index = 0; index < Math.max(left.pre.length, right.pre.length); index++) {
    const diff = comparePart(left.pre[index], right.pre[index]);
    if (diff !== 0) return diff;
  }
  return 0;
}

function parse(version: string): { core: number[]; pre: string[] } {
  const [withoutBuild = ''] = version.replace(/^v/, '').split('+');
  const dash = withoutBuild.indexOf('-');
  const core = (dash < 0 ? withoutBuild : withoutBuild.slice(0, dash)).split('.').map(Number);
  return { core, pre: dash < 0 ? [] : withoutBuild.slice(dash + 1).split('.') };
}

function comparePart(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Math.sign(Number(a) - Number(b));
  if (numeric.test(a) !== numeric.test(b)) return numeric.test(a) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

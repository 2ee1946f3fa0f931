/**
 * Go advisories (the Go vulnerability database, GHSA) name the toolchain's standard library `stdlib`
 * and version it as semver: go1.19.8 → v1.19.8, go1.21 → v1.21.0, go1.21rc2 → v1.21.0-rc.2 (the
 * conversion golang/vulndb applies to Go release tags). Anything after the tag (" X:boringcrypto",
 * a vendor suffix) describes the build, not the release, and is dropped.
 * A development toolchain ("devel go1.22-abcdef ...") is no release at all: no version.
 */
export function stdlibVersion(goVersion: string): string | null {
  const match = /^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta|alpha)(\d+))?(?=$|[\s+-])/.exec(
    goVersion.trim(),
  );
  if (!match) return null;
  const [, major, minor = '0', patch = '0', stage, stageNumber] = match;
  const release = `v${major}.${minor}.${patch}`;
  return stage ? `${release}-${stage}.${stageNumber}` : release;
}

/**
 * The version a build stamped into the main module with `-ldflags -X <pkg>.<var>=<value>`, the common
 * way to version binaries built from a checkout, whose module version Go records as "(devel)".
 * Only variables named like a version (version, Version, gitVersion, ...) count, only semver values,
 * and only if all such variables agree: a guess is worse than no version.
 */
export function versionFromLdflags(ldflags: string): string | null {
  const tokens = ldflags.split(/\s+/).filter(Boolean);
  const values = new Set<string>();
  tokens.forEach((token, index) => {
    const assignment = token === '-X' ? tokens[index + 1] : /^--?X=(.*)$/.exec(token)?.[1];
    const parsed = assignment ? /^[^=]*\.(\w+)=(.+)$/.exec(assignment.replace(/^['"]|['"]$/g, '')) : null;
    if (!parsed?.[1] || !parsed[2] || !/version$|^ver$/i.test(parsed[1])) return;
    const semver = /^v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$/.exec(parsed[2]);
    if (semver) values.add(`v${semver[1]}`);
  });
  const [only] = values;
  return values.size === 1 && only ? only : null;
}

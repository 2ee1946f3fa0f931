import type { PackageType } from '@customs/model';
import type { CandidatePackage, JudgedImages, NameForm, PackageNames } from '@customs/store';
import {
  affectedQueriesFor,
  DISTRO_ECOSYSTEMS,
  LANGUAGE_ECOSYSTEMS,
  type AffectedQuery,
  type ChangedPackage,
} from '@customs/vulndb';

/**
 * The digests whose verdicts a change of these packages' advisories may change, found through the
 * store's package → image index (no image is pulled). Candidates are read by name, then kept only
 * when the matcher's own lookups for the package (affectedQueriesFor) name a changed package: the
 * same base, name and release a match would use.
 */
export async function digestsTouchedBy(
  changed: readonly ChangedPackage[],
  images: JudgedImages,
): Promise<string[]> {
  if (changed.length === 0) return [];
  const candidates = await images.candidates(namesToRead(changed));
  const manifests = new Set(
    candidates.filter((candidate) => isNamed(candidate, changed)).map((c) => c.manifestDigest),
  );
  return images.verdictDigestsOf([...manifests]);
}

/** Which package types an ecosystem base's advisories speak of, and how their names compare. */
function typesOf(base: string): PackageType[] {
  const language = Object.entries(LANGUAGE_ECOSYSTEMS).filter(([, ecosystem]) => ecosystem === base);
  if (language.length > 0) return language.map(([type]) => type as PackageType);
  return [...new Set([...DISTRO_ECOSYSTEMS.values()].filter((d) => d.base === base).map((d) => d.type))];
}

function formOf(base: string): NameForm {
  if (base === 'PyPI') return 'pep503';
  return base === 'NuGet' || base === 'Packagist' || base === 'crates.io' ? 'lower' : 'exact';
}

function namesToRead(changed: readonly ChangedPackage[]): PackageNames[] {
  const groups = new Map<string, { type: PackageType; form: NameForm; names: Set<string> }>();
  for (const pkg of changed) {
    const form = formOf(pkg.ecosystem);
    for (const type of typesOf(pkg.ecosystem)) {
      const key = `${type}\u0000${form}`;
      const group = groups.get(key) ?? { type, form, names: new Set<string>() };
      group.names.add(pkg.name);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((group) => ({ ...group, names: [...group.names] }));
}

function isNamed(candidate: CandidatePackage, changed: readonly ChangedPackage[]): boolean {
  const queries = affectedQueriesFor(candidate, candidate.distro);
  return queries.some((query) => changed.some((pkg) => matches(query, pkg)));
}

/** The reader's rule: a release-less entry or query matches every release. */
function matches(query: AffectedQuery, pkg: ChangedPackage): boolean {
  return (
    query.ecosystemBase === pkg.ecosystem &&
    query.name === pkg.name &&
    (pkg.release === null || query.release === null || query.release === pkg.release)
  );
}

import type { FoundPackage } from '../../package.js';

export interface GemfileLockResult {
  packages: FoundPackage[];
  warnings: string[];
}

/** Sections that list gems under `specs:`: rubygems.org and other servers, git checkouts, paths, plugins. */
const SOURCE_SECTIONS = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);

/**
 * A platform suffix Bundler appends to a gem's version for precompiled gems (nokogiri
 * 1.13.6-x86_64-linux, -java, -x64-mingw-ucrt, -arm64-darwin). Advisories version the gem, not its
 * build, so the suffix is dropped (Trivy drops everything after the first `-`; that would also cut
 * a pre-release such as 1.0.0-rc1, which this pattern keeps).
 */
const PLATFORM =
  /-(?:java|jruby|dalvik\d*|mswin(?:32|64)?|mingw32|x64-mingw(?:32|-ucrt)|universal-[\w.-]+|(?:x86_64|x86|i[3-6]86|aarch64|arm64|arm\w*|powerpc\w*|ppc\w*|s390x?|sparc\w*|mips\w*|riscv64|loongarch64|x64)-[a-z][\w.-]*)$/;

/**
 * Gemfile.lock: the gems Bundler resolved, as `    name (version)` lines (four spaces) under
 * `specs:` of each source section; six-space lines are their dependency constraints. Gems from git
 * and path sources are kept too: they carry the gem's real name and version, as Syft also reads
 * them. Sections that are not sources (PLATFORMS, DEPENDENCIES, BUNDLED WITH, unknown ones) are
 * ignored.
 */
export function parseGemfileLock(text: string, path: string): GemfileLockResult {
  const result: GemfileLockResult = { packages: [], warnings: [] };
  const seen = new Set<string>();
  let section = '';
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\S/.test(line)) section = line.trim();
    if (!SOURCE_SECTIONS.has(section) || !/^ {4}\S/.test(line)) return;
    const match = /^ {4}(\S+) \(([^)\s]+)\)$/.exec(line);
    if (!match?.[1] || !match[2]) {
      result.warnings.push(`${path}:${index + 1}: not a "name (version)" spec line, skipped`);
      return;
    }
    const version = match[2].replace(PLATFORM, '');
    const id = `${match[1]}@${version}`;
    if (seen.has(id)) return;
    seen.add(id);
    result.packages.push({ type: 'gem', name: match[1], version, path });
  });
  return result;
}

import type { FoundPackage } from '../../package.js';

export interface GradleLockResult {
  packages: FoundPackage[];
  warnings: string[];
}

/** Gradle's test configurations (testCompileClasspath, testRuntimeClasspath, androidTest..., ...UnitTest...). */
const TEST_CONFIGURATION = /^(test|androidTest)|UnitTest|AndroidTest/;

/**
 * `gradle.lockfile`: one `group:artifact:version=configuration,configuration` line per locked
 * module, `#` comments, and an `empty=` line naming configurations without dependencies. A module
 * locked only in test configurations is not part of what the project ships and is left out, as
 * development dependencies are in the other lockfile analyzers.
 */
export function parseGradleLockfile(text: string, path: string): GradleLockResult {
  const result: GradleLockResult = { packages: [], warnings: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('empty=')) return;
    const match = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=(.*)$/.exec(line);
    if (!match) {
      result.warnings.push(`${path}:${index + 1}: not a group:artifact:version=configurations line, skipped`);
      return;
    }
    const [, group = '', artifact = '', version = '', configurations = ''] = match;
    const used = configurations
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (used.length && used.every((name) => TEST_CONFIGURATION.test(name))) return;
    result.packages.push({ type: 'maven', name: `${group}:${artifact}`, version, path });
  });
  return result;
}

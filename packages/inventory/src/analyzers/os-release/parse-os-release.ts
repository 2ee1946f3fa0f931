import type { Distro } from '../../package.js';
import { parseAssignments } from './parse-assignments.js';

export interface ParsedDistro {
  /** Undefined when the file does not name a distribution. */
  distro: Distro | undefined;
  warnings: string[];
}

/** `etc/os-release` / `usr/lib/os-release`, per os-release(5). */
export function parseOsRelease(text: string): ParsedDistro {
  const { values, warnings } = parseAssignments(text);
  // os-release(5) says a missing ID means "linux": true, but useless for matching, so treat it as
  // no answer and let the fallback files speak.
  const id = values.get('ID')?.trim().toLowerCase();
  if (!id) return { distro: undefined, warnings: [...warnings, 'no ID in os-release'] };
  return {
    distro: {
      id,
      versionId: nonEmpty(values.get('VERSION_ID')),
      // Ubuntu wrote only UBUNTU_CODENAME before VERSION_CODENAME became common.
      codename: nonEmpty(values.get('VERSION_CODENAME')) ?? nonEmpty(values.get('UBUNTU_CODENAME')),
      prettyName: nonEmpty(values.get('PRETTY_NAME')),
    },
    warnings,
  };
}

/** `etc/lsb-release`: the same shell syntax with DISTRIB_* keys (Ubuntu and derivatives). */
export function parseLsbRelease(text: string): ParsedDistro {
  const { values, warnings } = parseAssignments(text);
  const id = values.get('DISTRIB_ID')?.trim().toLowerCase();
  if (!id) return { distro: undefined, warnings: [...warnings, 'no DISTRIB_ID in lsb-release'] };
  return {
    distro: {
      id,
      versionId: nonEmpty(values.get('DISTRIB_RELEASE')),
      codename: nonEmpty(values.get('DISTRIB_CODENAME')),
      prettyName: nonEmpty(values.get('DISTRIB_DESCRIPTION')),
    },
    warnings,
  };
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

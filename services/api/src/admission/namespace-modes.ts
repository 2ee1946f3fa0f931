import type { AdmissionConfig } from '@customs/config';

export type AdmissionMode = AdmissionConfig['defaultMode'];

/**
 * The mode of each namespace: the most specific `admission.namespaces` glob that matches it (the
 * longest pattern, then the one with fewer wildcards), else `defaultMode`. `*` matches any run of
 * characters, `?` one; everything else matches itself.
 */
export function namespaceModes(config: Pick<AdmissionConfig, 'defaultMode' | 'namespaces'>) {
  const rules = Object.entries(config.namespaces)
    .map(([glob, mode]) => ({
      glob,
      mode,
      pattern: globPattern(glob),
      wildcards: glob.replace(/[^*?]/g, '').length,
    }))
    .sort((a, b) => b.glob.length - a.glob.length || a.wildcards - b.wildcards);
  return (namespace: string): AdmissionMode =>
    rules.find((rule) => rule.pattern.test(namespace))?.mode ?? config.defaultMode;
}

function globPattern(glob: string): RegExp {
  const body = [...glob]
    .map((character) =>
      character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

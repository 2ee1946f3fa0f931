import { isCustomsError, type CustomsError } from '@customs/errors';
import type { ParsedVersion, VersionScheme } from '@customs/versions';

/** Per scheme; past this many distinct strings the memo starts over, so memory stays bounded. */
const MAX_REMEMBERED = 100_000;

const wrappers = new WeakMap<VersionScheme, VersionScheme>();

/**
 * The scheme with `parse` remembered. Parsed versions are immutable, and a lookup for one inventory
 * parses the same range versions over and over (the same `fixed` in every release's entry, the same
 * installed version against each advisory), so matching spends most of its parse time on repeats.
 * Failures are remembered too: an unparseable string is reported each time without parsing again.
 */
export function memoizedScheme(scheme: VersionScheme): VersionScheme {
  let wrapper = wrappers.get(scheme);
  if (!wrapper) {
    wrapper = wrap(scheme);
    wrappers.set(scheme, wrapper);
  }
  return wrapper;
}

function wrap(scheme: VersionScheme): VersionScheme {
  const remembered = new Map<string, ParsedVersion | CustomsError>();
  const parse = (version: string): ParsedVersion => {
    let result = remembered.get(version);
    if (result === undefined) {
      try {
        result = scheme.parse(version);
      } catch (error) {
        if (!isCustomsError(error)) throw error;
        result = error;
      }
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(version, result);
    }
    if (isCustomsError(result)) throw result;
    return result;
  };
  const resolve = (value: string | ParsedVersion): ParsedVersion =>
    typeof value === 'string' ? parse(value) : value;
  return {
    ...scheme,
    parse,
    isValid: (version) => {
      try {
        parse(version);
        return scheme.isValid(version);
      } catch {
        return false;
      }
    },
    compare: (a, b) => scheme.compare(resolve(a), resolve(b)),
  };
}

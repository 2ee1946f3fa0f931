import { InvalidOptionError } from '@customs/errors/customs-error';
import type { Comparison, ParsedVersion, VersionScheme } from './scheme.js';

/**
 * A comparison operator as apk-tools writes them: any mix of `<`, `>`, `=` (the results it
 * accepts), `~` for apk's fuzzy prefix match (which also accepts equality), and a leading `!`
 * that negates the whole ("!~", "!="). So `<=`, `>=`, `!=`, `==`, `~`, `<~`, `>~` all work.
 */
export interface Relation {
  accepts: ReadonlySet<Comparison>;
  fuzzy: boolean;
  negated: boolean;
}

/** Reads an operator; null when it is not one. */
export function parseRelation(operator: string): Relation | null {
  const match = /^(!?)([<>=~]+)$/.exec(operator);
  if (!match) return null;
  const [, bang = '', symbols = ''] = match;
  const accepts = new Set<Comparison>();
  if (symbols.includes('<')) accepts.add(-1);
  if (symbols.includes('>')) accepts.add(1);
  if (symbols.includes('=') || symbols.includes('~')) accepts.add(0);
  return { accepts, fuzzy: symbols.includes('~'), negated: bang === '!' };
}

/** True when `a relation b` holds; fuzzy relations need a scheme with fuzzy matching (apk). */
export function relationHolds(
  scheme: VersionScheme,
  a: string | ParsedVersion,
  relation: Relation,
  b: string | ParsedVersion,
): boolean {
  let result: Comparison;
  if (relation.fuzzy) {
    if (!scheme.compareFuzzy) {
      throw new InvalidOptionError('~', `fuzzy matching is defined only for apk, not ${scheme.ecosystem}`);
    }
    result = scheme.compareFuzzy(a, b);
  } else {
    result = scheme.compare(a, b);
  }
  return relation.accepts.has(result) !== relation.negated;
}

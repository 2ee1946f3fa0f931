import type { RatedSeverity } from '@customs/model';

/** One candidate a rule found: where it starts in the text and the secret itself (never stored). */
export interface RawMatch {
  index: number;
  secret: string;
}

/**
 * One kind of credential. `keywords` are literal strings one of which must occur in a file (any case)
 * before `find` runs: the pre-filter that keeps most files away from the precise patterns.
 */
export interface SecretRule {
  id: string;
  title: string;
  severity: RatedSeverity;
  keywords: readonly string[];
  /** Only files whose path this accepts (credential files); every file when absent. */
  appliesTo?(path: string): boolean;
  find(text: string, path: string): RawMatch[];
}

export interface RegexRuleSpec extends Omit<SecretRule, 'find'> {
  /** Global; the named group `secret` is the secret, else the whole match. */
  pattern: RegExp;
  /** A checksum or structure check: false drops the candidate. */
  validate?(secret: string, match: RegExpExecArray): boolean;
}

/** A rule whose candidates are the matches of one regular expression, each optionally validated. */
export function regexRule(spec: RegexRuleSpec): SecretRule {
  const { pattern, validate, ...rule } = spec;
  if (!pattern.global) throw new RangeError(`rule ${spec.id}: the pattern must be global`);
  return {
    ...rule,
    find(text) {
      const found: RawMatch[] = [];
      for (const match of text.matchAll(pattern)) {
        const secret = match.groups?.secret ?? match[0];
        if (validate && !validate(secret, match)) continue;
        const offset = match[0].indexOf(secret);
        found.push({ index: (match.index ?? 0) + Math.max(offset, 0), secret });
      }
      return found;
    },
  };
}

/** The last segment of a path: `home/u/.npmrc` → `.npmrc`. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

import type { SecretRule } from './rule.js';

/**
 * One case-insensitive search for every rule's keywords at once: a file none of them occurs in (most
 * files) costs one pass of the regular-expression engine and no rule runs on it. Rules for credential
 * files (`.npmrc`, `.env`, …) are chosen by path instead: their keywords (`=`) are everywhere.
 */
export class Prefilter {
  readonly #rules: readonly SecretRule[];
  readonly #search: RegExp | null;
  readonly #keywordCount: number;

  constructor(rules: readonly SecretRule[]) {
    this.#rules = rules;
    const general = rules.filter((rule) => !rule.appliesTo);
    const keywords = [
      ...new Set(general.flatMap((rule) => rule.keywords.map((keyword) => keyword.toLowerCase()))),
    ];
    this.#keywordCount = keywords.length;
    // Longest first, so a keyword that begins another one does not hide it.
    keywords.sort((a, b) => b.length - a.length);
    this.#search = keywords.length ? new RegExp(keywords.map(escapeRegExp).join('|'), 'gi') : null;
  }

  /** The rules worth running on this file, in list order: its path's rules, and those whose keywords occur. */
  candidates(path: string, text: string): SecretRule[] {
    const seen = new Set<string>();
    for (const match of this.#search ? text.matchAll(this.#search) : []) {
      seen.add(match[0].toLowerCase());
      if (seen.size === this.#keywordCount) break;
    }
    return this.#rules.filter((rule) =>
      rule.appliesTo
        ? rule.appliesTo(path)
        : rule.keywords.some((keyword) => seen.has(keyword.toLowerCase())),
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The finding vocabulary is @customs/model's; it stays importable from here for existing callers.
export { SEVERITIES } from '@customs/model';
export type { CoveredPackage, Cvss, Finding, Severity, UnmatchedPackage } from '@customs/model';
export { matchInventory } from './match-inventory.js';
export type { MatchableInventory, MatchOptions, MatchResult } from './match-inventory.js';

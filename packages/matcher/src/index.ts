export { SEVERITIES } from './finding.js';
export type { CoveredPackage, Cvss, Finding, Severity, UnmatchedPackage } from './finding.js';
export { matchInventory } from './match-inventory.js';
export type { MatchableInventory, MatchOptions, MatchResult } from './match-inventory.js';

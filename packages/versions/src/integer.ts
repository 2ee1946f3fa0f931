import type { Comparison } from './scheme.js';

/** An exact non-negative integer: a number while it is safe, a bigint beyond (JS compares the two exactly). */
export type Integer = number | bigint;

const SAFE_DIGITS = 15;

/**
 * Reads a run of ASCII digits exactly. Version numbers can exceed 2^53 (dates with times, OSV's own
 * test vectors use 30 digits), and a rounded number would make distinct versions compare equal.
 */
export function integerFromDigits(digits: string): Integer {
  if (digits.length <= SAFE_DIGITS) return Number(digits);
  const big = BigInt(digits);
  // Keeps one representation per value, so `===` stays a valid equality test.
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

export function compareIntegers(a: Integer, b: Integer): Comparison {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Byte-wise (code unit) string order, as C's strcmp and Ruby's <=> give for ASCII. */
export function compareStrings(a: string, b: string): Comparison {
  return a < b ? -1 : a > b ? 1 : 0;
}

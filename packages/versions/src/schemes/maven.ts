import { compareIntegers, compareStrings, integerFromDigits, type Integer } from '../integer.js';
import { defineScheme, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';

/**
 * Maven: org.apache.maven.artifact.versioning.ComparableVersion as Maven 3.8.6 implements it (the
 * release OSV's generated vectors were sorted with), plus the "release" alias of later releases.
 * A version is a list of items split at `.`, `-` and digit/letter transitions; `-` and transitions
 * open a sub-list. Qualifiers order
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < other (lexical);
 * `a1`/`b1`/`m1` abbreviate alpha/beta/milestone. Trailing zeros and empty qualifiers are dropped
 * (1.0.0 = 1 = 1-ga), and, as the Maven version order specification says, at each hyphen: so
 * "1-ga-1" = "1-1", which ComparableVersion itself orders apart. Maven 3.8.7+ (MNG-7644) reads a
 * qualifier after a dot ("1.0.0.RC8") like one after a hyphen and so orders a few such versions
 * differently; OSV follows 3.8.6.
 */

type Item = NumberItem | StringItem | ListItem;

interface NumberItem {
  kind: 'number';
  value: Integer;
}

interface StringItem {
  kind: 'string';
  value: string;
  /** Maven's comparableQualifier: known qualifiers as their index, others after them, lexically. */
  rank: string;
}

interface ListItem {
  kind: 'list';
  items: Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_RANK = String(QUALIFIERS.indexOf(''));
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['ga', ''],
  ['final', ''],
  ['release', ''],
  ['cr', 'rc'],
]);
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['a', 'alpha'],
  ['b', 'beta'],
  ['m', 'milestone'],
]);

function numberItem(digits: string): NumberItem {
  return { kind: 'number', value: integerFromDigits(digits === '' ? '0' : digits) };
}

function stringItem(text: string, followedByDigit: boolean): StringItem {
  const expanded = (followedByDigit && ABBREVIATIONS.get(text)) || text;
  const value = ALIASES.get(expanded) ?? expanded;
  const index = QUALIFIERS.indexOf(value);
  return { kind: 'string', value, rank: index === -1 ? `${QUALIFIERS.length}-${value}` : String(index) };
}

function parseItem(digit: boolean, text: string): Item {
  return digit ? numberItem(text) : stringItem(text, false);
}

function isNull(item: Item): boolean {
  switch (item.kind) {
    case 'number':
      return item.value === 0;
    case 'string':
      return item.rank === RELEASE_RANK;
    case 'list':
      return item.items.length === 0;
  }
}

/**
 * Drops trailing null items (0, "", empty lists), looking through trailing sub-lists. A list left
 * holding only its sub-list takes that sub-list's items: the null section between two hyphens is
 * gone, as the Maven version order specification trims nulls "at each remaining hyphen"
 * ("1-ga-1" = "1-0-1" = "1-1"), where ComparableVersion keeps an empty level and orders them apart.
 */
function normalize(list: ListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (!item) continue;
    if (isNull(item)) items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
  const [only] = items;
  if (items.length === 1 && only?.kind === 'list') list.items = only.items;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** ComparableVersion.parseVersion, step for step. */
function parseItems(input: string): ListItem {
  const version = input.toLowerCase();
  const root: ListItem = { kind: 'list', items: [] };
  const lists = [root];
  let list = root;
  let digit = false;
  let start = 0;
  const openList = (): void => {
    const child: ListItem = { kind: 'list', items: [] };
    list.items.push(child);
    lists.push(child);
    list = child;
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i] ?? '';
    if (c === '.' || c === '-') {
      list.items.push(i === start ? numberItem('0') : parseItem(digit, version.slice(start, i)));
      start = i + 1;
      if (c === '-') openList();
    } else if (isDigit(c)) {
      if (!digit && i > start) {
        // Letters then digits: "a1" is "alpha-1".
        list.items.push(stringItem(version.slice(start, i), true));
        start = i;
        openList();
      }
      digit = true;
    } else {
      if (digit && i > start) {
        list.items.push(parseItem(true, version.slice(start, i)));
        start = i;
        openList();
      }
      digit = false;
    }
  }
  if (version.length > start) {
    list.items.push(parseItem(digit, version.slice(start)));
  }
  for (let i = lists.length - 1; i >= 0; i--) {
    const pending = lists[i];
    if (pending) normalize(pending);
  }
  return root;
}

/** Item.compareTo(null): how an item compares with a missing one ("1.0" = "1", "1-rc" < "1"). */
function compareWithNothing(item: Item): Comparison {
  switch (item.kind) {
    case 'number':
      return item.value === 0 ? 0 : 1;
    case 'string':
      return compareStrings(item.rank, RELEASE_RANK);
    case 'list':
      for (const child of item.items) {
        const result = compareWithNothing(child);
        if (result !== 0) return result;
      }
      return 0;
  }
}

function compareItems(a: Item, b: Item): Comparison {
  switch (a.kind) {
    case 'number':
      return b.kind === 'number' ? compareIntegers(a.value, b.value) : 1;
    case 'string':
      return b.kind === 'string' ? compareStrings(a.rank, b.rank) : -1;
    case 'list':
      if (b.kind === 'list') return compareLists(a.items, b.items);
      return b.kind === 'number' ? -1 : 1;
  }
}

function compareLists(a: readonly Item[], b: readonly Item[]): Comparison {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    const result = x
      ? y
        ? compareItems(x, y)
        : compareWithNothing(x)
      : y
        ? negate(compareWithNothing(y))
        : 0;
    if (result !== 0) return result;
  }
  return 0;
}

function negate(value: Comparison): Comparison {
  return value === 0 ? 0 : value === 1 ? -1 : 1;
}

export class MavenVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    readonly items: ListItem,
  ) {}
}

function parseMaven(input: string): MavenVersion | string {
  if (input === '') return 'version string is empty';
  if (/\s/.test(input)) return 'version string contains whitespace';
  return new MavenVersion(input, parseItems(input));
}

export const mavenDefinition: SchemeDefinition<MavenVersion> = {
  id: 'maven',
  parse: parseMaven,
  owns: (value): value is MavenVersion => value instanceof MavenVersion,
  compare: (a, b) => compareLists(a.items.items, b.items.items),
};

export const maven = defineScheme(mavenDefinition);

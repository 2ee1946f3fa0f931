import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** test/fixtures/versions, reached from packages/versions/dist/testing/. */
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/versions/', import.meta.url));

export interface VectorLine {
  /** 1-based line number in the file. */
  line: number;
  /** The words of the line, comments removed: [a, op, b] or [version] for apk validity lines. */
  words: string[];
  text: string;
}

export function readFixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

/** The data lines of a vector file: blank lines and `#` / `//` comments (whole-line or trailing `#`) skipped. */
export function readVectorLines(name: string): VectorLine[] {
  return readFixture(name)
    .split('\n')
    .map((text, index) => ({
      line: index + 1,
      text,
      words: text
        .replace(/(^|\s)#.*$/, '')
        .trim()
        .split(/\s+/),
    }))
    .filter(({ text, words }) => !text.startsWith('//') && words[0] !== '');
}

export const EXPECTED: Readonly<Record<string, -1 | 0 | 1>> = { '<': -1, '=': 0, '>': 1 };

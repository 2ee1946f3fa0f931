import assert from 'node:assert/strict';
import test from 'node:test';
import { CustomsError, isCustomsError } from '@customs/errors';
import type { EntryInfo } from '@customs/layers';
import { FileSet } from '../file-set.js';
import type { FoundPackage } from '../package.js';
import { parserAnalyzer, unreadable, type Parser, type ParserInput } from './parser-analyzer.js';

const context = { isLanguagePath: () => false };
const regular: EntryInfo = { size: 100, mode: 0o644, kind: 'file' };
const symlink: EntryInfo = { size: 0, mode: 0o777, kind: 'symlink' };

const file = (path: string, text: string) => ({ path, data: Buffer.from(text), mode: 0o644 });
const pkg = (name: string, path: string): FoundPackage => ({ type: 'npm', name, version: '1.0.0', path });

/** Synthetic format: one package name per line of a `*.list` file. */
const listAnalyzer = (parse: Parser) =>
  parserAnalyzer({ id: 'list', version: 3, match: (path) => path.endsWith('.list'), parse });

const names = (input: ParserInput) =>
  input
    .text()
    .split('\n')
    .filter(Boolean)
    .map((name) => pkg(name, input.path));

test('required asks for what match accepts and companions, never for a symlink', () => {
  const analyzer = parserAnalyzer({
    id: 'pair',
    version: 2,
    match: (path, info) => path.endsWith('.lock') && info.size < 1000,
    companion: (path) => path.endsWith('.sum'),
    parse: () => null,
  });
  assert.equal(analyzer.required('app/x.lock', regular), true);
  assert.equal(
    analyzer.required('app/x.lock', { ...regular, size: 5000 }),
    false,
    'match sees the entry info',
  );
  assert.equal(analyzer.required('app/x.sum', regular), true);
  assert.equal(analyzer.required('app/x.txt', regular), false);
  assert.equal(analyzer.required('app/x.lock', symlink), false);
  assert.equal(analyzer.required('app/x.sum', symlink), false);
  assert.deepEqual(
    { id: analyzer.id, version: analyzer.version, kind: analyzer.kind },
    { id: 'pair', version: 2, kind: 'language' },
  );
  assert.equal('perFile' in analyzer, false);
  assert.equal('maxFileSize' in analyzer, false);
});

test('perFile and maxFileSize reach the analyzer', () => {
  const analyzer = parserAnalyzer({
    id: 'big',
    version: 1,
    perFile: true,
    maxFileSize: 42,
    match: () => true,
    parse: () => null,
  });
  assert.equal(analyzer.perFile, true);
  assert.equal(analyzer.maxFileSize, 42);
});

test('each file is parsed once, in path order; a list or a ParsedFile both count, null adds nothing', async () => {
  const seen: string[] = [];
  const analyzer = listAnalyzer((input) => {
    seen.push(input.path);
    if (input.path.startsWith('empty')) return null;
    if (input.path.startsWith('b')) return { packages: names(input), warnings: [`${input.path}: odd`] };
    return names(input);
  });
  const result = await analyzer.analyze(
    new FileSet([
      file('c.list', 'gamma\n'),
      file('a.list', 'alpha\nbeta\n'),
      file('b.list', 'delta'),
      file('empty.list', 'x'),
    ]),
    context,
  );
  assert.deepEqual(seen, ['a.list', 'b.list', 'c.list', 'empty.list']);
  assert.deepEqual(
    result.packages.map((p) => `${p.path} ${p.name}`),
    ['a.list alpha', 'a.list beta', 'b.list delta', 'c.list gamma'],
  );
  assert.deepEqual(result.warnings, ['b.list: odd']);
});

test('companions are not parsed on their own, but the parser can read them', async () => {
  const parsed: string[] = [];
  const analyzer = parserAnalyzer({
    id: 'pair',
    version: 1,
    match: (path) => path.endsWith('.lock'),
    companion: (path) => path.endsWith('.sum'),
    parse: (input) => {
      parsed.push(input.path);
      const sum = input.files.text(input.path.replace(/\.lock$/, '.sum'));
      return [pkg(sum ?? 'no-sum', input.path)];
    },
  });
  const result = await analyzer.analyze(
    new FileSet([file('a/x.lock', ''), file('a/x.sum', 'from-sum'), file('b/y.lock', '')]),
    context,
  );
  assert.deepEqual(parsed, ['a/x.lock', 'b/y.lock']);
  assert.deepEqual(
    result.packages.map((p) => `${p.path} ${p.name}`),
    ['a/x.lock from-sum', 'b/y.lock no-sum'],
  );
});

test('a file that throws becomes one warning naming it and an unread record; the other files are still read', async () => {
  const analyzer = listAnalyzer((input) => {
    if (input.path === 'bad.list') throw new TypeError("Cannot read properties of undefined (reading 'x')");
    return names(input);
  });
  const result = await analyzer.analyze(
    new FileSet([file('bad.list', 'x'), file('good.list', 'ok')]),
    context,
  );
  assert.deepEqual(
    result.packages.map((p) => p.name),
    ['ok'],
  );
  const reason =
    "file bad.list: cannot read bad.list: unexpected parser failure: Cannot read properties of undefined (reading 'x') " +
    '(packages from this file are missing from the inventory; check that the file is not truncated or hand-edited)';
  assert.deepEqual(result.warnings, [reason]);
  assert.deepEqual(result.unread, [{ path: 'bad.list', code: 'PACKAGE_FILE_UNPARSEABLE', reason }]);
});

test("a parser's own CustomsError is reported as it is, and given the file's path when it lacks one", async () => {
  const analyzer = listAnalyzer((input) => {
    if (input.path === 'a.list') {
      throw new CustomsError('NPM_FILE_INVALID', 'line 3 is garbage', { context: { path: 'a.list' } });
    }
    throw new CustomsError('NPM_FILE_INVALID', 'no header', { hint: 'write one' });
  });
  const result = await analyzer.analyze(new FileSet([file('a.list', ''), file('b.list', '')]), context);
  assert.deepEqual(result.warnings, ['file a.list: line 3 is garbage', 'file b.list: no header (write one)']);
});

test('warnings a parser reports with warn() come first, and stay when the parse then fails', async () => {
  const analyzer = listAnalyzer((input) => {
    input.warn(`${input.path}: companion is odd`);
    if (input.path === 'bad.list') throw new Error('boom');
    return { packages: [], warnings: [`${input.path}: own warning`] };
  });
  const result = await analyzer.analyze(new FileSet([file('bad.list', ''), file('good.list', '')]), context);
  assert.equal(result.warnings?.length, 4);
  assert.equal(result.warnings?.[0], 'bad.list: companion is odd');
  assert.match(
    result.warnings?.[1] ?? '',
    /^file bad\.list: cannot read bad\.list: unexpected parser failure: boom /,
  );
  assert.deepEqual(result.warnings?.slice(2), ['good.list: companion is odd', 'good.list: own warning']);
});

test('unreadable: anything thrown becomes a CustomsError carrying the path', () => {
  const wrapped = unreadable(new Error('boom'), 'app/x.lock');
  assert.ok(isCustomsError(wrapped, 'PACKAGE_FILE_UNPARSEABLE'));
  assert.equal(wrapped.context.path, 'app/x.lock');
  assert.ok(wrapped.cause instanceof Error);
  assert.ok(isCustomsError(unreadable('a string', 'p'), 'PACKAGE_FILE_UNPARSEABLE'));

  const own = new CustomsError('NPM_FILE_INVALID', 'not valid JSON', {
    context: { path: 'a/package-lock.json' },
  });
  assert.equal(unreadable(own, 'elsewhere'), own, 'a parser error that names its file is kept');
  const pathless = unreadable(new CustomsError('ELF_MALFORMED', 'truncated'), 'usr/bin/x');
  assert.ok(isCustomsError(pathless, 'ELF_MALFORMED'), 'the code is kept');
  assert.equal(pathless.context.path, 'usr/bin/x');
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseRpmHeader } from './parse-rpm-header.js';
import { readSqliteBlobs } from './parse-sqlite.js';
import { RpmDbError } from './rpmdb-error.js';
import { parseSourceRpm, toRpmPackage } from './rpm-package.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/rpm/', import.meta.url));

interface CurlGolden {
  Name: string;
  Version: string;
  Release: string;
  Arch: string;
  License: string;
  SourceRpm: string;
  BaseNames: string[];
  DirNames: string[];
  DirIndexes: number[];
}

test('curl header matches go-rpmdb golden, file list included (CBL-Mariner sqlite)', async () => {
  const curl = JSON.parse(
    readFileSync(fixtures + 'go-rpmdb-cbl-mariner-2.0-sqlite/curl.json', 'utf8'),
  ) as CurlGolden;
  const blobs = await readSqliteBlobs(
    readFileSync(fixtures + 'go-rpmdb-cbl-mariner-2.0-sqlite/rpmdb.sqlite'),
  );
  const header = blobs.map(parseRpmHeader).find((h) => h.name === 'curl');
  assert.deepEqual(header, {
    name: curl.Name,
    version: curl.Version,
    release: curl.Release,
    epoch: null,
    arch: curl.Arch,
    license: curl.License,
    sourceRpm: curl.SourceRpm,
    files: curl.BaseNames.map((base, i) =>
      `${curl.DirNames[curl.DirIndexes[i] ?? -1] ?? ''}${base}`.slice(1),
    ),
  });
  assert.deepEqual(header?.files, [
    'usr/bin/curl',
    'usr/bin/curl-config',
    'usr/share/licenses/curl',
    'usr/share/licenses/curl/COPYING',
    'usr/share/man/man1/curl-config.1.gz',
    'usr/share/man/man1/curl.1.gz',
  ]);
});

type Value = string | string[] | number[];
const TYPES = { INT32: 4, STRING: 6, STRING_ARRAY: 8 } as const;

/** Synthetic header blob in rpm's database layout (il, dl, index, data), for cases no fixture has. */
function header(entries: [tag: number, value: Value][]): Uint8Array {
  const index: Buffer[] = [];
  const data: Buffer[] = [];
  let offset = 0;
  for (const [tag, value] of entries) {
    const isInts = Array.isArray(value) && typeof value[0] === 'number';
    const bytes = isInts
      ? Buffer.concat(
          (value as number[]).map((n) => Buffer.from([n >>> 24, n >>> 16, n >>> 8, n].map((b) => b & 0xff))),
        )
      : Buffer.from(
          [value]
            .flat()
            .map((s) => `${s}\0`)
            .join(''),
        );
    const type = isInts ? TYPES.INT32 : Array.isArray(value) ? TYPES.STRING_ARRAY : TYPES.STRING;
    const count = Array.isArray(value) ? value.length : 1;
    const entry = Buffer.alloc(16);
    entry.writeInt32BE(tag, 0);
    entry.writeUInt32BE(type, 4);
    entry.writeInt32BE(offset, 8);
    entry.writeUInt32BE(count, 12);
    index.push(entry);
    data.push(bytes);
    offset += bytes.length;
  }
  const head = Buffer.alloc(8);
  head.writeUInt32BE(entries.length, 0);
  head.writeUInt32BE(offset, 4);
  return new Uint8Array(Buffer.concat([head, ...index, ...data]));
}

test('gpg-pubkey pseudo-packages are skipped on purpose (synthetic header of that shape)', () => {
  const key = parseRpmHeader(
    header([
      [1000, 'gpg-pubkey'],
      [1001, 'fd431d51'],
      [1002, '4ae0493b'],
      [1014, 'pubkey'],
    ]),
  );
  assert.deepEqual(toRpmPackage(key, 'var/lib/rpm/rpmdb.sqlite'), { skipped: 'gpg-pubkey' });
});

test('epoch 0 is printed when the tag exists; later entries (dribbles) replace earlier ones (synthetic)', () => {
  const parsed = parseRpmHeader(
    header([
      [1000, 'bash'],
      [1001, '5.1.8'],
      [1002, '6.el9'],
      [1003, [0]],
      [1022, 'x86_64'],
      [1044, 'bash-5.1.8-6.el9.src.rpm'],
      [1117, ['bash', 'sh']],
      [1118, ['/usr/bin/']],
      [1116, [0, 0]],
      [1022, 'aarch64'],
    ]),
  );
  assert.deepEqual(toRpmPackage(parsed, 'var/lib/rpm/rpmdb.sqlite'), {
    pkg: {
      type: 'rpm',
      name: 'bash',
      version: '0:5.1.8-6.el9',
      source: { name: 'bash', version: '0:5.1.8-6.el9' },
      arch: 'aarch64',
      path: 'var/lib/rpm/rpmdb.sqlite',
    },
  });
  assert.deepEqual(parsed.files, ['usr/bin/bash', 'usr/bin/sh']);
});

test('SOURCERPM names: dotted releases, nosrc, and names that are not rpm file names', () => {
  assert.deepEqual(parseSourceRpm('skelcd-bci-2021.05.14-150300.4.8.1.src.rpm'), {
    name: 'skelcd-bci',
    version: '2021.05.14-150300.4.8.1',
  });
  assert.deepEqual(parseSourceRpm('java-17-openjdk-17.0.9.0.9-2.el9.nosrc.rpm', '1:'), {
    name: 'java-17-openjdk',
    version: '1:17.0.9.0.9-2.el9',
  });
  assert.equal(parseSourceRpm('elasticsearch-8.17.0-1-src.rpm'), null);
  const odd = parseRpmHeader(
    header([
      [1000, 'elasticsearch'],
      [1001, '8.17.0'],
      [1002, '1'],
      [1044, 'elasticsearch-8.17.0-1-src.rpm'],
    ]),
  );
  assert.deepEqual(toRpmPackage(odd, 'x'), {
    pkg: { type: 'rpm', name: 'elasticsearch', version: '8.17.0-1', source: null, path: 'x' },
    warning:
      'package elasticsearch: SOURCERPM "elasticsearch-8.17.0-1-src.rpm" is not name-version-release.arch.rpm',
  });
});

test('malformed headers throw RpmDbError with code RPMDB_INVALID (synthetic)', () => {
  const valid = header([
    [1000, 'a'],
    [1001, '1'],
    [1002, '1'],
  ]);
  const cases: [string, Uint8Array][] = [
    ['too short', valid.subarray(0, 4)],
    ['truncated data', valid.subarray(0, valid.byteLength - 3)],
    [
      'no RELEASE',
      header([
        [1000, 'a'],
        [1001, '1'],
      ]),
    ],
    [
      'string offset past the data',
      (() => {
        const bad = Uint8Array.from(valid);
        new DataView(bad.buffer).setInt32(8 + 8, 1000);
        return bad;
      })(),
    ],
    [
      'DIRINDEXES past DIRNAMES',
      header([
        [1000, 'a'],
        [1001, '1'],
        [1002, '1'],
        [1117, ['x']],
        [1118, ['/']],
        [1116, [3]],
      ]),
    ],
  ];
  for (const [name, blob] of cases) {
    assert.throws(
      () => parseRpmHeader(blob),
      (error: unknown) => error instanceof RpmDbError && error.code === 'RPMDB_INVALID',
      name,
    );
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseGoMod } from './parse-go-mod.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/golang/', import.meta.url));
const read = (name: string) => readFileSync(fixtures + name, 'utf8');
const ids = (text: string, path = 'go.mod', goSum?: string) =>
  parseGoMod(text, path, goSum).packages.map((p) => `${p.name}@${p.version}`);
/** A golden target with the go.sum beside it, as the go-mod analyzer pairs them. */
const target = (dir: string) => ids(read(`${dir}go.mod`), `${dir}go.mod`, read(`${dir}go.sum`));

interface GoldenResult {
  Target: string;
  Vulnerabilities?: Array<{ PkgName: string; InstalledVersion: string }>;
}

test('Trivy gomod golden: every module, direct and indirect; the main module is not a dependency', () => {
  // go 1.17: go.mod is complete and its 129 KB go.sum adds nothing.
  assert.deepEqual(target('trivy-gomod/'), [
    'github.com/open-policy-agent/opa@v0.35.0',
    'golang.org/x/net@v0.0.0-20211111083644-e5c967477495',
    'golang.org/x/sys@v0.0.0-20211205182925-97ca703d548d',
    'github.com/docker/distribution@v2.7.1+incompatible',
    'github.com/docker/docker@v20.10.11+incompatible',
    'github.com/docker/go-connections@v0.4.0',
    'github.com/docker/go-units@v0.4.0',
    'go.opencensus.io@v0.23.0',
    'go4.org/intern@v0.0.0-20211027215823-ae77deb06f29',
    'go4.org/unsafe/assume-no-moving-gc@v0.0.0-20211027215541-db492cf91b37',
    'golang.org/x/crypto@v0.0.0-20201002170205-7f63de1d35b0',
    'golang.org/x/text@v0.3.6',
    'golang.org/x/time@v0.0.0-20210723032227-1f47c861a9ac',
    'google.golang.org/genproto@v0.0.0-20210602131652-f16073e35f0c',
    'google.golang.org/grpc@v1.38.0',
    'google.golang.org/protobuf@v1.27.1',
    'gopkg.in/yaml.v2@v2.4.0',
    'gopkg.in/yaml.v3@v3.0.0-20210107192922-496545a6307b',
  ]);
});

test('Trivy gomod golden: each vulnerable package Trivy reports is found with the same name and version', () => {
  const golden = JSON.parse(read('trivy-gomod/expected.trivy.json.golden')) as { Results: GoldenResult[] };
  assert.deepEqual(
    golden.Results.map((result) => result.Target),
    ['go.mod', 'submod/go.mod', 'submod2/go.mod'],
  );
  for (const result of golden.Results) {
    const found = new Set(target(`trivy-gomod/${result.Target.replace(/go\.mod$/, '')}`));
    const expected = (result.Vulnerabilities ?? []).map((v) => `${v.PkgName}@${v.InstalledVersion}`);
    assert.ok(expected.length > 0);
    for (const id of expected) assert.ok(found.has(id), `${result.Target}: ${id}`);
  }
});

test('Trivy gomod golden: a go 1.15 go.mod is completed from the source entries of its go.sum', () => {
  // submod declares docker/distribution itself; go.sum adds what its build downloaded.
  assert.deepEqual(target('trivy-gomod/submod/'), [
    'github.com/docker/distribution@v2.7.1+incompatible',
    'github.com/pmezard/go-difflib@v1.0.0',
    'github.com/stretchr/testify@v1.7.0',
    'gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405',
    'gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c',
  ]);
  // submod2 reaches docker/distribution only through go.sum (three versions listed, one with source).
  assert.deepEqual(target('trivy-gomod/submod2/'), [
    'github.com/davecgh/go-spew@v1.1.0',
    'github.com/pmezard/go-difflib@v1.0.0',
    'github.com/stretchr/testify@v1.7.0',
    'gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405',
    'gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c',
    'github.com/docker/distribution@v2.7.1+incompatible',
  ]);
  assert.deepEqual(
    ids(read('trivy-gomod/submod2/go.mod')),
    ['github.com/davecgh/go-spew@v1.1.0'],
    'without go.sum',
  );
});

test('Trivy replaced.go.mod: an unversioned replace by another module version reports the replacement', () => {
  assert.deepEqual(ids(read('trivy-mod-parser/replaced.go.mod')), [
    'github.com/aquasecurity/go-dep-parser@v0.0.0-20220406074731-71021a481237',
    'golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1',
  ]);
});

test('replace, exclude, quoting and comments (synthetic go.mod covering the grammar)', () => {
  const text = [
    'module example.com/app // the main module',
    '',
    'go 1.21',
    'toolchain go1.21.5',
    '',
    'require "example.com/quoted" v1.0.0',
    'require (',
    '\texample.com/a v1.0.0',
    '\texample.com/b v1.2.0 // indirect',
    '\texample.com/c v0.1.0',
    '\t`example.com/d` v2.0.0+incompatible',
    '\texample.com/e v1.0.0',
    ')',
    '',
    'replace example.com/a v1.0.0 => example.com/a-fork v1.0.1',
    'replace example.com/a v0.9.0 => example.com/never v9.9.9',
    'replace (',
    '\texample.com/c => ../c',
    '\texample.com/e => /abs/e',
    ')',
    'exclude example.com/b v1.2.0',
    'retract [v0.1.0, v0.2.0]',
  ].join('\n');
  const result = parseGoMod(text, 'src/app/go.mod');
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version}`),
    [
      'example.com/quoted@v1.0.0',
      'example.com/a-fork@v1.0.1',
      'example.com/b@v1.2.0',
      'example.com/d@v2.0.0+incompatible',
    ],
  );
  assert.ok(result.packages.every((p) => p.type === 'golang' && p.path === 'src/app/go.mod'));
  assert.deepEqual(result.warnings, [
    'src/app/go.mod: requires example.com/b v1.2.0, which it also excludes; reporting v1.2.0',
  ]);
});

test('malformed lines become warnings, the rest is still read', () => {
  const result = parseGoMod(
    'module m\nrequire (\n\texample.com/a\n\texample.com/b v1.0.0\n\t"unterminated v1\n)\nreplace x =>\n',
    'go.mod',
  );
  assert.deepEqual(ids('module m\nrequire (\n\texample.com/a\n\texample.com/b v1.0.0\n)\n'), [
    'example.com/b@v1.0.0',
  ]);
  assert.deepEqual(
    result.packages.map((p) => p.name),
    ['example.com/b'],
  );
  assert.deepEqual(result.warnings, [
    'go.mod:5: unterminated quoted string, line skipped',
    'go.mod:3: malformed require "example.com/a" skipped',
    'go.mod:7: malformed replace "x =>" skipped',
  ]);
});

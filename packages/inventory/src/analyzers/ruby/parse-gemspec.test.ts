import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parseGemspec } from './parse-gemspec.js';

const debian = (name: string) =>
  readFileSync(
    fileURLToPath(
      new URL(`../../../../../test/fixtures/ruby/debian/specifications/${name}`, import.meta.url),
    ),
    'utf8',
  );

test('real gemspecs from Debian packages: name, version and licenses', () => {
  const rack = 'usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec';
  assert.deepEqual(parseGemspec(debian('rack-2.2.22.gemspec'), rack), {
    type: 'gem',
    name: 'rack',
    version: '2.2.22',
    licenses: ['MIT'],
    path: rack,
  });
  const ftp = parseGemspec(debian('net-ftp-0.1.3.gemspec'), 'x');
  assert.deepEqual([ftp.name, ftp.version, ftp.licenses], ['net-ftp', '0.1.3', ['Ruby', 'BSD-2-Clause']]);
  const bigdecimal = parseGemspec(debian('default/bigdecimal-3.1.1.gemspec'), 'x');
  assert.deepEqual(
    [bigdecimal.name, bigdecimal.version, bigdecimal.licenses],
    ['bigdecimal', '3.1.1', ['Ruby']],
  );
});

test('other literal forms: another block variable, Gem::Version.new, single quotes, %q, one license (synthetic)', () => {
  const spec = [
    'Gem::Specification.new do |spec|',
    '  spec.name = %q{old-gem}',
    '  spec.version = Gem::Version.new("1.2.3".freeze)',
    "  spec.license = 'Apache-2.0'.freeze",
    '  spec.add_dependency(%q<rake>.freeze, [">= 0"])',
    'end',
  ].join('\n');
  assert.deepEqual(parseGemspec(spec, 'p'), {
    type: 'gem',
    name: 'old-gem',
    version: '1.2.3',
    licenses: ['Apache-2.0'],
    path: 'p',
  });
  const noLicense = parseGemspec(
    'Gem::Specification.new do |s|\n  s.name = "x"\n  s.version = "0.1"\nend\n',
    'p',
  );
  assert.equal(noLicense.licenses, undefined);
});

test('a gemspec without a literal name or version raises RUBY_FILE_INVALID', () => {
  const computed = 'Gem::Specification.new do |s|\n  s.name = "x"\n  s.version = X::VERSION\nend\n';
  assert.throws(
    () => parseGemspec(computed, 'specifications/x.gemspec'),
    (error) => isCustomsError(error, 'RUBY_FILE_INVALID') && /no literal version/.test(error.message),
  );
  assert.throws(
    () => parseGemspec('puts 1', 'p'),
    (error) => isCustomsError(error, 'RUBY_FILE_INVALID'),
  );
});

import assert from 'node:assert/strict';
import test from 'node:test';
import type { EntryInfo } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { gemfileLock, rubyGemspec } from './index.js';

const file: EntryInfo = { size: 2000, mode: 0o644, kind: 'file' };

test('ruby-gemspec asks for installed specifications, default gems included', () => {
  const wanted = [
    'usr/local/bundle/specifications/rack-3.0.8.gemspec',
    'usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec',
    'usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec',
    'var/lib/gems/3.1.0/specifications/nokogiri-1.15.0-x86_64-linux.gemspec',
  ];
  for (const path of wanted) assert.equal(rubyGemspec.required(path, file), true, path);
  assert.equal(
    rubyGemspec.required('src/app/myapp.gemspec', file),
    false,
    'a project gemspec is a build recipe',
  );
  assert.equal(rubyGemspec.required('usr/local/bundle/gems/rack-3.0.8/rack.gemspec', file), false);
  assert.equal(
    rubyGemspec.required('usr/local/bundle/specifications/a.gemspec', { ...file, kind: 'symlink' }),
    false,
  );
});

test('gemfile-lock asks for Gemfile.lock files', () => {
  assert.equal(gemfileLock.required('app/Gemfile.lock', file), true);
  assert.equal(gemfileLock.required('app/Gemfile', file), false);
  assert.equal(gemfileLock.required('app/gems.locked', file), false);
});

test('one unreadable gemspec is a warning; the others in the layer are still reported', async () => {
  const spec = (name: string, body: string) => ({
    path: `usr/local/bundle/specifications/${name}`,
    data: Buffer.from(body),
    mode: 0o644,
  });
  const result = await rubyGemspec.analyze(
    new FileSet([
      spec('a-1.0.gemspec', 'Gem::Specification.new do |s|\n  s.name = "a"\n  s.version = "1.0"\nend\n'),
      spec('b.gemspec', 'garbage'),
    ]),
    { isLanguagePath: () => false },
  );
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version}`),
    ['a@1.0'],
  );
  assert.equal(result.warnings?.length, 1);
  assert.match(
    result.warnings?.[0] ?? '',
    /b\.gemspec: cannot read .*b\.gemspec: no `Gem::Specification\.new do \|s\|` block/,
  );
});

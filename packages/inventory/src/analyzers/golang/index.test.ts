import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EntryInfo } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { goBinary, goMod } from './index.js';

const context = { isLanguagePath: () => false };
const file = (size: number, mode = 0o755): EntryInfo => ({ size, mode, kind: 'file' });

test('go-binary asks for executables of plausible size outside documentation trees', () => {
  const MiB = 1024 * 1024;
  const wanted = (path: string, info: EntryInfo) => goBinary.required(path, info);
  assert.equal(wanted('usr/bin/docker-registry', file(20 * MiB)), true);
  assert.equal(wanted('usr/local/bin/app', { size: 5 * MiB, mode: 0o700, kind: 'hardlink' }), true);
  assert.equal(wanted('usr/share/grafana/bin/grafana-server', file(90 * MiB)), true);
  assert.equal(wanted('usr/lib/x86_64-linux-gnu/libfoo.so.1', file(MiB)), true);
  assert.equal(wanted('usr/bin/app', file(5 * MiB, 0o644)), false, 'no executable bit');
  assert.equal(wanted('usr/bin/app', { size: 5 * MiB, mode: 0o777, kind: 'symlink' }), false);
  assert.equal(wanted('usr/bin/tiny', file(1000)), false, 'too small for a linked program');
  assert.equal(wanted('opt/huge', file(300 * MiB)), false, 'larger than the per-binary cap');
  assert.equal(wanted('usr/bin/script.sh', file(MiB)), false);
  assert.equal(wanted('usr/lib/python3/dist-packages/x.py', file(MiB)), false);
  assert.equal(wanted('usr/share/doc/pkg/copyright', file(MiB)), false);
  assert.equal(wanted('etc/init.d/service', file(MiB)), false);
  assert.equal(goBinary.perFile, true);
});

test('go-mod asks for go.mod and go.sum files outside the module cache and vendor trees', () => {
  const info = file(2000, 0o644);
  assert.equal(goMod.required('src/app/go.mod', info), true);
  assert.equal(goMod.required('go.mod', info), true);
  assert.equal(goMod.required('root/go/pkg/mod/github.com/a/b@v1.0.0/go.mod', info), false);
  assert.equal(goMod.required('src/app/vendor/github.com/a/b/go.mod', info), false);
  assert.equal(goMod.required('src/app/go.sum', info), true);
  assert.equal(goMod.required('src/app/ago.mod', info), false);
  assert.equal(goMod.required('src/app/go.mod', { ...info, kind: 'symlink' }), false);
});

test('go-binary analyses one binary per call and turns unreadable files into warnings', async () => {
  const data = readFileSync(
    fileURLToPath(new URL('../../../../../test/fixtures/golang/gopath-hello', import.meta.url)),
  );
  const ok = await goBinary.analyze(new FileSet([{ path: 'usr/bin/hello', data, mode: 0o755 }]), context);
  assert.deepEqual(ok, {
    packages: [{ type: 'golang', name: 'stdlib', version: 'v1.19.8', path: 'usr/bin/hello' }],
    warnings: [],
  });
  const truncated = await goBinary.analyze(
    new FileSet([{ path: 'usr/bin/cut', data: data.subarray(0, 40), mode: 0o755 }]),
    context,
  );
  assert.deepEqual(truncated.packages, []);
  assert.equal(truncated.warnings?.length, 1);
  assert.match(truncated.warnings?.[0] ?? '', /^usr\/bin\/cut: malformed ELF file/);
});

test('go-mod pairs each go.mod with the go.sum in its directory', async () => {
  const file = (path: string, text: string) => ({ path, data: Buffer.from(text), mode: 0o644 });
  const result = await goMod.analyze(
    new FileSet([
      file('old/go.mod', 'module old\ngo 1.15\nrequire example.com/a v1.0.0\n'),
      file('old/go.sum', 'example.com/a v1.0.0 h1:x=\nexample.com/b v0.3.0 h1:y=\n'),
      file('new/go.mod', 'module new\ngo 1.21\nrequire example.com/c v1.0.0\n'),
      file('new/go.sum', 'example.com/c v1.0.0 h1:x=\nexample.com/test-only v1.0.0 h1:y=\n'),
    ]),
    context,
  );
  assert.deepEqual(
    result.packages.map((p) => `${p.path} ${p.name}@${p.version}`),
    ['new/go.mod example.com/c@v1.0.0', 'old/go.mod example.com/a@v1.0.0', 'old/go.mod example.com/b@v0.3.0'],
  );
  assert.deepEqual(result.warnings, []);
});

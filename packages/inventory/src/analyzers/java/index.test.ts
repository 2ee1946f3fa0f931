import assert from 'node:assert/strict';
import test from 'node:test';
import type { EntryInfo } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { gradleLockfile, javaArchive } from './index.js';

const file: EntryInfo = { size: 50_000, mode: 0o644, kind: 'file' };
const link: EntryInfo = { size: 0, mode: 0o777, kind: 'symlink' };

test('java-archive asks for Java archives by extension, never symlinks', () => {
  for (const path of [
    'usr/share/java/slf4j-api.jar',
    'opt/app.WAR',
    'srv/x.ear',
    'a/b.par',
    'var/jenkins/plugins/git.hpi',
    'p/x.jpi',
  ]) {
    assert.equal(javaArchive.required(path, file), true, path);
  }
  assert.equal(
    javaArchive.required('usr/share/maven-repo/org/slf4j/slf4j-api/1.7.32/slf4j-api-1.7.32.jar', link),
    false,
  );
  assert.equal(javaArchive.required('usr/share/java/readme.txt', file), false);
  assert.equal(javaArchive.required('usr/lib/jar', file), false);
  assert.equal(javaArchive.perFile, true);
});

test('gradle-lockfile asks for gradle.lockfile only', () => {
  assert.equal(gradleLockfile.required('src/app/gradle.lockfile', file), true);
  assert.equal(gradleLockfile.required('src/app/buildscript-gradle.lockfile', file), false);
  assert.equal(gradleLockfile.required('src/app/gradle.lockfile', link), false);
});

test('an unreadable archive becomes a warning; the next file is still read', async () => {
  const result = await javaArchive.analyze(
    new FileSet([{ path: 'lib/broken.jar', data: Buffer.from('nope'), mode: 0o644 }]),
    { isLanguagePath: () => false },
  );
  assert.deepEqual(result.packages, []);
  assert.match(
    result.warnings?.[0] ?? '',
    /^file lib\/broken\.jar: cannot read lib\/broken\.jar: not a readable zip archive/,
  );
});

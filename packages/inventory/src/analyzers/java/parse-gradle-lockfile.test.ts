import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseGradleLockfile } from './parse-gradle-lockfile.js';

const happy = readFileSync(
  fileURLToPath(new URL('../../../../../test/fixtures/java/trivy-gradle/happy.lockfile', import.meta.url)),
  'utf8',
);

test("Trivy's gradle.lockfile: comments, indentation and empty= skipped; test-only modules left out", () => {
  const result = parseGradleLockfile(happy, 'app/gradle.lockfile');
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version}`),
    [
      // testRuntimeClasspath and the buildscript's classpath: used outside tests too
      'cglib:cglib-nodep@2.1.2',
      // junit:junit:4.13.2 is locked only in test configurations (Trivy reports it; we do not)
      'org.springframework:spring-asm@3.1.3.RELEASE',
      'org.springframework:spring-beans@5.0.5.RELEASE',
    ],
  );
  assert.ok(result.packages.every((p) => p.type === 'maven' && p.path === 'app/gradle.lockfile'));
  assert.deepEqual(result.warnings, []);
});

test('lines that are not module locks become warnings (synthetic)', () => {
  const result = parseGradleLockfile(
    'g:a:1.0=runtimeClasspath\nnot a lock line\ng:b=compileClasspath\n',
    'x',
  );
  assert.deepEqual(
    result.packages.map((p) => p.name),
    ['g:a'],
  );
  assert.deepEqual(result.warnings, [
    'x:2: not a group:artifact:version=configurations line, skipped',
    'x:3: not a group:artifact:version=configurations line, skipped',
  ]);
});

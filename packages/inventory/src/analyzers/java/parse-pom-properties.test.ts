import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parsePomProperties } from './parse-pom-properties.js';

const syft = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../../../../test/fixtures/java/syft-pom/${name}`, import.meta.url)),
    'utf8',
  );

test("Syft's pom.properties inputs: = and : separators, blanks, extra keys, any key order", () => {
  const example = { groupId: 'org.anchore', artifactId: 'example-java-app-maven', version: '0.1.0' };
  assert.deepEqual(parsePomProperties(syft('small.pom.properties')), example);
  assert.deepEqual(parsePomProperties(syft('extra.pom.properties')), example);
  assert.deepEqual(parsePomProperties(syft('colon-delimited.pom.properties')), example);
  assert.deepEqual(parsePomProperties(syft('opensaml-core-3.4.6.pom.properties')), {
    groupId: 'org.opensaml',
    artifactId: 'opensaml-core',
    version: '3.4.6',
  });
});

test('continuation lines, comments and placeholders (synthetic)', () => {
  assert.deepEqual(
    parsePomProperties('! comment\r\ngroupId=org.\\\n  example\r\nartifactId lib\r\nversion=1.0\r\n'),
    {
      groupId: 'org.example',
      artifactId: 'lib',
      version: '1.0',
    },
  );
  assert.equal(parsePomProperties('groupId=g\nartifactId=a\nversion=${project.version}\n'), null);
  assert.equal(parsePomProperties('groupId=g\nartifactId=a\n'), null);
  assert.equal(parsePomProperties(''), null);
});

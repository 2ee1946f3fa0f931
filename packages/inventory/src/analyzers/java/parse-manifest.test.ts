import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { coordinatesFromManifest, parseManifest, splitFileName } from './parse-manifest.js';

const claircore = (name: string) =>
  readFileSync(
    fileURLToPath(
      new URL(`../../../../../test/fixtures/java/claircore-manifest/${name}.MANIFEST.MF`, import.meta.url),
    ),
    'utf8',
  );

test('reads the main section with continuation lines and case-insensitive names', () => {
  const manifest = parseManifest(claircore('commons-codec-1.9'));
  assert.equal(manifest.get('implementation-vendor-id'), 'org.apache');
  assert.equal(manifest.get('bundle-symbolicname'), 'org.apache.commons.codec');
  assert.equal(manifest.get('implementation-build'), 'tags/1.9-RC1@r1552874; 2013-12-20 22:56:50-0500');
  const wrapped = parseManifest(
    'Manifest-Version: 1.0\r\nexport-package: a.b,\r\n c.d\r\n\r\nName: x/\r\nSealed: true\r\n',
  );
  assert.equal(wrapped.get('export-package'), 'a.b,c.d');
  assert.equal(wrapped.has('sealed'), false, 'per-entry sections are not the main section');
});

/**
 * claircore's real manifests, named as their jars were. Each outcome is asserted, including the ones
 * the rules get wrong: the real coordinates are in the comments. A manifest has no groupId field,
 * so these are the limits of reading one without a Maven index (Trivy looks the jar's SHA-1 up in
 * its Java DB instead).
 */
test('coordinates guessed from claircore manifests and jar file names', () => {
  const cases: Array<[string, string | null]> = [
    ['HdrHistogram-2.1.9', 'org.hdrhistogram:HdrHistogram@2.1.9'],
    ['airline-0.8', 'io.airlift:airline@0.8'],
    ['apache-cassandra-4.0.0', null], // vendor "Apache" is no group id; real: org.apache.cassandra:cassandra-all
    ['caffeine-2.3.5', null], // only Bundle-SymbolicName com.github.ben-manes.caffeine (which is the group)
    ['chronicle-bytes-2.20.111', 'net.openhft:chronicle-bytes@2.20.111'],
    ['chronicle-queue-5.20.123', null], // only Bundle-SymbolicName net.openhft.chronicle-queue
    ['chronicle-wire-2.20.117', null], // only Bundle-SymbolicName net.openhft.chronicle-wire
    ['commons-codec-1.9', 'org.apache:commons-codec@1.9'], // wrong: commons-codec:commons-codec
    ['commons-math3-3.2', 'org.apache:commons-math3@3.2'], // wrong: org.apache.commons:commons-math3
    ['ecj-4.6.1', null], // real: org.eclipse.jdt:ecj
    ['guava-27.0-jre', null], // only Bundle-SymbolicName com.google.guava (which is the group)
    ['hppc-0.8.1', null], // only Bundle-SymbolicName com.carrotsearch.hppc (group com.carrotsearch)
  ];
  for (const [name, expected] of cases) {
    const coordinates = coordinatesFromManifest(parseManifest(claircore(name)), `usr/share/java/${name}.jar`);
    const actual =
      'missing' in coordinates
        ? null
        : `${coordinates.groupId}:${coordinates.artifactId}@${coordinates.version}`;
    assert.equal(actual, expected, name);
  }
});

test('says which coordinate is missing', () => {
  assert.deepEqual(coordinatesFromManifest(parseManifest(claircore('ecj-4.6.1')), 'ecj-4.6.1.jar'), {
    missing: 'groupId',
  });
  assert.deepEqual(coordinatesFromManifest(new Map(), 'app.jar'), { missing: 'version' });
  assert.deepEqual(coordinatesFromManifest(new Map(), 'my app-1.0.jar'), { missing: 'artifactId' });
});

test('the manifest version wins over the file name, and makes the file name split exact', () => {
  const manifest = new Map([
    ['implementation-version', '1.5.7-4'],
    ['implementation-vendor-id', 'com.github.luben'],
  ]);
  assert.deepEqual(coordinatesFromManifest(manifest, 'zstd-jni-1.5.7-4.jar'), {
    groupId: 'com.github.luben',
    artifactId: 'zstd-jni',
    version: '1.5.7-4',
  });
  const jna = new Map([
    ['specification-version', '5'],
    ['implementation-vendor-id', 'com.example'],
  ]);
  assert.deepEqual(coordinatesFromManifest(jna, 'jna-5.13.0.jar'), {
    groupId: 'com.example',
    artifactId: 'jna',
    version: '5.13.0',
  });
});

test('splits file names at the last dash before a version', () => {
  const cases: Array<[string, string | null, string | null]> = [
    ['guava-27.0-jre.jar', 'guava', '27.0-jre'],
    ['log4j-1.2-api-2.17.1.jar', 'log4j-1.2-api', '2.17.1'],
    ['netty-codec-http2-4.1.86.Final.jar', 'netty-codec-http2', '4.1.86.Final'],
    ['app-1.0-SNAPSHOT.war', 'app', '1.0-SNAPSHOT'],
    ['WEB-INF/lib/commons-lang3-3.12.0.jar', 'commons-lang3', '3.12.0'],
    ['slf4j-api.jar', 'slf4j-api', null],
  ];
  for (const [name, artifactId, version] of cases)
    assert.deepEqual(splitFileName(name), { artifactId, version }, name);
});

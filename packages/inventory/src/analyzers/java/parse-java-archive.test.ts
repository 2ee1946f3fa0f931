import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { isCustomsError } from '@customs/errors';
import { parseJavaArchive } from './parse-java-archive.js';

const debian = (name: string) =>
  new Uint8Array(
    readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/java/debian/${name}`, import.meta.url))),
  );
const ids = (packages: Array<{ name: string; version: string; path: string }>) =>
  packages.map((p) => `${p.path} ${p.name}@${p.version}`);

test('real Debian jars: pom.properties when present, the manifest otherwise', () => {
  assert.deepEqual(ids(parseJavaArchive(debian('slf4j-api.jar'), 'usr/share/java/slf4j-api.jar').packages), [
    'usr/share/java/slf4j-api.jar org.slf4j:slf4j-api@1.7.32',
  ]);
  // xz-java is built with Ant: no pom.properties, and its manifest names no group (only the bundle
  // org.tukaani.xz, which is not trusted as one): reported as unidentified, not guessed.
  const xz = parseJavaArchive(debian('xz-1.9.jar'), 'usr/share/java/xz-1.9.jar');
  assert.deepEqual(xz.packages, []);
  assert.deepEqual(xz.warnings, [
    'usr/share/java/xz-1.9.jar: no pom.properties, and the manifest and file name give no groupId; archive not identified',
  ]);
});

test('a manifest-only jar is identified when Implementation-Vendor-Id names the group (real jar, manifest edited)', () => {
  const real = unzipSync(debian('xz-1.9.jar'));
  const manifest = Buffer.from(real['META-INF/MANIFEST.MF'] ?? new Uint8Array()).toString('latin1');
  const jar = zipSync({
    ...real,
    'META-INF/MANIFEST.MF': Buffer.from(
      manifest.replace('Sealed: true', 'Implementation-Vendor-Id: org.tukaani'),
    ),
  });
  assert.deepEqual(ids(parseJavaArchive(jar, 'lib/xz-1.9.jar').packages), [
    'lib/xz-1.9.jar org.tukaani:xz@1.9',
  ]);
});

test('a war with WEB-INF/lib jars (synthetic container, real jars): each nested jar under its own path', () => {
  const war = zipSync({
    'META-INF/MANIFEST.MF': Buffer.from('Manifest-Version: 1.0\r\n\r\n'),
    'META-INF/maven/com.example/shop/pom.properties': Buffer.from(
      'groupId=com.example\nartifactId=shop\nversion=2.3.4\n',
    ),
    'WEB-INF/classes/com/example/Shop.class': Buffer.from([0xca, 0xfe, 0xba, 0xbe]),
    'WEB-INF/lib/slf4j-api-1.7.32.jar': debian('slf4j-api.jar'),
    'WEB-INF/lib/xz-1.9.jar': debian('xz-1.9.jar'),
  });
  const result = parseJavaArchive(war, 'opt/app/shop.war');
  assert.deepEqual(ids(result.packages), [
    'opt/app/shop.war com.example:shop@2.3.4',
    'opt/app/shop.war!/WEB-INF/lib/slf4j-api-1.7.32.jar org.slf4j:slf4j-api@1.7.32',
  ]);
  assert.deepEqual(result.warnings, [
    'opt/app/shop.war!/WEB-INF/lib/xz-1.9.jar: no pom.properties, and the manifest and file name give no groupId; archive not identified',
  ]);
});

test('an ear holding a war and lib/ jars, and a Spring Boot jar (synthetic containers, real jars)', () => {
  const war = zipSync({ 'WEB-INF/lib/slf4j-nop.jar': debian('slf4j-nop.jar') }, { level: 0 });
  const ear = zipSync({ 'web.war': war, 'lib/jul-to-slf4j.jar': debian('jul-to-slf4j.jar') });
  const result = parseJavaArchive(ear, 'srv/app.ear');
  assert.deepEqual(ids(result.packages), [
    'srv/app.ear!/lib/jul-to-slf4j.jar org.slf4j:jul-to-slf4j@1.7.32',
    'srv/app.ear!/web.war!/WEB-INF/lib/slf4j-nop.jar org.slf4j:slf4j-nop@1.7.32',
  ]);
  assert.deepEqual(result.warnings, [], 'containers whose contents were identified are not worth a warning');

  const boot = zipSync({
    'META-INF/MANIFEST.MF': Buffer.from(
      'Main-Class: org.springframework.boot.loader.JarLauncher\r\nImplementation-Title: demo\r\nImplementation-Version: 0.0.1\r\n\r\n',
    ),
    'BOOT-INF/lib/slf4j-api-1.7.32.jar': debian('slf4j-api.jar'),
  });
  const bootResult = parseJavaArchive(boot, 'app/demo-0.0.1.jar');
  assert.deepEqual(ids(bootResult.packages), [
    'app/demo-0.0.1.jar!/BOOT-INF/lib/slf4j-api-1.7.32.jar org.slf4j:slf4j-api@1.7.32',
  ]);
  // The application jar itself names no group (Implementation-Title is free text), but its libraries
  // were identified, so it is treated as a container and not warned about.
  assert.deepEqual(bootResult.warnings, []);
});

test('nesting depth and inflated bytes are bounded (synthetic archives)', () => {
  let nested: Zippable[string] = debian('slf4j-nop.jar');
  for (let level = 0; level < 3; level++) nested = zipSync({ [`l${level}.jar`]: nested });
  const deep = parseJavaArchive(nested as Uint8Array, 'deep.jar', { maxDepth: 2, maxInflatedBytes: 1 << 20 });
  assert.deepEqual(deep.packages, []);
  assert.deepEqual(deep.warnings, [
    'deep.jar!/l2.jar!/l1.jar!/l0.jar: nested deeper than 2 archives; skipped',
    'deep.jar!/l2.jar!/l1.jar: no pom.properties, and the manifest and file name give no version; archive not identified',
    'deep.jar!/l2.jar: no pom.properties, and the manifest and file name give no version; archive not identified',
    'deep.jar: no pom.properties, and the manifest and file name give no version; archive not identified',
  ]);

  const big = zipSync({
    'WEB-INF/lib/xz-1.9.jar': debian('xz-1.9.jar'),
    'WEB-INF/lib/slf4j-nop.jar': debian('slf4j-nop.jar'),
  });
  // xz-1.9.jar (151 KB) does not fit in 100 KB; slf4j-nop.jar (4 KB) does.
  const capped = parseJavaArchive(big, 'big.war', { maxDepth: 4, maxInflatedBytes: 100_000 });
  assert.deepEqual(ids(capped.packages), ['big.war!/WEB-INF/lib/slf4j-nop.jar org.slf4j:slf4j-nop@1.7.32']);
  assert.ok(
    capped.warnings.includes(
      "big.war!/WEB-INF/lib/xz-1.9.jar: too large to inflate within this archive's limit; skipped",
    ),
  );
});

test('a zip entry lying about its inflated size cannot make the reader allocate it (synthetic)', () => {
  const jar = Buffer.from(zipSync({ 'META-INF/MANIFEST.MF': Buffer.from('Manifest-Version: 1.0\r\n\r\n') }));
  const central = jar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  jar.writeUInt32LE(0xfffffff0, central + 24); // uncompressed size: 4 GiB
  const result = parseJavaArchive(jar, 'bomb.jar');
  assert.deepEqual(result.packages, []);
  assert.ok(
    result.warnings.includes(
      "bomb.jar!/META-INF/MANIFEST.MF: too large to inflate within this archive's limit; skipped",
    ),
  );
});

test('a file that is not a zip raises JAVA_FILE_INVALID with its path', () => {
  assert.throws(
    () => parseJavaArchive(Buffer.from('not a zip at all'), 'lib/broken.jar'),
    (error) => isCustomsError(error, 'JAVA_FILE_INVALID') && error.context.path === 'lib/broken.jar',
  );
});

test('a shaded jar reports the shaded pom.properties and, from its manifest, itself (synthetic jar, real content)', () => {
  const api = unzipSync(debian('slf4j-api.jar'));
  const shaded = zipSync({
    ...api,
    'META-INF/MANIFEST.MF': Buffer.from(
      'Implementation-Vendor-Id: com.example\r\nImplementation-Version: 2.0.0\r\n\r\n',
    ),
  });
  assert.deepEqual(ids(parseJavaArchive(shaded, 'opt/tool-2.0.0.jar').packages), [
    'opt/tool-2.0.0.jar org.slf4j:slf4j-api@1.7.32',
    'opt/tool-2.0.0.jar com.example:tool@2.0.0',
  ]);
});

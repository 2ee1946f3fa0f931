// Runtimes installed without a package manager, found by `customs inventory` of a root filesystem
// holding real binaries of this machine: Debian's node and python3.11 copied under /usr/local, a
// Temurin JDK's release file under /opt. Each version is what the runtime itself says when run. A copy
// that dpkg owns (per a status + .list written here) is the OS package, not a second runtime.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCustoms } from '../support/customs-cli.js';

const NODE = '/usr/bin/node';
const PYTHON = '/usr/bin/python3.11';
const JDK = '/usr/lib/jvm/temurin-25-jdk-amd64';
const missing = [NODE, PYTHON, `${JDK}/release`].filter((file) => !existsSync(file));

const run = (program: string, args: string[]) =>
  execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe(
  'runtime binaries in a root filesystem',
  { skip: missing.length > 0 && `missing ${missing.join(', ')}` },
  () => {
    let root = '';
    const place = async (from: string, to: string) => {
      await mkdir(dirname(join(root, to)), { recursive: true });
      await copyFile(from, join(root, to));
    };

    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'customs-runtimes-'));
      await place(NODE, 'usr/local/bin/node');
      await place(PYTHON, 'usr/local/bin/python3.11');
      await place(PYTHON, 'usr/local/bin/python3.9'); // named for another series: no 3.9.x inside
      await place(`${JDK}/release`, 'opt/java/openjdk/release');
      await place(NODE, 'usr/bin/node');
      await mkdir(join(root, 'var/lib/dpkg/info'), { recursive: true });
      const status = [
        'Package: nodejs',
        'Status: install ok installed',
        'Architecture: amd64',
        'Version: 20.20.2+dfsg-1',
        '',
      ];
      await writeFile(join(root, 'var/lib/dpkg/status'), status.join('\n'));
      await writeFile(join(root, 'var/lib/dpkg/info/nodejs.list'), '/usr\n/usr/bin\n/usr/bin/node\n');
    });
    after(() => rm(root, { recursive: true, force: true }));

    test('node, python and openjdk are found with the versions the runtimes report, once each', async () => {
      const result = await runCustoms(['inventory', root, '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const document = JSON.parse(result.stdout) as {
        packages: Array<{ type: string; name: string; version: string; purl: string; path: string }>;
      };
      const runtimes = document.packages
        .filter((pkg) => pkg.type === 'generic')
        .map((pkg) => [pkg.name, pkg.version, pkg.purl, pkg.path]);
      const nodeVersion = run(NODE, ['--version']).trim().replace(/^v/, '');
      const pythonVersion = run(PYTHON, ['-c', 'import platform; print(platform.python_version())']).trim();
      // java -version writes to stderr.
      const javaVersion = /version "([^"]+)"/.exec(
        run('/bin/sh', ['-c', `${JDK}/bin/java -version 2>&1`]),
      )?.[1];
      assert.deepEqual(runtimes.sort(), [
        ['node', nodeVersion, `pkg:generic/node@${nodeVersion}`, 'usr/local/bin/node'],
        ['openjdk', javaVersion, `pkg:generic/openjdk@${javaVersion}`, 'opt/java/openjdk/release'],
        ['python', pythonVersion, `pkg:generic/python@${pythonVersion}`, 'usr/local/bin/python3.11'],
      ]);
      assert.ok(
        document.packages.some((pkg) => pkg.type === 'deb' && pkg.name === 'nodejs'),
        'the owner is listed',
      );
    });
  },
);

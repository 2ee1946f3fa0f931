#!/usr/bin/env node
// bench/inventory: `customs inventory` of real images pulled from a real local registry, beside the
// floor — `skopeo copy` of the same image plus `gzip -dc | tar -t` of its layers — and its peak RSS.
// A second image with a ~1 GiB layer shows whether memory grows with layer size.
//
//   node bench/inventory/run.mjs [--runs 3] [--big-mib 1024]
//   node bench/inventory/run.mjs --scanners [--runs 3]   cold `customs scan` with every scanner on
//       (vuln,secret,config) against packages only (--scanners vuln), each beside the floor
//
// Needs the e2e images (test/e2e/prepare.sh, which npm test runs), docker-registry, skopeo and GNU
// time; builds test/dist first (npm run build).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  mkdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'big-mib': { type: 'string', default: '1024' },
    scanners: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const bigBytes = Number(values['big-mib']) * 1024 * 1024;

const { startRegistry } = await import(join(root, 'test/dist/support/registry.js'));
const { pushImage } = await import(join(root, 'test/dist/support/skopeo.js'));

const images =
  process.env.CUSTOMS_E2E_IMAGES ??
  execFileSync('bash', [join(root, 'test/e2e/prepare.sh')], { encoding: 'utf8' }).trim();
const scratch = join(tmpdir(), `customs-bench-inventory-${process.pid}`);
mkdirSync(scratch, { recursive: true });

const registry = await startRegistry({ auth: 'none' });
try {
  const app = `${registry.host}/demo/app:1.0`;
  await pushImage(join(images, 'oci'), 'app', app);
  const big = `${registry.host}/bench/big-layer:1`;
  const bigLayout = await buildBigLayerImage(join(scratch, 'big'), bigBytes);
  await pushImage(bigLayout, 'big', big);

  if (values.scanners) {
    await compareScanners([['real image (debootstrap + python + Go + npm, 4 layers)', app]]);
  } else {
    await compareWithFloor(app, big);
  }
} finally {
  await registry.stop();
  rmSync(scratch, { recursive: true, force: true });
}

async function compareWithFloor(app, big) {
  const rows = [];
  for (const [label, ref] of [
    ['real image (debootstrap + python + Go + npm, 4 layers)', app],
    [`one ${Math.round(bigBytes / 2 ** 20)} MiB layer`, big],
  ]) {
    const floor = median(Array.from({ length: runs }, () => measureFloor(ref)));
    const customs = Array.from({ length: runs }, () => measureCustoms(ref));
    const seconds = median(customs.map((run) => run.seconds));
    const rssMiB = Math.max(...customs.map((run) => run.rssKiB)) / 1024;
    rows.push({ label, floor, seconds, ratio: seconds / floor, rssMiB, layerMiB: layerMiB(ref) });
  }
  report(rows);
}

/**
 * Cold scans (the CLI has no layer cache) with the OSV fixtures imported: packages only, then every
 * scanner, runs interleaved so load on the machine hits both alike.
 */
async function compareScanners(images) {
  // The same data in both of the databases a scan can use: the embedded one (PGlite, which holds its
  // data in the process's memory) and PostgreSQL (a throwaway database), so the RSS the scanners add
  // is told apart from the RSS of the embedded database.
  const { createTestPostgres } = await import(join(root, 'packages/db/dist/testing/index.js'));
  const postgres = await createTestPostgres();
  try {
    const databases = [
      ['embedded (PGlite)', ['--db-dir', join(scratch, 'db')]],
      ['PostgreSQL', ['--db', postgres.url]],
    ];
    for (const [, flags] of databases) {
      execFileSync(
        process.execPath,
        [
          join(root, 'services/cli/bin/customs.js'),
          'db',
          'import',
          join(root, 'test/fixtures/osv'),
          ...flags,
        ],
        { stdio: 'ignore' },
      );
    }
    console.log(
      `cold customs scan: packages only (--scanners vuln) vs all (--scanners vuln,secret,config), median of ${runs} runs, peak RSS of all runs`,
    );
    console.log(
      '| image | database | floor s | packages only s | all scanners s | all / packages (target ≤ 1.3) | all / floor | peak RSS MiB packages only | peak RSS MiB all (target ≤ 200) |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [label, ref] of images) {
      const floor = median(Array.from({ length: runs }, () => measureFloor(ref)));
      for (const [database, flags] of databases) {
        const packagesOnly = [];
        const all = [];
        for (let run = 0; run < runs; run++) {
          packagesOnly.push(measureCustoms(ref, scanArgs(flags, 'vuln')));
          all.push(measureCustoms(ref, scanArgs(flags, 'vuln,secret,config')));
        }
        const packagesSeconds = median(packagesOnly.map((r) => r.seconds));
        const allSeconds = median(all.map((r) => r.seconds));
        const peak = (measured) => (Math.max(...measured.map((r) => r.rssKiB)) / 1024).toFixed(0);
        console.log(
          `| ${label} | ${database} | ${floor.toFixed(2)} | ${packagesSeconds.toFixed(2)} | ${allSeconds.toFixed(2)} | ${(allSeconds / packagesSeconds).toFixed(2)} | ${(allSeconds / floor).toFixed(2)} | ${peak(packagesOnly)} | ${peak(all)} |`,
        );
      }
    }
  } finally {
    await postgres.close();
  }
  console.log(
    `node ${process.version}, ${readdirSync('/sys/devices/system/cpu').filter((name) => /^cpu\d+$/.test(name)).length} CPUs`,
  );
}

function scanArgs(databaseFlags, scanners) {
  return ['scan', '--format', 'json', ...databaseFlags, '--skip-db-update', '--scanners', scanners];
}

/** skopeo copy of the image to a directory, then gzip -dc | tar -t of each layer: the bytes' own cost. */
function measureFloor(ref) {
  const dir = join(scratch, 'floor');
  rmSync(dir, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  execFileSync('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${ref}`, `dir:${dir}`]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const layer of manifest.layers) {
    const blob = join(dir, layer.digest.split(':')[1]);
    execFileSync('bash', ['-c', 'gzip -dc "$1" | tar -t > /dev/null', 'floor', blob]);
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Wall time and peak RSS (GNU time) of `customs inventory --format json` (or the command given). */
function measureCustoms(ref, command = ['inventory', '--format', 'json']) {
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%e %M',
      process.execPath,
      join(root, 'services/cli/bin/customs.js'),
      command[0],
      ref,
      ...command.slice(1),
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`customs ${command[0]} ${ref} failed: ${result.stderr}`);
  const [seconds, rssKiB] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, rssKiB };
}

function layerMiB(ref) {
  const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${ref}`], {
    encoding: 'utf8',
  });
  return JSON.parse(out).layers.reduce((sum, layer) => sum + layer.size, 0) / 2 ** 20;
}

/**
 * An OCI layout with one gzip layer of about `bytes` of real files from /usr (tar'd by GNU tar), so
 * the walk sees a realistic mix of entries; no package database, so only the walk is measured.
 */
async function buildBigLayerImage(dir, bytes) {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const files = [];
  let total = 0;
  for (const file of execFileSync('find', ['/usr', '-xdev', '-type', 'f', '-size', '-8M'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  }).split('\n')) {
    if (!file || total >= bytes) continue;
    try {
      total += statSync(file).size;
      files.push(file);
    } catch {
      // vanished or unreadable: not needed
    }
  }
  const list = join(dir, 'files.txt');
  writeFileSync(list, files.join('\n'));
  const layer = join(dir, 'layer.tar.gz');
  execFileSync('bash', [
    '-c',
    'tar --ignore-failed-read -cf - -T "$1" 2>/dev/null | gzip -1 > "$2"',
    'big',
    list,
    layer,
  ]);
  const layerDigest = await sha256File(layer);
  const diffId = await sha256File(layer, true);
  const config = json({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created_by: `tar of ${files.length} files from /usr (bench)` }],
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: digestOf(config),
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: layerDigest,
        size: statSync(layer).size,
      },
    ],
  });
  for (const blob of [config, manifest])
    writeFileSync(join(dir, 'blobs', 'sha256', digestOf(blob).slice(7)), blob);
  execFileSync('mv', [layer, join(dir, 'blobs', 'sha256', layerDigest.slice(7))]);
  writeFileSync(join(dir, 'oci-layout'), json({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    json({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: digestOf(manifest),
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': 'big' },
        },
      ],
    }),
  );
  return dir;
}

function json(value) {
  return Buffer.from(JSON.stringify(value));
}

function digestOf(bytes) {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

async function sha256File(file, gunzip = false) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), ...(gunzip ? [createGunzip()] : []), async function* (source) {
    for await (const chunk of source) hash.update(chunk);
  });
  return 'sha256:' + hash.digest('hex');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function report(rows) {
  console.log(
    `customs inventory vs floor (skopeo copy + gzip -dc | tar -t), median of ${runs} runs, peak RSS of all runs`,
  );
  console.log('| image | compressed MiB | floor s | customs s | ratio | peak RSS MiB |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.label} | ${row.layerMiB.toFixed(0)} | ${row.floor.toFixed(2)} | ${row.seconds.toFixed(2)} | ${row.ratio.toFixed(2)} | ${row.rssMiB.toFixed(0)} |`,
    );
  }
  console.log(
    `node ${process.version}, ${readdirSync('/sys/devices/system/cpu').filter((name) => /^cpu\d+$/.test(name)).length} CPUs`,
  );
}

#!/usr/bin/env node
// bench/startup: what a command costs before it does any work, against `node -e 0` measured in the
// same run, and `customs inventory` of the docker-archive e2e image against snyk-docker-plugin's scan
// of the same file. Runs alternate (A B A B …) so a drifting machine affects both sides alike; medians
// of wall and CPU seconds (GNU time) and the ratio of each pair are printed against the targets.
//
//   node bench/startup/run.mjs [--runs 9] [--peer /var/tmp/customs-peers/snyk/node_modules] [--only TEXT]
//
// --only keeps the rows whose command A contains TEXT ("--only version"); without the peer row the
// e2e images are not needed.
//
// The peer is installed outside the repository (it is measured, not used):
//   mkdir -p /var/tmp/customs-peers/snyk && cd /var/tmp/customs-peers/snyk && npm init -y &&
//   npm pkg set overrides.shescape=2.1.12 && npm install snyk-docker-plugin
// (shescape is pinned because its newer releases do not install on Node 20.) Needs the e2e images.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    peer: { type: 'string', default: '/var/tmp/customs-peers/snyk/node_modules' },
    only: { type: 'string', default: '' },
  },
});
const runs = Number(values.runs);
const customs = [process.execPath, join(root, 'services/cli/bin/customs.js')];
const node = ['node -e 0', [process.execPath, '-e', '0']];
/** Every row by the name of its command A, which --only matches; each measures into zero or one row. */
const candidates = [
  [
    'customs version compare npm 1.0.0 1.0.1',
    (name) => [pair(name, [...customs, 'version', 'compare', 'npm', '1.0.0', '1.0.1'], ...node, 1.5)],
  ],
  ['customs inventory --help', (name) => [pair(name, [...customs, 'inventory', '--help'], ...node, 1.5)]],
  ['customs inventory app-docker.tar', peerRow],
];
const rows = candidates
  .filter(([name]) => name.includes(values.only))
  .flatMap(([name, measureRow]) => measureRow(name));
console.log(`| command A | command B | A wall s | B wall s | A/B wall | A/B CPU | target A/B |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

/** The docker-archive row against snyk-docker-plugin, when the peer is installed (builds the e2e images). */
function peerRow(name) {
  if (!existsSync(join(values.peer, 'snyk-docker-plugin'))) {
    process.stderr.write(
      `snyk-docker-plugin not found under ${values.peer}: the peer row is left out (see the header)\n`,
    );
    return [];
  }
  const images =
    process.env.CUSTOMS_E2E_IMAGES ??
    execFileSync('bash', [join(root, 'test/e2e/prepare.sh')], { encoding: 'utf8' }).trim();
  const archive = join(images, 'archives/app-docker.tar');
  const peer = [
    process.execPath,
    join(root, 'bench/startup/snyk-peer.mjs'),
    values.peer,
    `docker-archive:${archive}`,
  ];
  return [
    pair(name, [...customs, 'inventory', archive, '--format', 'json'], 'snyk-docker-plugin scan', peer, 0.6),
  ];
}

/** Runs A and B in turn `runs` times after one warm-up each; medians and pairwise ratios. */
function pair(nameA, commandA, nameB, commandB, target) {
  measure(commandA);
  measure(commandB);
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(measure(commandA));
    b.push(measure(commandB));
  }
  const ratio = (key) => median(a.map((run, i) => run[key] / b[i][key]));
  const wallRatio = ratio('wall');
  process.stderr.write(`${nameA}: ${wallRatio.toFixed(2)}× ${nameB}\n`);
  return [
    nameA,
    nameB,
    median(a.map((run) => run.wall)).toFixed(3),
    median(b.map((run) => run.wall)).toFixed(3),
    `${wallRatio.toFixed(2)}×`,
    `${ratio('cpu').toFixed(2)}×`,
    `≤ ${target}× ${wallRatio <= target ? '(met)' : '(missed)'}`,
  ];
}

/** Wall and CPU (user + sys) seconds of one run, from GNU time. */
function measure([command, ...args]) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const [wall, user, sys] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + sys };
}

function median(numbers) {
  const sorted = [...numbers].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

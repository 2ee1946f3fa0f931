// Compare throughput per scheme: node packages/versions/bench/throughput.mjs (after `npx tsc -b packages/versions`).
// Versions come from the vector files, so they look like real ones. "parsed" is the matcher's pattern:
// one installed version parsed once, compared against many pre-parsed range events.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemeForEcosystem } from '../dist/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/versions/', import.meta.url));
const SETS = [
  ['Debian', 'osv-debian-versions-generated.txt'],
  ['Alpine', 'osv-alpine-versions-generated.txt'],
  ['Red Hat', 'osv-redhat-versions.txt'],
  ['npm', 'osv-semver-versions.txt'],
  ['Go', 'osv-semver-versions.txt'],
  ['PyPI', 'osv-pypi-versions-generated.txt'],
  ['Maven', 'osv-maven-versions-generated.txt'],
  ['RubyGems', 'osv-rubygems-versions-generated.txt'],
  ['NuGet', 'osv-nuget-versions.txt'],
];

/** The vector pairs both of whose versions parse: neighbouring versions of one package, the hard case. */
function pairsOf(file, scheme) {
  return readFileSync(FIXTURES + file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#') && !line.startsWith('//'))
    .map((line) => [line.split(' ')[0], line.split(' ')[2]])
    .filter((pair) => {
      try {
        pair.forEach((version) => scheme.parse(version));
        return true;
      } catch {
        return false;
      }
    });
}

function rate(label, count, run) {
  run(Math.min(count, 20_000)); // warm up
  const start = process.hrtime.bigint();
  run(count);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return [label, Math.round(count / seconds)];
}

const rows = [];
for (const [ecosystem, file] of SETS) {
  const scheme = schemeForEcosystem(ecosystem);
  const pairs = pairsOf(file, scheme);
  const versions = pairs.flat();
  const parsed = pairs.map(([a, b]) => [scheme.parse(a), scheme.parse(b)]);
  const n = pairs.length;
  let sink = 0;
  const results = [
    rate('parse', 200_000, (count) => {
      for (let i = 0; i < count; i++) sink += scheme.parse(versions[i % versions.length]).original.length;
    }),
    rate('compare parsed', 2_000_000, (count) => {
      for (let i = 0; i < count; i++) sink += scheme.compare(parsed[i % n][0], parsed[i % n][1]);
    }),
    rate('compare strings', 200_000, (count) => {
      for (let i = 0; i < count; i++) sink += scheme.compare(pairs[i % n][0], pairs[i % n][1]);
    }),
  ];
  rows.push({ ecosystem, scheme: scheme.id, pairs: n, ...Object.fromEntries(results), sink: sink === 0.5 });
}
console.log('ops/second on this machine (node', process.version + ')');
console.table(rows.map(({ sink: _sink, ...row }) => row));

#!/usr/bin/env node
// Walk speed of @customs/layers against the system tools on one layer blob (gzip, zstd or plain tar).
// Usage: npm run build && node bench/layers/walk.mjs /tmp/layer.tar.gz [runs]
// Prints seconds for scanLayer (a `wants` that keeps a handful of files) and for `<decompressor> | tar -t`,
// their ratio, and the peak RSS of this process (which only ever runs scanLayer).
import { spawnSync } from 'node:child_process';
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { scanLayer } from '../../packages/layers/dist/index.js';

const [layerPath, runsArgument = '3'] = process.argv.slice(2);
if (!layerPath) {
  console.error('usage: node bench/layers/walk.mjs <layer blob> [runs]');
  process.exit(2);
}
const runs = Number(runsArgument);

function compressionOf(file) {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/** A handful of files, as the OS analyzers would ask for. */
const wanted = /(^|\/)(os-release|status|copyright|go\.mod|METADATA)$/;

async function walkOnce() {
  const started = performance.now();
  const scan = await scanLayer(createReadStream(layerPath, { highWaterMark: 1024 * 1024 }), {
    wants: (path) => wanted.test(path),
    onFile: (file) => (file.path.endsWith('copyright') ? 'release' : 'keep'),
  });
  return { seconds: (performance.now() - started) / 1000, scan };
}

const decompressCommand = { gzip: 'gzip -dc', zstd: 'zstd -dc', none: 'cat' };

function toolsOnce(compression) {
  const decompress = decompressCommand[compression];
  const started = performance.now();
  const result = spawnSync('sh', ['-c', `${decompress} "$1" | tar -t > /dev/null`, 'sh', layerPath], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`${decompress} | tar -t failed with status ${result.status}`);
  return (performance.now() - started) / 1000;
}

const compression = compressionOf(layerPath);
// Runs alternate, and the best of each is compared: on a shared machine that is the fairest figure.
const walks = [];
const tools = [];
let lastScan;
for (let run = 0; run < runs; run++) {
  const { seconds, scan } = await walkOnce();
  walks.push(seconds);
  lastScan = scan;
  tools.push(toolsOnce(compression));
}
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

const best = (values) => Math.min(...values);
const walk = best(walks);
const tool = best(tools);
console.log(
  `layer          ${layerPath} (${compression}, ${(statSync(layerPath).size / 1e6).toFixed(1)} MB compressed, ` +
    `${(lastScan.uncompressedBytes / 1e6).toFixed(1)} MB tar, ${lastScan.entries} entries, ${lastScan.files.length} files kept)`,
);
console.log(`scanLayer      ${walk.toFixed(2)} s   (runs: ${walks.map((s) => s.toFixed(2)).join(', ')})`);
console.log(
  `${decompressCommand[compression]} | tar -t ${tool.toFixed(2)} s   (runs: ${tools.map((s) => s.toFixed(2)).join(', ')})`,
);
console.log(`ratio          ${(walk / tool).toFixed(2)}   (scanLayer / tools, best of ${runs})`);
console.log(`peak RSS       ${peakRssMiB.toFixed(0)} MiB (this process, scanLayer only)`);

// The machine's own ceiling for N CPU budgets: the same fixed piece of CPU-bound work (gunzip, sha256,
// JSON, as a scan does) run by 1, 2 and 3 processes at once, each in its budget. On separate machines
// N processes would finish N pieces in the time of one; on a shared 2-core machine they do not, and
// this says by how much, measured beside the workers in the same run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** gunzip + sha256 + JSON of a few MB, repeated: about 2 s of CPU here; prints when it started and ended. */
const WORK = `
const { createHash } = require('node:crypto');
const { gzipSync, gunzipSync } = require('node:zlib');
const text = JSON.stringify(Array.from({ length: 20000 }, (_, i) => ({ name: 'package-' + i, version: '1.' + i + '.0' })));
const packed = gzipSync(Buffer.from(text.repeat(4)));
setTimeout(() => {
  const start = Date.now();
  for (let round = 0; round < 60; round++) {
    const plain = gunzipSync(packed);
    createHash('sha256').update(plain).digest('hex');
    JSON.parse(plain.subarray(0, text.length).toString());
  }
  process.stdout.write(JSON.stringify([start, Date.now()]));
}, 300);
`;

/**
 * For each count, that many processes start at once, each put in its budget by `limit(pid, name)`
 * (within the 300 ms the work waits for it); the ratio is the throughput of `count` against one, from
 * the span between the first work's start and the last one's end.
 */
export async function machineCeiling(counts, limit, repeats = 3) {
  const ratios = [];
  for (let i = 0; i < repeats; i++) ratios.push(await ceilingOnce(counts, limit));
  // CFS hands out quota per 100 ms period, so one short piece can gain or lose a period: the median.
  return new Map(counts.map((count) => [count, median(ratios.map((ratio) => ratio.get(count)))]));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function ceilingOnce(counts, limit) {
  const spanOf = new Map();
  for (const count of counts) {
    const spans = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const child = spawn(process.execPath, ['-e', WORK], { stdio: ['ignore', 'pipe', 'inherit'] });
        limit(child.pid, `w${i + 1}`);
        return workSpan(child);
      }),
    );
    spanOf.set(count, Math.max(...spans.map(([, end]) => end)) - Math.min(...spans.map(([start]) => start)));
  }
  const one = spanOf.get(1);
  return new Map(counts.map((count) => [count, (count * one) / spanOf.get(count)]));
}

/** The [start, end] the child printed, once it has exited. */
async function workSpan(child) {
  let printed = '';
  child.stdout.on('data', (chunk) => (printed += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the ceiling's work exited with ${code}`);
  return JSON.parse(printed);
}

// CPU time of every process on the machine by what it is, from /proc: which shared component a run of
// workers leans on. Processes that end during a run take their time with them (none of the stack's do).
import { readdirSync, readFileSync } from 'node:fs';

/** utime + stime jiffies (USER_HZ, 10 ms) and a label, per process alive now. */
export function cpuByProcess() {
  const processes = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const sample = readProcess(Number(name));
    if (sample) processes.set(Number(name), sample);
  }
  return processes;
}

/**
 * Milliseconds per label between two samples, largest first, without the labels in `skip`. Deltas are
 * taken per process: a kernel worker's name changes with its work, its pid does not.
 */
export function cpuSpent(before, after, skip = new Set()) {
  const totals = new Map();
  for (const [pid, { label, jiffies }] of after) {
    if (skip.has(label)) continue;
    const spent = (jiffies - (before.get(pid)?.jiffies ?? 0)) * 10;
    if (spent > 0) totals.set(label, (totals.get(label) ?? 0) + spent);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function readProcess(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { label: labelOf(pid, comm), jiffies: Number(after[11]) + Number(after[12]) };
  } catch {
    return null; // gone between the listing and the read
  }
}

function labelOf(pid, comm) {
  if (pid === process.pid) return 'bench';
  if (comm.startsWith('postgres')) return 'postgres';
  if (comm.startsWith('kworker')) return 'kernel workers';
  if (comm !== 'node' && comm !== 'MainThread') return comm;
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const customs = argv.findIndex((arg) => arg.endsWith('customs.js'));
  return customs >= 0 ? `customs ${argv[customs + 1]}` : 'node';
}

/** Busy and total jiffies of the machine (/proc/stat), and CPU jiffies of each pid. */
export function cpuNow(pids) {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  const total = fields.reduce((a, b) => a + b, 0);
  const perPid = pids.map((pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(after[11]) + Number(after[12]); // utime + stime
  });
  return { busy: total - idle, total, perPid, at: Date.now() };
}

export function cpuSince(before, pids) {
  const now = cpuNow(pids);
  const jiffyMs = 1000 / 100; // USER_HZ
  return {
    machineBusy: Math.round((100 * (now.busy - before.busy)) / (now.total - before.total)),
    processMs: now.perPid.reduce((sum, v, i) => sum + (v - before.perPid[i]) * jiffyMs, 0),
  };
}

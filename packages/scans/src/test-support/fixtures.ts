import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { RegistryConfig } from '@customs/config';
import { openDatabase } from '@customs/db';
import { buildTar, fakeImage, type FakeImage } from '@customs/oci/testing';
import type { ScanImageJob, ScanQueues } from '@customs/queue';
import { openStore, type Store } from '@customs/store';

/** test/fixtures, counted from packages/scans/dist/test-support/. */
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));

/** A store on an in-memory PGlite: the real SQL, the real advisory lock and transactions. */
export async function memoryStore(): Promise<Store> {
  return openStore(await openDatabase({ dataDir: 'memory://' }));
}

export function registryConfig(host: string): RegistryConfig {
  return { host, aliases: [], insecure: true, credentials: null };
}

/** A one-layer Debian 12 image made of real files: its os-release and a dpkg status from a Debian 12 machine. */
export async function debianImage(architecture = 'amd64'): Promise<FakeImage> {
  const file = (name: string) => readFile(FIXTURES + name);
  const layer = await buildTar([
    { name: 'usr/lib/os-release', bytes: await file('os-release/debian-12-bookworm.os-release') },
    { name: 'var/lib/dpkg/status', bytes: await file('dpkg/debian-12-python/status') },
  ]);
  return fakeImage({ layers: [layer], platform: { os: 'linux', architecture } });
}

/**
 * Queues that keep job ids as BullMQ does: a push-lane job per digest, a rescan-lane job per scan, a
 * second job with a held id is refused (`added: false`).
 */
export function memoryQueues(): Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan'> & {
  scan: Map<string, ScanImageJob>;
  rescan: Map<string, ScanImageJob>;
} {
  const scan = new Map<string, ScanImageJob>();
  const rescan = new Map<string, ScanImageJob>();
  const add = async (lane: Map<string, ScanImageJob>, jobId: string, job: ScanImageJob) => {
    if (lane.has(jobId)) return { jobId, added: false };
    lane.set(jobId, job);
    return { jobId, added: true };
  };
  return {
    scan,
    rescan,
    enqueueScan: (job) => add(scan, job.digest, job),
    enqueueRescan: (job) => add(rescan, `rescan-${job.scanId}`, job),
  };
}

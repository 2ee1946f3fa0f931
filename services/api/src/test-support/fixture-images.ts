import { mkdtemp, copyFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createIndexer, type IndexerOptions } from '@customs/indexer';
import {
  createFakeRegistry,
  fakeImage,
  fakeIndex,
  type FakeImage,
  type FakeRegistry,
} from '@customs/oci/testing';
import type { ScanImageJob } from '@customs/queue';
import { createTagResolver, reportSbomRenderers, requestScan, runScan } from '@customs/scans';
import type { Store } from '@customs/store';
import { importAdvisories } from '@customs/vulndb';
import type { Database } from '@customs/db';
import { pino } from 'pino';
import { pack } from 'tar-stream';
import { registryConfig } from './api-harness.js';

/** test/fixtures, counted from services/api/dist/test-support/. */
export const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));

/**
 * Layers made of real third-party files (synthetic tars, real contents): Debian 12's os-release and
 * a dpkg status from a Debian 12 machine; snyk's "goof" package-lock.json (express 4.12.4, qs,
 * body-parser, …); trivy's go.mod/go.sum (github.com/docker/docker v20.10.11+incompatible, …).
 */
export const LAYERS = {
  debian: {
    'usr/lib/os-release': 'os-release/debian-12-bookworm.os-release',
    'var/lib/dpkg/status': 'dpkg/debian-12-python/status',
  },
  goof: { 'usr/src/app/package-lock.json': 'npm/snyk/npm-lock-v2_goof/package-lock.json' },
  gomod: {
    'go/src/app/go.mod': 'golang/trivy-gomod/go.mod',
    'go/src/app/go.sum': 'golang/trivy-gomod/go.sum',
  },
} as const satisfies Record<string, Record<string, string>>;

export async function layerOf(files: Record<string, string>): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of tar) if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  })();
  // A fixed mtime (tar-stream's default is now): the same files make the same layer whenever built,
  // so goof's and base's Debian layers are one layer, shared through the cache, even across a second.
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (const [at, from] of Object.entries(files)) {
    tar.entry({ name: at, mode: 0o644, mtime }, await readFile(FIXTURES + from));
  }
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

export async function imageOf(
  layers: ReadonlyArray<Record<string, string>>,
  platform = { os: 'linux', architecture: 'amd64' },
): Promise<FakeImage> {
  return fakeImage({
    layers: await Promise.all(layers.map(layerOf)),
    layerMediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    diffIds: [],
    platform,
  });
}

/** The images the tests serve, built once. */
export interface FixtureImages {
  registry: FakeRegistry;
  /** Debian 12 + goof lockfile (npm advisories hit it). */
  goof: FakeImage;
  /** Debian 12 only: nothing in the npm or Go data applies. */
  base: FakeImage;
  /** go.mod only: the Go data's unfixed docker/docker advisory applies. */
  gomod: FakeImage;
  /** An index: goof for linux/amd64, base for linux/arm64. */
  index: { digest: string; children: Array<{ digest: string; platform: string }> };
}

export const REPOSITORY = 'team/app';

export async function serveFixtureImages(): Promise<FixtureImages> {
  const goof = await imageOf([LAYERS.debian, LAYERS.goof]);
  const base = await imageOf([LAYERS.debian], { os: 'linux', architecture: 'arm64' });
  const gomod = await imageOf([LAYERS.gomod]);
  const index = fakeIndex([{ content: goof }, { content: base }]);
  const registry = await createFakeRegistry({
    images: {
      [`${REPOSITORY}:goof`]: goof,
      [`${REPOSITORY}:base`]: base,
      [`${REPOSITORY}:gomod`]: gomod,
      [`${REPOSITORY}:multi`]: index,
    },
  });
  return {
    registry,
    goof,
    base,
    gomod,
    index: {
      digest: index.manifest.digest,
      children: [
        { digest: goof.manifest.digest, platform: 'linux/amd64' },
        { digest: base.manifest.digest, platform: 'linux/arm64' },
      ],
    },
  };
}

/**
 * Scans `tag` of the fixture registry the way Customs does, through the scan use-case of
 * @customs/scans: the tag resolved at the registry, the scan requested (its job taken from a
 * recording queue rather than Redis), then run and published by the worker's own run-and-publish,
 * over the store's layer cache, with SBOMs. Without the secret scanner unless `indexer.secrets` gives
 * one (the worker always has it), so most images here are stored with no secret results.
 */
export async function scanFixture(
  store: Store,
  registry: FakeRegistry,
  tag: string,
  repository: string = REPOSITORY,
  indexer: Pick<IndexerOptions, 'secrets'> = {},
): Promise<{ digest: string; scanId: string }> {
  const config = registryConfig(registry.host);
  const digest = await createTagResolver()(config, repository, tag);
  const jobs: ScanImageJob[] = [];
  const record = async (job: ScanImageJob) => {
    jobs.push(job);
    return { jobId: job.scanId, added: true };
  };
  const { scan } = await requestScan(
    {
      store,
      queues: { enqueueScan: record, enqueueRescan: record },
      now: () => new Date(),
      enqueueTimeoutMs: 1_000,
      dedupeWindowSeconds: 0,
    },
    { registry: config, repository, digest, tag, trigger: 'webhook' },
  );
  for (const job of jobs) {
    await runScan(
      {
        config: { registries: [config] },
        store,
        artifacts: store.artifacts,
        indexer: createIndexer({ ...indexer, cache: store.layers }),
        sboms: reportSbomRenderers(),
        logger: pino({ level: 'silent' }),
        now: Date.now,
      },
      job,
    );
  }
  return { digest, scanId: scan.id };
}

/** Imports some of the real OSV records in test/fixtures/osv (copied to a temporary directory). */
export async function importRecords(db: Database, files: readonly string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'customs-api-osv-'));
  try {
    for (const file of files) await copyFile(`${FIXTURES}osv/${file}`, join(dir, file.replaceAll('/', '_')));
    const report = await importAdvisories(db, dir);
    if (report.ecosystems.length === 0) throw new Error(`nothing imported from ${files.join(', ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The two express advisories (MEDIUM): alone they make the goof image `warn`. */
export const EXPRESS_RECORDS = ['npm/GHSA-qw6h-vgh9-j6wx.json', 'npm/GHSA-rv95-896h-c2vc.json'];

/** Every other npm record (qs, body-parser, path-to-regexp … at HIGH) and the unfixed docker/docker one. */
export const MORE_RECORDS = [
  'npm/GHSA-27h2-hvpr-p74q.json',
  'npm/GHSA-37ch-88jc-xwx2.json',
  'npm/GHSA-6rw7-vpxm-498p.json',
  'npm/GHSA-9wv6-86v2-598j.json',
  'npm/GHSA-cm22-4g7w-348p.json',
  'npm/GHSA-hrpp-h998-j3pp.json',
  'npm/GHSA-m6fv-jmcg-4jfg.json',
  'npm/GHSA-pxg6-pf52-xh8x.json',
  'npm/GHSA-qwcr-r2fm-qrc7.json',
  'npm/GHSA-rhx6-c78j-4q9w.json',
  'npm/GHSA-w7fw-mjwx-w883.json',
  'npm/GHSA-wf5p-g6vw-rhxx.json',
  'npm/GHSA-whgm-jr23-g3j9.json',
  'go/GO-2026-4883.json',
];

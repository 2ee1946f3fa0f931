import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fakeImage, type FakeImage } from '@customs/oci/testing';
import { pack } from 'tar-stream';

/** From dist/integration/support/ up to the repository root. */
const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/', import.meta.url));

export const OCI_GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

function fixture(path: string): Buffer {
  return readFileSync(`${FIXTURES}${path}`);
}

/** Real dpkg status databases (claircore, osv-scalibr test data) and Debian 12's os-release. */
export const DPKG_STATUS = {
  postgresql: 'claircore-postgresql',
  texlive: 'claircore-texlive',
  valid: 'scalibr-valid',
} as const;
export type StatusName = keyof typeof DPKG_STATUS;

const OS_RELEASE = fixture('os-release/debian-12-bookworm.os-release');

/**
 * A gzip tar layer of the given files. The tar is built here (synthetic); the package databases in
 * it are the real files from test/fixtures.
 */
export async function layerOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of tar) chunks.push(Buffer.from(chunk as Uint8Array));
  })();
  // A fixed mtime, as reproducible builds write: the same files make the same layer, whenever built.
  const mtime = new Date('2024-01-01T00:00:00Z');
  for (const [name, data] of Object.entries(files)) tar.entry({ name, mode: 0o644, mtime }, data);
  tar.finalize();
  await collected;
  return gzipSync(Buffer.concat(chunks));
}

/**
 * Synthetic damage: a gzip stream that is intact, around a tar that stops in the middle of its first
 * file's data, as a layer written incompletely is.
 */
export async function truncatedLayer(): Promise<Buffer> {
  const whole = gunzipSync(await layerOf({ 'usr/bin/tool': Buffer.alloc(4096, 0x41) }));
  return gzipSync(whole.subarray(0, 512 + 1000));
}

/** A Debian 12 base: its os-release and the named dpkg status database. */
export function debianBase(status: StatusName): Promise<Buffer> {
  return layerOf({
    'etc/os-release': OS_RELEASE,
    'var/lib/dpkg/status': fixture(`dpkg/status/${DPKG_STATUS[status]}/status`),
  });
}

/** An application layer with no package database: a synthetic file that makes each one unique. */
export function appLayer(name: string): Promise<Buffer> {
  return layerOf({ [`srv/${name}/build-id`]: `synthetic application layer ${name}\n` });
}

/** An OCI image of these layers, each with a `created_by` history entry naming its step. */
export function imageOf(
  layers: readonly Buffer[],
  options: { platform?: { os: string; architecture: string }; steps?: string[] } = {},
): FakeImage {
  return fakeImage({
    layers,
    layerMediaType: OCI_GZIP_LAYER,
    // What a real config records: the digests of the uncompressed tars.
    diffIds: layers.map((layer) => `sha256:${createHash('sha256').update(gunzipSync(layer)).digest('hex')}`),
    history: layers.map((_, index) => ({ created_by: options.steps?.[index] ?? `RUN step ${index + 1}` })),
    ...(options.platform && { platform: options.platform }),
  });
}

interface GoldenEntry {
  package: string;
  version: string;
  status: string;
}

/** dpkg-query's own listing of a status file: `name version` of every package whose files are on disk. */
export function expectedPackages(status: StatusName): string[] {
  const golden: { packages: GoldenEntry[] } = JSON.parse(
    fixture(`dpkg/status/${DPKG_STATUS[status]}/expected.dpkg-query.json`).toString('utf8'),
  );
  const onDisk =
    /^\S+ \S+ (installed|half-configured|triggers-awaited|triggers-pending|unpacked|half-installed)$/;
  return golden.packages
    .filter((entry) => onDisk.test(entry.status))
    .map((entry) => `${entry.package} ${entry.version}`)
    .sort();
}

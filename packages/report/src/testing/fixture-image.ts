import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  assembleImage,
  defaultAnalyzers,
  FileSet,
  type Analyzer,
  type LayerAnalysis,
  type StackedLayer,
} from '@customs/inventory';
import type { IdentifiedInventory } from '../inventory-document.js';

export const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));

/** One file of a fixture layer: where it sits in the image, and which fixture file it is. */
interface LayerFile {
  at: string;
  from: string;
}

interface FixtureLayer {
  createdBy: string;
  files: LayerFile[];
}

/**
 * A Debian 12 image with a Node app and a Go module, built only from real files under
 * test/fixtures: Debian's os-release, a dpkg status and file lists from a Debian 12 machine with
 * python3-six's own PKG-INFO, snyk's "goof" package-lock.json, and trivy's go.mod/go.sum.
 */
export const DEBIAN_NODE_GO_LAYERS: readonly FixtureLayer[] = [
  {
    createdBy: '# debian:12 root filesystem',
    files: [
      { at: 'usr/lib/os-release', from: 'os-release/debian-12-bookworm.os-release' },
      { at: 'var/lib/dpkg/status', from: 'dpkg/debian-12-python/status' },
      { at: 'var/lib/dpkg/info/python3-six.list', from: 'dpkg/debian-12-python/info/python3-six.list' },
      {
        at: 'var/lib/dpkg/info/python3-pyrsistent:amd64.list',
        from: 'dpkg/debian-12-python/info/python3-pyrsistent:amd64.list',
      },
      {
        at: 'usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO',
        from: 'report/debian-12-python/six-1.16.0.egg-info/PKG-INFO',
      },
    ],
  },
  {
    createdBy: 'COPY package-lock.json /usr/src/app/',
    files: [{ at: 'usr/src/app/package-lock.json', from: 'npm/snyk/npm-lock-v2_goof/package-lock.json' }],
  },
  {
    createdBy: 'COPY go.mod go.sum /go/src/app/',
    files: [
      { at: 'go/src/app/go.mod', from: 'golang/trivy-gomod/go.mod' },
      { at: 'go/src/app/go.sum', from: 'golang/trivy-gomod/go.sum' },
    ],
  },
];

const FILE_INFO = { size: 1, mode: 0o644, kind: 'file' } as const;

/**
 * What the indexer would hand over for an image made of these layers: each layer's files go to the
 * default analyzers that ask for them, and the results are assembled. Layer digests are the sha256
 * of the layer's file list and contents (synthetic: there is no tar), the manifest digest likewise.
 */
export async function fixtureImage(
  layers: readonly FixtureLayer[] = DEBIAN_NODE_GO_LAYERS,
): Promise<IdentifiedInventory> {
  const stacked: StackedLayer[] = [];
  for (const layer of layers) {
    const files = layer.files.map(({ at, from }) => ({
      path: at,
      data: readFileSync(FIXTURES + from),
      mode: 0o644,
    }));
    stacked.push({ digest: digestOf(files), createdBy: layer.createdBy, analysis: await analyze(files) });
  }
  return {
    ...assembleImage(stacked),
    manifestDigest: `sha256:${createHash('sha256')
      .update(stacked.map((layer) => layer.digest).join('\n'))
      .digest('hex')}`,
    platform: { os: 'linux', architecture: 'amd64' },
  };
}

async function analyze(
  files: ReadonlyArray<{ path: string; data: Buffer; mode: number }>,
): Promise<LayerAnalysis> {
  const languagePath = (path: string) =>
    defaultAnalyzers.some((analyzer) => analyzer.kind === 'language' && analyzer.required(path, FILE_INFO));
  const analysis: LayerAnalysis = {
    packages: [],
    distro: null,
    ownedFiles: [],
    whiteouts: [],
    opaqueDirs: [],
    files: [],
    warnings: [],
    unread: [],
  };
  for (const analyzer of defaultAnalyzers) {
    const wanted = files.filter((file) => analyzer.required(file.path, FILE_INFO));
    if (wanted.length === 0) continue;
    const result = await analyzer.analyze(new FileSet(wanted), { isLanguagePath: languagePath });
    addResult(analysis, analyzer, result, wanted);
  }
  return analysis;
}

function addResult(
  analysis: LayerAnalysis,
  analyzer: Analyzer,
  result: Awaited<ReturnType<Analyzer['analyze']>>,
  wanted: ReadonlyArray<{ path: string }>,
): void {
  analysis.packages.push(...result.packages.map((pkg) => ({ ...pkg, analyzer: analyzer.id })));
  analysis.distro ??= result.distro ?? null;
  analysis.ownedFiles.push(...(result.ownedFiles ?? []));
  analysis.files.push(...wanted.map((file) => file.path));
  analysis.warnings.push(...(result.warnings ?? []));
}

function digestOf(files: ReadonlyArray<{ path: string; data: Buffer }>): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.path).update('\0').update(file.data);
  return `sha256:${hash.digest('hex')}`;
}

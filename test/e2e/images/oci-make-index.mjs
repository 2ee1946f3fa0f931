#!/usr/bin/env node
// Builds an OCI image index (multi-arch) in an OCI layout from tags already in it, and tags the index.
//   node oci-make-index.mjs <layout> <newTag> <tag>... [--attest <tag>]
// Each child's platform is read from its config. With --attest, a BuildKit-style attestation manifest
// for that tag is added as an unknown/unknown child: a SYNTHETIC in-toto statement in BuildKit's
// layout (vnd.docker.reference.* annotations), which scanners must skip rather than scan.
// Adapted from the e2e recipe's oci-make-index.js (umoci 0.4.7 cannot make an index).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REF_NAME = 'org.opencontainers.image.ref.name';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';

const blobPath = (layout, digest) => join(layout, 'blobs', ...digest.split(':'));
const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function writeBlob(layout, value) {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = sha256(bytes);
  writeFileSync(blobPath(layout, digest), bytes, { mode: 0o644 });
  return { digest, size: bytes.length };
}

function childFor(layout, top, tag) {
  const descriptor = top.manifests.find((entry) => entry.annotations?.[REF_NAME] === tag);
  if (!descriptor) throw new Error(`tag ${tag} is not in ${layout}/index.json`);
  if (descriptor.mediaType !== MANIFEST) throw new Error(`${tag} is not an image manifest`);
  const manifest = JSON.parse(readFileSync(blobPath(layout, descriptor.digest), 'utf8'));
  const config = JSON.parse(readFileSync(blobPath(layout, manifest.config.digest), 'utf8'));
  const platform = { architecture: config.architecture, os: config.os };
  if (config.variant) platform.variant = config.variant;
  return { mediaType: MANIFEST, digest: descriptor.digest, size: descriptor.size, platform };
}

function attestationFor(layout, subject) {
  const statement = {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: 'pkg:docker/customs-e2e/app', digest: { sha256: subject.digest.split(':')[1] } }],
    predicate: { builder: { id: 'customs-e2e-synthetic' }, buildType: 'https://mobyproject.org/buildkit@v1' },
  };
  const layer = writeBlob(layout, statement);
  const config = writeBlob(layout, {
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  });
  const manifest = writeBlob(layout, {
    schemaVersion: 2,
    mediaType: MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [
      {
        mediaType: 'application/vnd.in-toto+json',
        ...layer,
        annotations: { 'in-toto.io/predicate-type': statement.predicateType },
      },
    ],
  });
  return {
    mediaType: MANIFEST,
    ...manifest,
    annotations: {
      'vnd.docker.reference.digest': subject.digest,
      'vnd.docker.reference.type': 'attestation-manifest',
    },
    platform: { architecture: 'unknown', os: 'unknown' },
  };
}

const args = process.argv.slice(2);
const attestAt = args.indexOf('--attest');
const attestTag = attestAt >= 0 ? args[attestAt + 1] : null;
const [layout, newTag, ...tags] = attestAt >= 0 ? args.slice(0, attestAt) : args;
if (!layout || !newTag || tags.length === 0 || (attestAt >= 0 && !tags.includes(attestTag))) {
  console.error('usage: oci-make-index.mjs <layout> <newTag> <tag>... [--attest <one of the tags>]');
  process.exit(2);
}

const indexFile = join(layout, 'index.json');
const top = JSON.parse(readFileSync(indexFile, 'utf8'));
const children = tags.map((tag) => childFor(layout, top, tag));
if (attestTag) children.push(attestationFor(layout, children[tags.indexOf(attestTag)]));
const index = writeBlob(layout, { schemaVersion: 2, mediaType: INDEX, manifests: children });
top.manifests = top.manifests.filter((entry) => entry.annotations?.[REF_NAME] !== newTag);
top.manifests.push({ mediaType: INDEX, ...index, annotations: { [REF_NAME]: newTag } });
writeFileSync(indexFile, JSON.stringify(top));
console.log(JSON.stringify({ tag: newTag, ...index, platforms: children.map((child) => child.platform) }));

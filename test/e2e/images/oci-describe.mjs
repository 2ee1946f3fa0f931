#!/usr/bin/env node
// Describes tags of an OCI layout as JSON ground truth for the e2e tests, or lists one tag's layers.
//   node oci-describe.mjs <layout> <tag>...              -> {"<tag>": description, ...}
//   node oci-describe.mjs --layer-lines <layout> <tag>   -> "digest mediaType" per layer, bottom first
// Layer digests, sizes and diff_ids come from the manifest and config; created_by comes from
// `umoci stat`, so the pairing of history entries with layers is umoci's, not ours.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REF_NAME = 'org.opencontainers.image.ref.name';
const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

function readBlob(layout, digest) {
  const [algorithm, hex] = digest.split(':');
  return JSON.parse(readFileSync(join(layout, 'blobs', algorithm, hex), 'utf8'));
}

function tagDescriptor(layout, tag) {
  const top = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const found = top.manifests.find((entry) => entry.annotations?.[REF_NAME] === tag);
  if (!found) throw new Error(`tag ${tag} is not in ${layout}/index.json`);
  return found;
}

function umociHistory(layout, tag) {
  const stat = JSON.parse(
    execFileSync('umoci', ['stat', '--image', `${layout}:${tag}`, '--json'], { encoding: 'utf8' }),
  );
  return stat.history.filter((entry) => entry.layer);
}

function describeManifest(layout, tag, descriptor) {
  const manifest = readBlob(layout, descriptor.digest);
  const config = readBlob(layout, manifest.config.digest);
  const history = umociHistory(layout, tag);
  const layers = manifest.layers.map((layer, index) => {
    const fromUmoci = history[index];
    if (fromUmoci?.layer.digest !== layer.digest) {
      throw new Error(
        `${tag}: umoci stat pairs layer ${index} with ${fromUmoci?.layer.digest}, manifest says ${layer.digest}`,
      );
    }
    return {
      digest: layer.digest,
      mediaType: layer.mediaType,
      size: layer.size,
      diffId: config.rootfs.diff_ids[index] ?? null,
      createdBy: fromUmoci.created_by ?? null,
    };
  });
  const platform = { os: config.os, architecture: config.architecture };
  return {
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    configDigest: manifest.config.digest,
    platform,
    layers,
  };
}

function describeIndex(layout, descriptor) {
  const index = readBlob(layout, descriptor.digest);
  const manifests = index.manifests.map((entry) => ({
    digest: entry.digest,
    platform: entry.platform ?? null,
    annotations: entry.annotations ?? {},
  }));
  return { mediaType: descriptor.mediaType, digest: descriptor.digest, manifests };
}

function describe(layout, tag) {
  const descriptor = tagDescriptor(layout, tag);
  return INDEX_TYPES.includes(descriptor.mediaType)
    ? describeIndex(layout, descriptor)
    : describeManifest(layout, tag, descriptor);
}

const args = process.argv.slice(2);
if (args[0] === '--layer-lines' && args.length === 3) {
  const [, layout, tag] = args;
  const manifest = readBlob(layout, tagDescriptor(layout, tag).digest);
  for (const layer of manifest.layers) console.log(layer.digest, layer.mediaType);
} else if (args.length >= 2 && !args[0].startsWith('--')) {
  const [layout, ...tags] = args;
  console.log(JSON.stringify(Object.fromEntries(tags.map((tag) => [tag, describe(layout, tag)])), null, 2));
} else {
  console.error('usage: oci-describe.mjs <layout> <tag>... | --layer-lines <layout> <tag>');
  process.exit(2);
}

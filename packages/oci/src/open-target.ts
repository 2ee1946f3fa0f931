import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { InvalidTargetError } from './errors.js';
import type { ImageSource } from './image-source.js';
import { directoryLocator } from './local/blob-locator.js';
import { openImageArchive, openOciLayout, openRootfsDirectory } from './local/local-sources.js';
import { isOciLayout } from './local/oci-layout.js';
import { parseImageReference } from './reference/image-reference.js';
import type { RegistryClientOptions } from './registry/client-environment.js';

/** Registry options apply when the target turns out to be a registry reference. */
export type OpenTargetOptions = RegistryClientOptions;

type Transport = 'oci' | 'oci-archive' | 'docker-archive' | 'dir' | 'registry';

const transports: ReadonlyArray<{ prefix: string; transport: Transport }> = [
  { prefix: 'docker://', transport: 'registry' },
  { prefix: 'registry:', transport: 'registry' },
  { prefix: 'oci-archive:', transport: 'oci-archive' },
  { prefix: 'docker-archive:', transport: 'docker-archive' },
  { prefix: 'oci:', transport: 'oci' },
  { prefix: 'dir:', transport: 'dir' },
];

const referenceHint =
  'give an existing path, or an image reference such as debian:bookworm or ghcr.io/org/app:1.0';

async function statOrNull(path: string): Promise<Stats | null> {
  return stat(path).catch(() => null);
}

/** `oci:5000/app` is host `oci`, port 5000, not the oci: transport: a prefix never precedes a port. */
function explicitTransport(target: string): { transport: Transport; rest: string } | null {
  for (const { prefix, transport } of transports) {
    if (!target.startsWith(prefix)) continue;
    const rest = target.slice(prefix.length);
    if (!prefix.endsWith('//') && /^\d+(\/|$)/.test(rest)) return null;
    return { transport, rest };
  }
  return null;
}

/** The longest existing path before a `:`, and the image name after it: `dir:tag`, `save.tar:app:1.0`. */
async function splitExisting(target: string): Promise<{ path: string; name: string; info: Stats } | null> {
  for (let colon = target.lastIndexOf(':'); colon > 0; colon = target.lastIndexOf(':', colon - 1)) {
    const name = target.slice(colon + 1);
    const info = name === '' ? null : await statOrNull(target.slice(0, colon));
    if (info) return { path: target.slice(0, colon), name, info };
  }
  return null;
}

/** Path and optional name of a local target; the path must exist. */
async function localPath(
  target: string,
  original: string,
): Promise<{ path: string; name: string | null; info: Stats }> {
  const whole = await statOrNull(target);
  if (whole) return { path: target, name: null, info: whole };
  const split = await splitExisting(target);
  if (split) return split;
  throw new InvalidTargetError(original, `${target} does not exist`, 'check the path');
}

function looksLikePath(target: string): boolean {
  return /^(\.{0,2}\/|~)/.test(target) || /\.(tar|tar\.gz|tgz|tar\.zst)$/i.test(target);
}

async function openExplicit(
  transport: Transport,
  rest: string,
  target: string,
  options: OpenTargetOptions,
): Promise<ImageSource> {
  if (transport === 'registry') return openRegistry(rest.replace(/^\/\//, ''), options);
  const { path, name, info } = await localPath(rest, target);
  if (transport === 'dir') {
    if (!info.isDirectory() || name !== null)
      throw new InvalidTargetError(
        target,
        `${rest} is not a directory`,
        'dir: takes a root filesystem directory',
      );
    return openRootfsDirectory(path);
  }
  if (transport === 'oci') {
    if (!info.isDirectory() || !(await isOciLayout(directoryLocator(path)))) {
      throw new InvalidTargetError(
        target,
        `${path} is not an OCI layout directory (no oci-layout file)`,
        'oci: takes a directory written by umoci, skopeo or buildx',
      );
    }
    return openOciLayout(path, { tag: name });
  }
  if (!info.isFile())
    throw new InvalidTargetError(target, `${path} is not a file`, `${transport}: takes a tar archive`);
  return openImageArchive(path, { tag: name, format: transport === 'oci-archive' ? 'oci' : 'docker' });
}

/** The source for an existing path; null for `plain-directory:name`, which names nothing local. */
async function openLocal(
  path: string,
  name: string | null,
  info: Stats,
  target: string,
): Promise<ImageSource | null> {
  if (info.isFile()) return openImageArchive(path, { tag: name });
  if (!info.isDirectory())
    throw new InvalidTargetError(target, `${path} is neither a file nor a directory`, referenceHint);
  if (await isOciLayout(directoryLocator(path))) return openOciLayout(path, { tag: name });
  return name === null ? openRootfsDirectory(path) : null;
}

/**
 * Decides what a target names and opens it: an explicit transport prefix (`oci:`, `oci-archive:`,
 * `docker-archive:`, `dir:`, `docker://`, `registry:`) wins; else an existing path (an OCI layout
 * directory, another directory as a root filesystem, a file as an archive), optionally `path:tag`;
 * else a registry reference. Anything else is INVALID_TARGET.
 */
export async function openTarget(target: string, options: OpenTargetOptions = {}): Promise<ImageSource> {
  if (target.trim() === '') throw new InvalidTargetError(target, 'it is empty', referenceHint);
  const explicit = explicitTransport(target);
  if (explicit) return openExplicit(explicit.transport, explicit.rest, target, options);
  const whole = await statOrNull(target);
  const split = whole ? null : await splitExisting(target);
  const local = whole
    ? await openLocal(target, null, whole, target)
    : split && (await openLocal(split.path, split.name, split.info, target));
  if (local) return local;
  // `debian:bookworm` beside a plain directory named debian is still the registry image.
  if (looksLikePath(target))
    throw new InvalidTargetError(target, 'no such file or directory', 'check the path');
  try {
    parseImageReference(target);
  } catch (error) {
    throw new InvalidTargetError(
      target,
      'it is not an existing file or directory, nor a valid image reference',
      referenceHint,
      error,
    );
  }
  return openRegistry(target, options);
}

/** The registry client (undici and all) is loaded only for a registry target: a local one never needs it. */
async function openRegistry(reference: string, options: OpenTargetOptions): Promise<ImageSource> {
  const { openRegistryImage } = await import('./registry/registry-source.js');
  return openRegistryImage(reference, options);
}

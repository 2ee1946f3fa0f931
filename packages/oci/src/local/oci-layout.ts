import type { ErrorContext } from '@customs/errors';
import { OciError } from '../errors.js';
import type { PlatformSelector, ResolvedImage } from '../image-source.js';
import { mediaTypes } from '../manifest/media-types.js';
import { parseManifest, type Descriptor, type ImageIndex } from '../manifest/parse-manifest.js';
import { MAX_MANIFEST_BYTES } from '../resolve/content-store.js';
import { parseFetched, resolveImages, type ResolveRoot } from '../resolve/resolve-images.js';
import { readLocation, type BlobLocator } from './blob-locator.js';
import { allNames, selectByName } from './image-names.js';
import { LocalStore } from './local-store.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
/** What containerd and Docker ≥ 25 `docker save` write beside the ref name: the full image name. */
const CONTAINERD_NAME = 'io.containerd.image.name';

function namesOf(descriptor: Descriptor): string[] {
  const names = [descriptor.annotations?.[REF_NAME], descriptor.annotations?.[CONTAINERD_NAME]];
  return names.filter((name): name is string => name !== undefined && name !== '');
}

function layoutError(where: string, detail: string): OciError {
  return new OciError('OCI_LAYOUT_INVALID', `${where} is not a valid OCI image layout: ${detail}`, {
    hint: 'an OCI layout has an oci-layout file, an index.json and blobs/<algorithm>/<hex> files',
  });
}

/** Whether the layout marker is there: the test that tells a layout from any other directory or archive. */
export async function isOciLayout(locator: BlobLocator): Promise<boolean> {
  return (await locator.locate('oci-layout')) !== null;
}

async function readSmallFile(locator: BlobLocator, path: string): Promise<Buffer> {
  const location = await locator.locate(path);
  if (location === null) throw layoutError(locator.where, `${path} is missing`);
  if (location.size > MAX_MANIFEST_BYTES)
    throw layoutError(locator.where, `${path} is larger than ${MAX_MANIFEST_BYTES} bytes`);
  return readLocation(location);
}

export async function readLayoutIndex(locator: BlobLocator, context: ErrorContext): Promise<ImageIndex> {
  let marker: unknown;
  try {
    marker = JSON.parse((await readSmallFile(locator, 'oci-layout')).toString('utf8'));
  } catch (error) {
    if (error instanceof OciError) throw error;
    throw layoutError(locator.where, 'oci-layout is not JSON');
  }
  const version =
    typeof marker === 'object' && marker !== null && 'imageLayoutVersion' in marker
      ? marker.imageLayoutVersion
      : null;
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    throw layoutError(locator.where, `imageLayoutVersion ${JSON.stringify(version)} is not 1.x`);
  }
  const index = parseManifest(
    await readSmallFile(locator, 'index.json'),
    mediaTypes.ociIndex,
    `${locator.where} index.json`,
    context,
  );
  if (index.kind !== 'index') throw layoutError(locator.where, 'index.json is not an image index');
  return index;
}

/**
 * Which entry of index.json to resolve. With a tag: the entries whose ref name (or containerd image
 * name) is that tag. Without: the only entry; or, when several entries carry no names at all (a
 * multi-platform layout written by ko or crane), index.json itself as the index to choose a platform
 * from. Several named entries and no tag is IMAGE_AMBIGUOUS, listing the names.
 */
async function chooseRoot(
  store: LocalStore,
  index: ImageIndex,
  tag: string | null,
  context: ErrorContext,
): Promise<ResolveRoot> {
  const where = store.locator.where;
  const names = allNames(index.manifests, namesOf);
  let chosen = index.manifests;
  if (tag !== null) {
    chosen = selectByName(index.manifests, namesOf, tag);
    if (chosen.length === 0) {
      throw new OciError(
        'IMAGE_TAG_NOT_FOUND',
        `no image named "${tag}" in ${where}; it holds: ${names.join(', ') || '(no names)'}`,
        {
          hint: `name one of them as ${where}:<tag>`,
          context,
        },
      );
    }
  } else if (chosen.length === 0) {
    throw layoutError(where, 'index.json lists no images');
  } else if (chosen.length > 1 && names.length > 0) {
    throw new OciError('IMAGE_AMBIGUOUS', `${where} holds ${chosen.length} images: ${names.join(', ')}`, {
      hint: `name one as ${where}:<tag>`,
      context,
    });
  }
  const [only] = chosen;
  if (chosen.length > 1 || only === undefined)
    return { digest: null, manifest: { ...index, manifests: chosen } };
  const fetched = await store.fetchManifest(only, context);
  return { digest: fetched.digest, manifest: parseFetched(fetched, context) };
}

/** Resolves the images of an OCI image layout kept wherever the locator reads from. */
export async function resolveLayout(
  locator: BlobLocator,
  tag: string | null,
  selector: PlatformSelector,
  reference: string,
): Promise<ResolvedImage[]> {
  const context = { image: reference };
  const store = new LocalStore(locator);
  const index = await readLayoutIndex(locator, context);
  return resolveImages(store, await chooseRoot(store, index, tag, context), selector, reference);
}

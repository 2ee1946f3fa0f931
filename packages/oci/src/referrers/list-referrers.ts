import { ReferrersIndexInvalidError } from '../errors.js';
import { InvalidOptionError } from '@customs/errors';
import { mediaTypes } from '../manifest/media-types.js';
import { parseImageReference } from '../reference/image-reference.js';
import { createClientEnvironment, type RegistryClientOptions } from '../registry/client-environment.js';
import { readCapped } from '../registry/http-exchange.js';
import { RegistryHttp } from '../registry/registry-http.js';
import { MAX_MANIFEST_BYTES } from '../resolve/content-store.js';
import { parseReferrersIndex, referrersTag, type ReferrerDescriptor } from './referrers-index.js';

export interface ReferrersList {
  referrers: ReferrerDescriptor[];
  /** `api`: the registry's referrers API answered; `tag`: it does not have one, the fallback tag was read. */
  via: 'api' | 'tag';
}

/**
 * The artifacts whose `subject` is an image (`registry/repository@sha256:…`), optionally only those of
 * one `artifactType`: from `GET /v2/<name>/referrers/<digest>`, or, where that answers 404, from the
 * referrers tag. A tag that is missing or holds no valid index means no referrers (as the spec says).
 */
export async function listReferrers(
  subject: string,
  options: RegistryClientOptions = {},
  filter: { artifactType?: string } = {},
): Promise<ReferrersList> {
  const reference = parseImageReference(subject);
  if (reference.digest === null) throw new InvalidOptionError('subject', `${subject} names no digest`);
  const environment = createClientEnvironment(options);
  const http = new RegistryHttp(reference.registry, environment);
  const context = { image: subject };
  const get = (path: string) =>
    http.get(path, {
      scope: `repository:${reference.repository}:pull`,
      headers: { accept: mediaTypes.ociIndex },
      context,
    });
  const read = (response: Awaited<ReturnType<typeof get>>) =>
    readCapped(
      response.body,
      MAX_MANIFEST_BYTES,
      () => new ReferrersIndexInvalidError(subject, 'it is too large', context),
    );
  const wanted = (list: ReferrerDescriptor[]) =>
    filter.artifactType === undefined
      ? list
      : list.filter((entry) => entry.artifactType === filter.artifactType);
  try {
    const api = await get(`/v2/${reference.repository}/referrers/${reference.digest}`);
    if (api.status === 200) {
      const parsed = parseReferrersIndex((await read(api)).toString('utf8'));
      if (typeof parsed === 'string') throw new ReferrersIndexInvalidError(`of ${subject}`, parsed, context);
      return { referrers: wanted(parsed.manifests), via: 'api' };
    }
    await api.body.dump();
    const tag = await get(`/v2/${reference.repository}/manifests/${referrersTag(reference.digest)}`);
    if (tag.status !== 200) {
      await tag.body.dump();
      return { referrers: [], via: 'tag' };
    }
    const parsed = parseReferrersIndex((await read(tag)).toString('utf8'));
    return { referrers: typeof parsed === 'string' ? [] : wanted(parsed.manifests), via: 'tag' };
  } finally {
    if (environment.ownsDispatcher) await environment.dispatcher.close();
  }
}

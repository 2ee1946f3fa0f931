export type {
  ImageConfig,
  ImageSource,
  LayerDescriptor,
  LocalBlob,
  OpenLayerOptions,
  Platform,
  PlatformSelector,
  ResolvedImage,
} from './image-source.js';

export { openTarget } from './open-target.js';
export type { OpenTargetOptions } from './open-target.js';
export { openRegistryImage } from './registry/registry-source.js';
export { resolveTagDigest } from './registry/resolve-tag-digest.js';
export type { RegistryClientOptions } from './registry/client-environment.js';
export type { RetryPolicy } from './registry/retry.js';
export { DEFAULT_RETRY_POLICY } from './registry/retry.js';
export type { Credentials, CredentialsSource } from './registry/credentials.js';
export { parseDockerConfig } from './registry/docker-config.js';
export type { DockerConfigAuths } from './registry/docker-config.js';
export { openImageArchive, openOciLayout, openRootfsDirectory } from './local/local-sources.js';
export type { ArchiveFormat, ImageArchiveOptions, LocalImageOptions } from './local/local-sources.js';

export { formatImageReference, parseImageReference, registryApiHost } from './reference/image-reference.js';
export type { ImageReference } from './reference/image-reference.js';
export {
  DEFAULT_PLATFORM,
  DEFAULT_PLATFORM_SELECTOR,
  formatPlatform,
  normalizePlatform,
  parsePlatform,
  platformsEqual,
} from './platform.js';

export {
  BlobNotFoundError,
  BlobSizeMismatchError,
  DigestMismatchError,
  InvalidReferenceError,
  InvalidTargetError,
  ManifestNotFoundError,
  OciError,
  PlatformNotFoundError,
  ReferrersIndexInvalidError,
  RegistryAuthError,
  RegistryUnavailableError,
  UnsupportedManifestError,
  NotAnImageError,
  ociErrorCodes,
} from './errors.js';
export type { OciErrorCode } from './errors.js';
export { pushArtifact, OCI_MANIFEST_MEDIA_TYPE } from './registry/artifact-push.js';
export type { ArtifactPush } from './registry/artifact-push.js';
export { pullArtifact } from './registry/artifact-pull.js';
export { pushReferrer } from './referrers/push-referrer.js';
export type { PushedReferrer, ReferrerPush } from './referrers/push-referrer.js';
export { listReferrers } from './referrers/list-referrers.js';
export type { ReferrersList } from './referrers/list-referrers.js';
export { referrersTag } from './referrers/referrers-index.js';
export type { ReferrerDescriptor } from './referrers/referrers-index.js';
export { pullReferrers } from './referrers/pull-referrers.js';
export type { ReferrerArtifact } from './referrers/pull-referrers.js';

export { createFakeRegistry } from './fake-registry.js';
export type {
  FakeFailure,
  FakeRegistry,
  FakeRegistryOptions,
  FakeRegistryStats,
  RecordedRequest,
} from './fake-registry.js';
export type { FakeAuth } from './fake-auth.js';
export type { BlobBreaks } from './fake-blob-responder.js';
export { blobsOf, fakeAttestation, fakeImage, fakeIndex } from './fake-images.js';
export type {
  FakeBlob,
  FakeContent,
  FakeImage,
  FakeImageOptions,
  FakeIndex,
  FakeIndexEntry,
} from './fake-images.js';
export { writeOciLayout } from './write-oci-layout.js';
export type { LayoutEntry } from './write-oci-layout.js';
export { buildDockerArchive, buildOciArchive, buildTar } from './build-archives.js';
export type { SavedImage, TarEntry } from './build-archives.js';
export { ociLayoutFiles } from './write-oci-layout.js';
export type { LayoutFile } from './write-oci-layout.js';

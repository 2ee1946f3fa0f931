export { openStore } from './open-store.js';
export type { Store, StoreOptions } from './open-store.js';
export { migrateStore, STORE_MIGRATIONS, STORE_NAMESPACE } from './migrations.js';
export { createLayerStore } from './layer-store.js';
export type { LayerStoreOptions } from './layer-store.js';
export type {
  ImageLocation,
  ImageStore,
  ImageWithPackage,
  IndexChild,
  ManifestExtra,
  StoredImage,
} from './image-store.js';
export { cachedImages } from './cached-images.js';
export { cachedPackageKinds } from './package-kinds.js';
export type { CachedPackageKinds } from './package-kinds.js';
export { SCAN_STATUSES } from './scan-store.js';
export type {
  Scan,
  ScanImage,
  ScanRequest,
  ScanResult,
  ScanStats,
  ScanStatus,
  ScanStore,
  ScanSummary,
  ScanTrigger,
} from './scan-store.js';
export { DELIVERY_OUTCOMES } from './delivery-store.js';
export type { Delivery, DeliveryOutcome, DeliveryStore, StoredDelivery } from './delivery-store.js';
export { hashToken, parseRepositories, parseScopes, TOKEN_SCOPES } from './token-store.js';
export type { TokenInfo, TokenScope, TokenStore } from './token-store.js';
export { ARTIFACT_KINDS } from './artifact-store.js';
export type { ArtifactKind, ArtifactStore, ObjectStore } from './artifact-store.js';
export type { DeadLetter, DeadLetterStore } from './dead-letter-store.js';
export type { StoredVexDocument, VexDocumentInput, VexStore } from './vex-store.js';
export {
  LayerLeaseAbortedError,
  TokenFormatError,
  TokenRepositoriesError,
  TokenScopeError,
} from './errors.js';
export { createS3ObjectStore } from './s3-object-store.js';
export type { S3ObjectStoreOptions } from './s3-object-store.js';
export type {
  RecordedVerdict,
  VerdictCause,
  VerdictChange,
  VerdictRecord,
  VerdictRecordStore,
} from './verdict-record-store.js';
export type { CandidatePackage, JudgedImages, NameForm, PackageNames } from './judged-images.js';
export { loadJudgingSnapshot, type JudgingSnapshot } from './judging-snapshot.js';

export { applyVex, loadImageVex, type ImageVex, type StoredStatement, type VexOutcome } from './apply-vex.js';
export { combinePlatforms, isJudged, type PlatformVerdict } from './combine-platforms.js';
export {
  createDataVersionSource,
  dataVersionBody,
  type DataVersion,
  type DataVersionOptions,
  type DataVersionSource,
} from './data-version.js';
export {
  emptyVerdict,
  judgeInventory,
  judgeWithoutInventory,
  scanSummary,
  withoutData,
  type ImageVerdict,
  type Judged,
} from './judge-image.js';
export { serialise, VerdictCache, type CachedVerdict, type Serialised } from './verdict-cache.js';
export {
  createVerdictService,
  type Verdict,
  type VerdictService,
  type VerdictServiceOptions,
} from './verdict-service.js';
export { computeVerdict, type VerdictContext } from './compute-verdict.js';
export { digestsToRejudge } from './rejudge/plan-rejudge.js';
export { digestsTouchedBy } from './rejudge/touched-images.js';
export {
  createRejudger,
  type RejudgeDeps,
  type RejudgeOutcome,
  type Rejudger,
} from './rejudge/rejudge-images.js';
export { policySummary } from './policy-summary.js';

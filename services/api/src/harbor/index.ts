export { createHarborRouter } from './harbor-router.js';
export type { HarborAdapterDeps } from './harbor-deps.js';
export { createHarborScanRequests } from './scan-requests.js';
export type { HarborScanRequest, HarborScanRequests } from './scan-requests.js';
export { HARBOR_SPEC_PATH, HARBOR_SPEC_SHA256 } from './harbor-spec.js';
export { withHarborAdapter } from './mount-harbor.js';
export type { HarborMountDeps } from './mount-harbor.js';

export { startUpdater, UPDATE_QUEUE } from './start-updater.js';
export type { RunningUpdater, UpdaterDeps, UpdateRunSummary } from './start-updater.js';
export { runScheduledUpdate } from './scheduled-update.js';
export type { ScheduledUpdateDeps, UpdateRunOutcome } from './scheduled-update.js';
export { withUpdateLock } from './update-lock.js';
export { createUpdaterLogger } from './logger.js';

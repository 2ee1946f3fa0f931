import type { ServiceConfig } from '@customs/config';
import type { NotificationStore } from '@customs/notifications';
import type { RejudgeQueue, ScanQueues } from '@customs/queue';
import type { ToolInfo } from '@customs/report';
import type { TagResolver } from '@customs/scans';
import type { Store } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import type { Logger } from 'pino';
import type { TokenAuth } from './auth/token-auth.js';
import type { Contract } from './contract/load-contract.js';
import type { PolicySet } from '@customs/policy';
import type { DataVersionSource, VerdictService } from '@customs/verdicts';

/** Timings and sizes an operator (or a test) may change; every one has a default. */
export interface ApiTuning {
  /** How long a token lookup is believed: a revocation in another process bites within this. */
  tokenCacheMs: number;
  /**
   * Least time between background checks of the vulnerability-data version (when requests come;
   * never less than ten times the last check took). 0 checks on every request and waits (tests).
   */
  dataVersionPollMs: number;
  /** How long a pass/warn/fail verdict is reused for one data version. */
  verdictTtlMs: number;
  /**
   * How long a pending/unknown/error verdict (and a tag lookup) is reused: how late a finished scan
   * or a newly pushed tag can show. Recomputing one costs three indexed queries.
   */
  transientVerdictTtlMs: number;
  verdictCacheEntries: number;
  /** Deadline for each readiness check and each Redis call of /metrics. */
  dependencyTimeoutMs: number;
  /** Deadline for putting a scan job into Redis. */
  enqueueTimeoutMs: number;
  /**
   * A scan of the digest finished within this many seconds answers a scan request. 0: only an open
   * scan does; asking for a scan of a finished image scans it again.
   */
  scanDedupeWindowSeconds: number;
  /** The window of finished scans /metrics summarises. */
  metricsWindowSeconds: number;
}

export const DEFAULT_TUNING: ApiTuning = {
  tokenCacheMs: 5_000,
  dataVersionPollMs: 1_000,
  verdictTtlMs: 30_000,
  // A warm push is scanned in under 100 ms: a pending verdict kept for 1 s made push → verdict take
  // a second at the median whatever the scan took (bench/service/run.mjs).
  transientVerdictTtlMs: 100,
  verdictCacheEntries: 10_000,
  dependencyTimeoutMs: 2_000,
  enqueueTimeoutMs: 5_000,
  scanDedupeWindowSeconds: 0,
  metricsWindowSeconds: 3_600,
};

export interface ApiDeps {
  /** `admission` absent: its defaults (every namespace enforced, fail closed, no token). */
  config: Pick<ServiceConfig, 'policy' | 'registries'> &
    Partial<Pick<ServiceConfig, 'admission' | 'vulnData'>>;
  store: Pick<
    Store,
    'db' | 'images' | 'scans' | 'tokens' | 'artifacts' | 'deliveries' | 'vex' | 'judgedImages'
  >;
  queues: Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan' | 'depth' | 'ping'>;
  vulnReader: VulnDbReader;
  logger: Logger;
  /** The policy file's rules as they are now (reloaded); absent: `config.policy` alone. */
  policies?: { current(): PolicySet };
  /**
   * The re-judging lane: imports and updates run by this server queue the cached images they touch,
   * as the updater does. Absent: they are not re-judged (verdicts asked for are still computed now).
   */
  rejudge?: { queue: Pick<RejudgeQueue, 'enqueue'>; batchSize: number };
  /** The wall clock verdicts are computed for (ignore entries expire by it). Default: now. */
  now?: () => Date;
  /** Resolves the tag of a scan request. Default: at the configured registry, through @customs/scans. */
  resolveTag?: TagResolver;
  tuning?: Partial<ApiTuning>;
}

/** Everything the handlers share, built once by createApiApp. */
export interface ApiContext {
  deps: ApiDeps;
  tuning: ApiTuning;
  now(): Date;
  /** Monotonic milliseconds, for cache lifetimes and deadlines. */
  clock(): number;
  contract: Contract;
  auth: TokenAuth;
  verdicts: VerdictService;
  /** Subscriptions, their delivery logs and the event feed, over `deps.store.db`. */
  notifications: NotificationStore;
  dataVersion: DataVersionSource;
  resolveTag: TagResolver;
  tool: ToolInfo;
}

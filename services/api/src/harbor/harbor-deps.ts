import type { HarborConfig, RegistryConfig } from '@customs/config';
import type { ScanCredentialStore, ScanQueues } from '@customs/queue';
import type { ToolInfo } from '@customs/report';
import type { Store } from '@customs/store';
import type { VulnDbReader } from '@customs/vulndb';
import type { Logger } from 'pino';
import type { HarborScanRequests } from './scan-requests.js';

export interface HarborAdapterDeps {
  harbor: HarborConfig;
  registries: readonly RegistryConfig[];
  store: Pick<Store, 'scans' | 'images' | 'artifacts'>;
  queues: Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan'>;
  /** Where a request's robot credential waits for the worker (Redis, under `harbor.credentialTtlSeconds`). */
  credentials: Pick<ScanCredentialStore, 'put'>;
  requests: HarborScanRequests;
  vulnReader: VulnDbReader;
  logger: Logger;
  tool: ToolInfo;
  now(): Date;
  /**
   * Deadline of each Redis call a request makes. Harbor gives up on an answer after 5 s, and a scan
   * request makes up to four (credential, push lane, rescan lane, request record).
   */
  redisTimeoutMs: number;
}

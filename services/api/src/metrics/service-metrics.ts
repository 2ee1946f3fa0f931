import { QueueUnavailableError, type ScanQueues } from '@customs/queue';
import type { Store } from '@customs/store';
import { Gauge, Registry } from 'prom-client';
import { withDeadline } from '../deadline.js';

export interface MetricsOptions {
  store: Pick<Store, 'scans' | 'deliveries'>;
  queues: Pick<ScanQueues, 'depth'>;
  windowSeconds: number;
  redisTimeoutMs: number;
  onError(source: 'redis' | 'postgres', error: unknown): void;
}

export interface ServiceMetrics {
  /** The exposition text, read from Redis and PostgreSQL now. */
  render(): Promise<{ text: string; contentType: string }>;
}

const QUANTILES = [0.5, 0.9, 0.99] as const;

/**
 * Service-wide figures read from shared state when scraped (queue depths from Redis; scans,
 * layer cache figures and webhook deliveries from PostgreSQL), so every API process reports the
 * same numbers whichever one Prometheus scrapes. A source that does not answer is reported by
 * `customs_metrics_source_up` and its figures are left out rather than shown stale.
 */
export function createServiceMetrics(options: MetricsOptions): ServiceMetrics {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const window = `${options.windowSeconds} s`;
  const queueJobs = gauge('customs_queue_jobs', 'Jobs in each scan queue, by state.', ['queue', 'state']);
  const scansRecent = gauge('customs_scans_recent', `Scans finished in the last ${window}, by outcome.`, [
    'status',
  ]);
  const durations = gauge(
    'customs_scan_duration_seconds',
    `Duration of the scans that finished in the last ${window} (start to finish), as quantiles.`,
    ['quantile'],
  );
  const layers = gauge(
    'customs_scan_layers_recent',
    `Layers of the scans that finished in the last ${window}, by where they came from.`,
    ['source'],
  );
  const hitRatio = gauge(
    'customs_layer_cache_hit_ratio',
    `Share of the layers of the last ${window}'s scans found already analysed.`,
  );
  const deliveries = gauge(
    'customs_webhook_deliveries',
    'Webhook deliveries recorded, by source and outcome.',
    ['source', 'outcome'],
  );
  const sourceUp = gauge(
    'customs_metrics_source_up',
    'Whether this scrape could read the source (1) or not (0).',
    ['source'],
  );
  let previous: Promise<unknown> = Promise.resolve();

  async function readRedis(): Promise<boolean> {
    try {
      const ms = options.redisTimeoutMs;
      const depth = await withDeadline(
        options.queues.depth(),
        ms,
        () => new QueueUnavailableError(`read queue depths within ${ms} ms`, null),
      );
      for (const [queue, states] of Object.entries(depth)) {
        for (const [state, count] of Object.entries(states)) queueJobs.set({ queue, state }, count);
      }
      return true;
    } catch (error) {
      options.onError('redis', error);
      return false;
    }
  }

  async function readPostgres(): Promise<boolean> {
    try {
      const [summary, counts] = await Promise.all([
        options.store.scans.summary(options.windowSeconds),
        options.store.deliveries.countsBySourceAndOutcome(),
      ]);
      scansRecent.set({ status: 'done' }, summary.finished);
      scansRecent.set({ status: 'failed' }, summary.failed);
      const sorted = [...summary.durationsSeconds].sort((a, b) => a - b);
      for (const quantile of QUANTILES) {
        if (sorted.length > 0) durations.set({ quantile: String(quantile) }, nearestRank(sorted, quantile));
      }
      layers.set({ source: 'cache' }, summary.layersCached);
      layers.set({ source: 'registry' }, summary.layersFetched);
      const total = summary.layersCached + summary.layersFetched;
      if (total > 0) hitRatio.set(summary.layersCached / total);
      for (const row of counts) deliveries.set({ source: row.source, outcome: row.outcome }, row.count);
      return true;
    } catch (error) {
      options.onError('postgres', error);
      return false;
    }
  }

  async function render(): Promise<{ text: string; contentType: string }> {
    registry.resetMetrics();
    const [redis, postgres] = await Promise.all([readRedis(), readPostgres()]);
    sourceUp.set({ source: 'redis' }, redis ? 1 : 0);
    sourceUp.set({ source: 'postgres' }, postgres ? 1 : 0);
    return { text: await registry.metrics(), contentType: registry.contentType };
  }

  return {
    // One scrape at a time: each one resets and refills the same gauges.
    render() {
      const next = previous.then(render, render);
      previous = next.catch(() => undefined);
      return next;
    },
  };
}

/** The smallest value with at least `quantile` of the values at or below it. */
function nearestRank(sorted: readonly number[], quantile: number): number {
  const index = Math.max(0, Math.ceil(quantile * sorted.length) - 1);
  return sorted[index] ?? 0;
}

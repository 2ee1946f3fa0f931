import type { Database } from '@customs/db';

export const DELIVERY_OUTCOMES = [
  'enqueued',
  'duplicate',
  'ignored',
  'rejected',
  'invalid',
  'failed',
] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** One webhook request as received: kept for audit and so a delivery can be replayed. */
export interface Delivery {
  source: string;
  /** The sender's own id for the delivery (X-GitHub-Delivery, CloudEvents id) when it gives one. */
  deliveryId?: string | null;
  outcome: DeliveryOutcome;
  reason?: string | null;
  registry?: string | null;
  repository?: string | null;
  digest?: string | null;
  tag?: string | null;
  scanId?: string | null;
  payload?: unknown;
}

export interface StoredDelivery extends Delivery {
  id: number;
  receivedAt: Date;
}

export interface DeliveryStore {
  /** Records a delivery; `false` when the same (source, deliveryId) was recorded before — a replay. */
  record(delivery: Delivery): Promise<{ id: number; fresh: boolean }>;
  recent(limit: number): Promise<StoredDelivery[]>;
  get(id: number): Promise<StoredDelivery | null>;
  countsBySourceAndOutcome(): Promise<Array<{ source: string; outcome: DeliveryOutcome; count: number }>>;
  /** Deletes deliveries received more than `olderThanSeconds` ago; resolves to how many. */
  expire(olderThanSeconds: number): Promise<number>;
}

/** Rows deleted per statement, so expiring a large backlog never holds one long lock. */
const EXPIRE_BATCH = 5_000;

interface DeliveryRow {
  id: string | number;
  source: string;
  delivery_id: string | null;
  received_at: Date;
  outcome: DeliveryOutcome;
  reason: string | null;
  registry: string | null;
  repository: string | null;
  digest: string | null;
  tag: string | null;
  scan_id: string | null;
  payload: unknown;
}

export function createDeliveryStore(db: Database): DeliveryStore {
  return {
    async record(delivery) {
      const rows = await db.query<{ id: string | number }>(
        `insert into webhook_deliveries
           (source, delivery_id, outcome, reason, registry, repository, digest, tag, scan_id, payload)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
         on conflict (source, delivery_id) do nothing
         returning id`,
        [
          delivery.source,
          delivery.deliveryId ?? null,
          delivery.outcome,
          delivery.reason ?? null,
          delivery.registry ?? null,
          delivery.repository ?? null,
          delivery.digest ?? null,
          delivery.tag ?? null,
          delivery.scanId ?? null,
          delivery.payload === undefined ? null : JSON.stringify(delivery.payload),
        ],
      );
      const [row] = rows;
      return row ? { id: Number(row.id), fresh: true } : { id: -1, fresh: false };
    },
    async recent(limit) {
      const rows = await db.query<DeliveryRow>('select * from webhook_deliveries order by id desc limit $1', [
        limit,
      ]);
      return rows.map(toDelivery);
    },
    async get(id) {
      const [row] = await db.query<DeliveryRow>('select * from webhook_deliveries where id = $1', [id]);
      return row ? toDelivery(row) : null;
    },
    async countsBySourceAndOutcome() {
      const rows = await db.query<{ source: string; outcome: DeliveryOutcome; count: string | number }>(
        'select source, outcome, count(*) as count from webhook_deliveries group by source, outcome order by 1, 2',
      );
      return rows.map((row) => ({ ...row, count: Number(row.count) }));
    },
    async expire(olderThanSeconds) {
      let total = 0;
      for (;;) {
        const rows = await db.query<{ id: string | number }>(
          `delete from webhook_deliveries where id in (
             select id from webhook_deliveries where received_at < now() - $1 * interval '1 second'
              limit $2)
           returning id`,
          [olderThanSeconds, EXPIRE_BATCH],
        );
        total += rows.length;
        if (rows.length < EXPIRE_BATCH) return total;
      }
    },
  };
}

function toDelivery(row: DeliveryRow): StoredDelivery {
  return {
    id: Number(row.id),
    source: row.source,
    deliveryId: row.delivery_id,
    receivedAt: row.received_at,
    outcome: row.outcome,
    reason: row.reason,
    registry: row.registry,
    repository: row.repository,
    digest: row.digest,
    tag: row.tag,
    scanId: row.scan_id,
    payload: row.payload,
  };
}

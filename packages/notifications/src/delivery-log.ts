import type { Database } from '@customs/db';

/** One attempt to deliver one event to one subscription. */
export interface DeliveryAttempt {
  subscriptionId: string;
  eventId: string;
  /** 1 for the first try. */
  attempt: number;
  /** The receiver's status, or null when none came (refused, timed out). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface LoggedDelivery extends Omit<DeliveryAttempt, 'subscriptionId'> {
  id: number;
  attemptedAt: Date;
}

export interface DeliveryLog {
  record(attempt: DeliveryAttempt): Promise<void>;
  /** A subscription's attempts, newest first. */
  list(subscriptionId: string, limit: number): Promise<LoggedDelivery[]>;
}

interface DeliveryRow {
  id: number;
  event_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date;
}

export function createDeliveryLog(db: Database): DeliveryLog {
  return {
    async record(attempt) {
      await db.query(
        `insert into notification_deliveries (subscription_id, event_id, attempt, status_code, error, duration_ms)
         values ($1, $2, $3, $4, $5, $6)`,
        [
          attempt.subscriptionId,
          attempt.eventId,
          attempt.attempt,
          attempt.statusCode,
          attempt.error,
          Math.round(attempt.durationMs),
        ],
      );
    },
    async list(subscriptionId, limit) {
      const rows = await db.query<DeliveryRow>(
        'select * from notification_deliveries where subscription_id = $1 order by id desc limit $2',
        [subscriptionId, limit],
      );
      return rows.map((row) => ({
        id: row.id,
        eventId: row.event_id,
        attempt: row.attempt,
        statusCode: row.status_code,
        error: row.error,
        durationMs: row.duration_ms,
        attemptedAt: row.attempted_at,
      }));
    },
  };
}

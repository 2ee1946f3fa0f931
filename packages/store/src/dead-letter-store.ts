import type { Database } from '@customs/db';

export interface DeadLetter {
  queue: string;
  jobId: string;
  payload: unknown;
  error: string;
  attempts: number;
}

export interface DeadLetterStore {
  /** A job that ran out of attempts: kept for an operator, with what it was and why it failed. */
  record(letter: DeadLetter): Promise<void>;
  list(limit: number): Promise<Array<DeadLetter & { failedAt: Date }>>;
}

export function createDeadLetterStore(db: Database): DeadLetterStore {
  return {
    async record(letter) {
      await db.query(
        'insert into dead_letters (queue, job_id, payload, error, attempts) values ($1, $2, $3::jsonb, $4, $5)',
        [letter.queue, letter.jobId, JSON.stringify(letter.payload), letter.error, letter.attempts],
      );
    },
    async list(limit) {
      const rows = await db.query<{
        queue: string;
        job_id: string;
        payload: unknown;
        error: string;
        attempts: number;
        failed_at: Date;
      }>('select * from dead_letters order by id desc limit $1', [limit]);
      return rows.map((row) => ({
        queue: row.queue,
        jobId: row.job_id,
        payload: row.payload,
        error: row.error,
        attempts: row.attempts,
        failedAt: row.failed_at,
      }));
    },
  };
}

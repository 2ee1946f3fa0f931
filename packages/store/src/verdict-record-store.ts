import type { Database, Queryable } from '@customs/db';

/** Why an image was judged again. */
export type VerdictCause = 'scan' | 'data-update';

/** A verdict as kept for comparison: its state and the reasons for it. */
export interface VerdictRecord {
  digest: string;
  policyId: string;
  registry: string | null;
  repository: string | null;
  /** pass, warn, fail, unknown, pending, error. */
  verdict: string;
  /** The verdict's reasons as the API shows them. */
  reasons: unknown[];
  /** The vulnerability-data version judged with; null when none was imported. */
  dataVersion: string | null;
  judgedAt: Date;
}

export interface RecordedVerdict {
  previous: string | null;
  change: VerdictChange | null;
}

/** A verdict that differs from the one recorded before it for the same digest and policy. */
export interface VerdictChange {
  id: number;
  digest: string;
  policyId: string;
  registry: string | null;
  repository: string | null;
  oldVerdict: string;
  newVerdict: string;
  reasons: unknown[];
  dataVersion: string | null;
  cause: VerdictCause;
  changedAt: Date;
}

export interface VerdictRecordStore {
  /**
   * Keeps `record` as the last verdict of its (digest, policy). Says which verdict was recorded
   * before (null: this is the digest's baseline), and the change when it differed.
   */
  record(record: VerdictRecord, cause: VerdictCause): Promise<RecordedVerdict>;
  /** `record` for each, in one transaction: one commit for a batch of re-judged images. */
  recordAll(records: readonly VerdictRecord[], cause: VerdictCause): Promise<RecordedVerdict[]>;
  last(digest: string, policyId: string): Promise<VerdictRecord | null>;
  /** A digest's verdict changes, newest first. */
  changes(digest: string, limit: number): Promise<VerdictChange[]>;
}

interface RecordRow {
  digest: string;
  policy_id: string;
  registry: string | null;
  repository: string | null;
  verdict: string;
  reasons: unknown[];
  data_version: string | null;
  judged_at: Date;
}

interface ChangeRow {
  id: number | string;
  digest: string;
  policy_id: string;
  registry: string | null;
  repository: string | null;
  old_verdict: string;
  new_verdict: string;
  reasons: unknown[];
  data_version: string | null;
  cause: VerdictCause;
  changed_at: Date;
}

export function createVerdictRecordStore(db: Database): VerdictRecordStore {
  return {
    record: (record, cause) => db.transaction((tx) => writeRecord(tx, record, cause)),
    recordAll: (records, cause) =>
      db.transaction(async (tx) => {
        const recorded: RecordedVerdict[] = [];
        for (const record of records) recorded.push(await writeRecord(tx, record, cause));
        return recorded;
      }),
    async last(digest, policyId) {
      const [row] = await db.query<RecordRow>(
        'select * from verdict_records where digest = $1 and policy_id = $2',
        [digest, policyId],
      );
      return row ? toRecord(row) : null;
    },
    async changes(digest, limit) {
      const rows = await db.query<ChangeRow>(
        'select * from verdict_changes where digest = $1 order by id desc limit $2',
        [digest, limit],
      );
      return rows.map(toChange);
    },
  };
}

async function writeRecord(
  tx: Queryable,
  record: VerdictRecord,
  cause: VerdictCause,
): Promise<RecordedVerdict> {
  // The row lock makes two judgings of one digest take turns: each compares with the other's verdict.
  const [previous] = await tx.query<{ verdict: string }>(
    'select verdict from verdict_records where digest = $1 and policy_id = $2 for update',
    [record.digest, record.policyId],
  );
  await tx.query(
    `insert into verdict_records
       (digest, policy_id, registry, repository, verdict, reasons, data_version, judged_at)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
     on conflict (digest, policy_id) do update set registry = excluded.registry,
       repository = excluded.repository, verdict = excluded.verdict, reasons = excluded.reasons,
       data_version = excluded.data_version, judged_at = excluded.judged_at`,
    [
      record.digest,
      record.policyId,
      record.registry,
      record.repository,
      record.verdict,
      JSON.stringify(record.reasons),
      record.dataVersion,
      record.judgedAt,
    ],
  );
  if (previous === undefined) return { previous: null, change: null };
  if (previous.verdict === record.verdict) return { previous: previous.verdict, change: null };
  const [row] = await tx.query<ChangeRow>(
    `insert into verdict_changes (digest, policy_id, registry, repository, old_verdict, new_verdict, reasons,
       data_version, cause, changed_at)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10) returning *`,
    [
      record.digest,
      record.policyId,
      record.registry,
      record.repository,
      previous.verdict,
      record.verdict,
      JSON.stringify(record.reasons),
      record.dataVersion,
      cause,
      record.judgedAt,
    ],
  );
  return { previous: previous.verdict, change: row ? toChange(row) : null };
}

function toRecord(row: RecordRow): VerdictRecord {
  return {
    digest: row.digest,
    policyId: row.policy_id,
    registry: row.registry,
    repository: row.repository,
    verdict: row.verdict,
    reasons: row.reasons,
    dataVersion: row.data_version,
    judgedAt: row.judged_at,
  };
}

function toChange(row: ChangeRow): VerdictChange {
  return {
    id: Number(row.id),
    digest: row.digest,
    policyId: row.policy_id,
    registry: row.registry,
    repository: row.repository,
    oldVerdict: row.old_verdict,
    newVerdict: row.new_verdict,
    reasons: row.reasons,
    dataVersion: row.data_version,
    cause: row.cause,
    changedAt: row.changed_at,
  };
}

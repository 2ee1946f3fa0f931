import { randomUUID } from 'node:crypto';
import type { Database } from '@customs/db';
import type { Schemas } from './contract-types.js';
import { eventData, type EventDocument, type NotificationEvent } from './events.js';

export interface EventPage {
  events: EventDocument[];
  /** The cursor to ask with next: the last event's, or `since` again when there was none. */
  nextCursor: string;
}

export interface EventLog {
  /** Records an event; its id and cursor are given here. */
  append(event: NotificationEvent): Promise<EventDocument>;
  get(id: string): Promise<EventDocument | null>;
  /** Events recorded after `since` (a cursor; "0" for the first), oldest first. */
  page(since: string, limit: number): Promise<EventPage>;
}

type EventRow = { seq: number; id: string; occurred_at: Date } & (
  | { type: 'verdict.changed'; data: Schemas['VerdictChangedEvent']['data'] }
  | { type: 'scan.failed'; data: Schemas['ScanFailedEvent']['data'] }
);

const COLUMNS = 'seq, id, type, data, occurred_at';

export function createEventLog(db: Database): EventLog {
  return {
    async append(event) {
      const [row] = await db.query<EventRow>(
        `insert into events (id, type, digest, repository, data, occurred_at)
         values ($1, $2, $3, $4, $5::jsonb, $6) returning ${COLUMNS}`,
        [
          randomUUID(),
          event.type,
          event.digest,
          event.repository,
          JSON.stringify(eventData(event)),
          event.at,
        ],
      );
      if (!row) throw new Error('insert into events returned no row');
      return toDocument(row);
    },
    async get(id) {
      const [row] = await db.query<EventRow>(`select ${COLUMNS} from events where id = $1`, [id]);
      return row ? toDocument(row) : null;
    },
    async page(since, limit) {
      const rows = await db.query<EventRow>(
        `select ${COLUMNS} from events where seq > $1 order by seq limit $2`,
        [since, limit],
      );
      const events = rows.map(toDocument);
      return { events, nextCursor: events.at(-1)?.cursor ?? since };
    },
  };
}

function toDocument(row: EventRow): EventDocument {
  const common = { id: row.id, cursor: String(row.seq), occurredAt: row.occurred_at.toISOString() };
  return row.type === 'verdict.changed'
    ? { ...common, type: row.type, data: row.data }
    : { ...common, type: row.type, data: row.data };
}

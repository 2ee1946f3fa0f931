import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '@customs/db';
import type { Severity } from '@customs/model';
import { SubscriptionInvalidError } from './errors.js';
import { EVENT_TYPES, type EventType } from './events.js';
import { compileGlob, type SubscriptionFilter } from './filters.js';

export const SUBSCRIPTION_FORMATS = ['json', 'slack'] as const;
export type SubscriptionFormat = (typeof SUBSCRIPTION_FORMATS)[number];

export interface Subscription extends SubscriptionFilter {
  id: string;
  url: string;
  format: SubscriptionFormat;
  createdAt: Date;
}

export interface SubscriptionRequest {
  url: string;
  format?: SubscriptionFormat;
  /** Every type when absent. */
  eventTypes?: readonly EventType[];
  /** Every repository (`**`) when absent. */
  repositoryGlob?: string;
  minSeverity?: Severity | null;
}

export interface SubscriptionStore {
  /** A new subscription and its signing secret: returned here only, never listed or logged. */
  create(request: SubscriptionRequest): Promise<{ subscription: Subscription; secret: string }>;
  list(): Promise<Subscription[]>;
  get(id: string): Promise<Subscription | null>;
  /** The subscription with its secret, for the one place that signs deliveries. */
  forDelivery(id: string): Promise<{ subscription: Subscription; secret: string } | null>;
  /** Deletes it and its delivery log; false when there was none. */
  delete(id: string): Promise<boolean>;
}

const SECRET_PREFIX = 'whsec_';

interface SubscriptionRow {
  id: string;
  url: string;
  secret: string;
  format: SubscriptionFormat;
  event_types: EventType[];
  repository_glob: string;
  min_severity: Severity | null;
  created_at: Date;
}

const COLUMNS = 'id, url, format, event_types, repository_glob, min_severity, created_at';

export function createSubscriptionStore(db: Database): SubscriptionStore {
  return {
    async create(request) {
      const url = checkedUrl(request.url);
      const glob = request.repositoryGlob ?? '**';
      compileGlob(glob);
      const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
      const [row] = await db.query<SubscriptionRow>(
        `insert into subscriptions (id, url, secret, format, event_types, repository_glob, min_severity)
         values ($1, $2, $3, $4, $5::text[], $6, $7) returning ${COLUMNS}`,
        [
          randomUUID(),
          url,
          secret,
          request.format ?? 'json',
          [...new Set(request.eventTypes ?? EVENT_TYPES)],
          glob,
          request.minSeverity ?? null,
        ],
      );
      if (!row) throw new Error('insert into subscriptions returned no row');
      return { subscription: toSubscription(row), secret };
    },
    async list() {
      const rows = await db.query<SubscriptionRow>(
        `select ${COLUMNS} from subscriptions order by created_at, id`,
      );
      return rows.map(toSubscription);
    },
    async get(id) {
      const [row] = await db.query<SubscriptionRow>(`select ${COLUMNS} from subscriptions where id = $1`, [
        id,
      ]);
      return row ? toSubscription(row) : null;
    },
    async forDelivery(id) {
      const [row] = await db.query<SubscriptionRow>(`select * from subscriptions where id = $1`, [id]);
      return row ? { subscription: toSubscription(row), secret: row.secret } : null;
    },
    async delete(id) {
      return (await db.query('delete from subscriptions where id = $1 returning id', [id])).length > 0;
    },
  };
}

/** Only http(s), and no credentials in the URL: they would show in every listing. */
function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SubscriptionInvalidError('url', 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SubscriptionInvalidError('url', `${url.protocol} is not http or https`);
  }
  if (url.username || url.password) throw new SubscriptionInvalidError('url', 'carries credentials');
  return url.toString();
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    url: row.url,
    format: row.format,
    eventTypes: row.event_types,
    repositoryGlob: row.repository_glob,
    minSeverity: row.min_severity,
    createdAt: row.created_at,
  };
}

import type { Database } from '@customs/db';

export const ARTIFACT_KINDS = ['report', 'sbom-cyclonedx', 'sbom-spdx'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** Somewhere to keep big documents outside PostgreSQL (S3 or anything S3-compatible). */
export interface ObjectStore {
  readonly description: string;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
}

export interface ArtifactStore {
  put(
    manifestDigest: string,
    kind: ArtifactKind,
    document: unknown,
  ): Promise<{ storage: 'inline' | 'object'; bytes: number }>;
  get(manifestDigest: string, kind: ArtifactKind): Promise<unknown | null>;
}

/**
 * Reports and SBOMs: in the object store when one is configured (PostgreSQL keeps where and how big),
 * inline in PostgreSQL otherwise.
 */
export function createArtifactStore(db: Database, objects?: ObjectStore): ArtifactStore {
  return {
    async put(manifestDigest, kind, document) {
      const body = Buffer.from(JSON.stringify(document), 'utf8');
      const key = `artifacts/${manifestDigest.replace(':', '/')}/${kind}.json`;
      if (objects) await objects.put(key, body, 'application/json');
      await db.query(
        `insert into artifacts (manifest_digest, kind, storage, location, body, bytes) values ($1, $2, $3, $4, $5::jsonb, $6)
         on conflict (manifest_digest, kind) do update set storage = excluded.storage, location = excluded.location,
           body = excluded.body, bytes = excluded.bytes, created_at = now()`,
        [
          manifestDigest,
          kind,
          objects ? 'object' : 'inline',
          objects ? key : null,
          objects ? null : body.toString('utf8'),
          body.length,
        ],
      );
      return { storage: objects ? 'object' : 'inline', bytes: body.length };
    },
    async get(manifestDigest, kind) {
      const [row] = await db.query<{ storage: string; location: string | null; body: unknown }>(
        'select storage, location, body from artifacts where manifest_digest = $1 and kind = $2',
        [manifestDigest, kind],
      );
      if (!row) return null;
      if (row.storage === 'inline') return row.body;
      const bytes = row.location && objects ? await objects.get(row.location) : null;
      return bytes ? (JSON.parse(bytes.toString('utf8')) as unknown) : null;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { Database } from '@customs/db';

/** An OpenVEX document as imported; the store keeps what callers read back, not its meaning. */
export interface VexDocumentInput {
  /** The document's `@id`. */
  documentId: string;
  /** sha256 of the canonical body: importing the same document again finds the stored one. */
  sha256: string;
  /** Where it came from: `api`, `file:<path>`, `referrer:<digest>`. */
  source: string;
  author: string;
  issuedAt: Date;
  statements: number;
  /** The image digests its products name. */
  digests: readonly string[];
  body: unknown;
}

export interface StoredVexDocument extends Omit<VexDocumentInput, 'body' | 'sha256'> {
  id: string;
  importedAt: Date;
}

export interface VexStore {
  /** Stores a document, or finds the one with the same body; `created` says which. */
  put(document: VexDocumentInput): Promise<{ document: StoredVexDocument; created: boolean }>;
  list(): Promise<StoredVexDocument[]>;
  /** The bodies of every document naming one of these digests, oldest import first. */
  forDigests(digests: readonly string[]): Promise<Array<{ id: string; body: unknown }>>;
  /** The removed document (its digests: verdicts to forget), or null when there was none. */
  remove(id: string): Promise<StoredVexDocument | null>;
}

interface VexRow {
  id: string;
  document_id: string;
  source: string;
  author: string;
  issued_at: Date;
  statements: number;
  imported_at: Date;
  digests: string[] | null;
}

const SELECT = `select d.id, d.document_id, d.source, d.author, d.issued_at, d.statements, d.imported_at,
  array(select digest from vex_document_images i where i.vex_document = d.id order by digest) as digests
  from vex_documents d`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createVexStore(db: Database): VexStore {
  async function byId(id: string): Promise<StoredVexDocument | null> {
    const [row] = await db.query<VexRow>(`${SELECT} where d.id = $1`, [id]);
    return row ? toStored(row) : null;
  }
  return {
    async put(input) {
      const id = randomUUID();
      const created = await db.transaction(async (tx) => {
        const inserted = await tx.query<{ id: string }>(
          `insert into vex_documents (id, document_id, sha256, source, author, issued_at, statements, body)
           values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) on conflict (sha256) do nothing returning id`,
          [
            id,
            input.documentId,
            input.sha256,
            input.source,
            input.author,
            input.issuedAt,
            input.statements,
            JSON.stringify(input.body),
          ],
        );
        if (inserted.length === 0) return false;
        for (const digest of new Set(input.digests)) {
          await tx.query('insert into vex_document_images (vex_document, digest) values ($1, $2)', [
            id,
            digest,
          ]);
        }
        return true;
      });
      const [existing] = await db.query<{ id: string }>('select id from vex_documents where sha256 = $1', [
        input.sha256,
      ]);
      const document = await byId(created ? id : (existing as { id: string }).id);
      return { document: document as StoredVexDocument, created };
    },
    async list() {
      return (await db.query<VexRow>(`${SELECT} order by d.imported_at, d.id`)).map(toStored);
    },
    async forDigests(digests) {
      if (digests.length === 0) return [];
      return db.query<{ id: string; body: unknown }>(
        `select d.id, d.body from vex_documents d where d.id in
           (select vex_document from vex_document_images where digest = any($1::text[]))
         order by d.imported_at, d.id`,
        [[...digests]],
      );
    },
    async remove(id) {
      if (!UUID.test(id)) return null;
      const document = await byId(id);
      if (document === null) return null;
      await db.query('delete from vex_documents where id = $1', [id]);
      return document;
    },
  };
}

function toStored(row: VexRow): StoredVexDocument {
  return {
    id: row.id,
    documentId: row.document_id,
    source: row.source,
    author: row.author,
    issuedAt: row.issued_at,
    statements: row.statements,
    digests: row.digests ?? [],
    importedAt: row.imported_at,
  };
}

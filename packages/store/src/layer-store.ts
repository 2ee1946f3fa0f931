import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '@customs/db';
import type { AnalyzerOutput, CachedLayer, LayerCache, LayerFacts } from '@customs/indexer';
import { LayerLeaseAbortedError } from './errors.js';

export interface LayerStoreOptions {
  /** How long a lease lasts without renewal: a killed worker's lease frees the layer after this. */
  leaseMs?: number;
  /** How often a waiting process looks again. */
  pollMs?: number;
}

interface FactsRow {
  diff_id: string | null;
  whiteouts: string[];
  opaque_dirs: string[];
  warnings: string[];
}

/**
 * The layer cache in PostgreSQL, shared by every worker: facts and per-analyzer outputs by layer
 * digest, and leases so two workers meeting the same new layer download it once.
 */
export function createLayerStore(db: Database, options: LayerStoreOptions = {}): LayerCache {
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 200;
  const holder = randomUUID();
  return {
    async get(layerDigest, analyzerKeys) {
      const [facts] = await db.query<FactsRow>(
        'select diff_id, whiteouts, opaque_dirs, warnings from layer_facts where digest = $1',
        [layerDigest],
      );
      // An output stored before analyzers said what they could not read may hide an unread database:
      // it misses, so the layer is analysed again.
      const rows = await db.query<{ analyzer: string; version: number; output: AnalyzerOutput }>(
        `select analyzer, version, output from layer_outputs
          where layer_digest = $1 and (analyzer || '@' || version) = any($2::text[]) and output ? 'unread'`,
        [layerDigest, analyzerKeys],
      );
      const result: CachedLayer = {
        facts: facts
          ? {
              diffId: facts.diff_id,
              whiteouts: facts.whiteouts,
              opaqueDirs: facts.opaque_dirs,
              warnings: facts.warnings,
            }
          : null,
        outputs: new Map(rows.map((row) => [`${row.analyzer}@${row.version}`, row.output])),
      };
      return result;
    },
    async put(layerDigest, facts, outputs) {
      await db.transaction(async (tx) => {
        await putFacts(tx, layerDigest, facts);
        for (const [key, output] of outputs) await putOutput(tx, layerDigest, key, output);
      });
    },
    async lock(layerDigest, signal) {
      while (!(await tryLease(db, layerDigest, holder, leaseMs))) {
        if (signal?.aborted) throw new LayerLeaseAbortedError(layerDigest, signal.reason);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      const renew = setInterval(() => {
        void db
          .query(
            `update layer_leases set expires_at = now() + $3 * interval '1 millisecond'
              where layer_digest = $1 and holder = $2`,
            [layerDigest, holder, leaseMs],
          )
          .catch(() => undefined);
      }, leaseMs / 3);
      renew.unref();
      return async () => {
        clearInterval(renew);
        await db.query('delete from layer_leases where layer_digest = $1 and holder = $2', [
          layerDigest,
          holder,
        ]);
      };
    },
  };
}

/** Takes the lease when it is free or expired; true when this holder has it. */
async function tryLease(
  db: Database,
  layerDigest: string,
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db.query<{ holder: string }>(
    `insert into layer_leases (layer_digest, holder, expires_at)
     values ($1, $2, now() + $3 * interval '1 millisecond')
     on conflict (layer_digest) do update
        set holder = excluded.holder, expires_at = excluded.expires_at
      where layer_leases.expires_at < now()
     returning holder`,
    [layerDigest, holder, leaseMs],
  );
  return rows[0]?.holder === holder;
}

async function putFacts(tx: Queryable, layerDigest: string, facts: LayerFacts): Promise<void> {
  await tx.query(
    `insert into layer_facts (digest, diff_id, whiteouts, opaque_dirs, warnings)
     values ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb)
     on conflict (digest) do update set diff_id = excluded.diff_id, whiteouts = excluded.whiteouts,
       opaque_dirs = excluded.opaque_dirs, warnings = excluded.warnings, analysed_at = now()`,
    [
      layerDigest,
      facts.diffId,
      JSON.stringify(facts.whiteouts),
      JSON.stringify(facts.opaqueDirs),
      JSON.stringify(facts.warnings),
    ],
  );
}

async function putOutput(
  tx: Queryable,
  layerDigest: string,
  key: string,
  output: AnalyzerOutput,
): Promise<void> {
  const at = key.lastIndexOf('@');
  await tx.query(
    `insert into layer_outputs (layer_digest, analyzer, version, output) values ($1, $2, $3, $4::jsonb)
     on conflict (layer_digest, analyzer, version) do update set output = excluded.output, analysed_at = now()`,
    [layerDigest, key.slice(0, at), Number(key.slice(at + 1)), JSON.stringify(output)],
  );
}

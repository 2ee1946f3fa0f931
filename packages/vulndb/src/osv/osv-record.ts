import { z } from 'zod';

/**
 * The parts of the OSV schema (ossf/osv-schema validation/schema.json, 1.7) that import relies on,
 * with its structural rules: one key per event, at least one `introduced`, never both `fixed` and
 * `last_affected` in a range, `repo` on GIT ranges. Unknown fields pass through untouched (the full
 * record is stored as is) and unknown ecosystems are accepted: a scanner must not reject a whole
 * feed because the schema gained an ecosystem after this code was written.
 */

const timestamp = z.iso.datetime({ offset: true });
const bag = z.record(z.string(), z.unknown());

const event = z.union([
  z.strictObject({ introduced: z.string().min(1) }),
  z.strictObject({ fixed: z.string().min(1) }),
  z.strictObject({ last_affected: z.string().min(1) }),
  z.strictObject({ limit: z.string().min(1) }),
]);
export type OsvEvent = z.infer<typeof event>;

const range = z
  .looseObject({
    type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
    repo: z.string().optional(),
    events: z.array(event).min(1),
    database_specific: bag.optional(),
  })
  .check((ctx) => {
    const events = ctx.value.events;
    if (!events.some((e) => 'introduced' in e)) {
      ctx.issues.push({
        code: 'custom',
        message: 'a range needs at least one "introduced" event',
        input: events,
      });
    }
    if (events.some((e) => 'fixed' in e) && events.some((e) => 'last_affected' in e)) {
      ctx.issues.push({
        code: 'custom',
        message: 'a range cannot have both "fixed" and "last_affected"',
        input: events,
      });
    }
    if (ctx.value.type === 'GIT' && !ctx.value.repo) {
      ctx.issues.push({ code: 'custom', message: 'a GIT range needs "repo"', input: ctx.value });
    }
  });
export type OsvRange = z.infer<typeof range>;

const severity = z.looseObject({ type: z.string().min(1), score: z.string().min(1) });
export type OsvSeverity = z.infer<typeof severity>;

const affected = z.looseObject({
  package: z
    .looseObject({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() })
    .optional(),
  severity: z.array(severity).nullish(),
  ranges: z.array(range).nullish(),
  versions: z.array(z.string()).nullish(),
  ecosystem_specific: bag.nullish(),
  database_specific: bag.nullish(),
});
export type OsvAffected = z.infer<typeof affected>;

export const osvRecordSchema = z.looseObject({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: timestamp,
  published: timestamp.optional(),
  withdrawn: timestamp.optional(),
  aliases: z.array(z.string()).nullish(),
  upstream: z.array(z.string()).nullish(),
  related: z.array(z.string()).nullish(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(severity).nullish(),
  affected: z.array(affected).nullish(),
  references: z.array(z.looseObject({ type: z.string(), url: z.string() })).nullish(),
  credits: z.array(z.looseObject({ name: z.string() })).nullish(),
  database_specific: bag.nullish(),
});
export type OsvRecord = z.infer<typeof osvRecordSchema>;

export type Validation = { ok: true; record: OsvRecord } | { ok: false; id: string; problem: string };

/** Checks one parsed document; on failure says which field and why, with the id when there is one. */
export function validateOsvRecord(document: unknown): Validation {
  const result = osvRecordSchema.safeParse(document);
  if (result.success) return { ok: true, record: result.data };
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? first.path.join('.') : 'record';
  return { ok: false, id: idOf(document), problem: `${where}: ${first?.message ?? 'invalid'}` };
}

/** The record's id for a report, or `?` when it has none usable. */
export function idOf(document: unknown): string {
  if (typeof document === 'object' && document !== null && 'id' in document) {
    const id = document.id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return '?';
}

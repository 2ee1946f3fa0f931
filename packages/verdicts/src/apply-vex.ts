import type { Finding } from '@customs/model';
import type { VexStore } from '@customs/store';
import { parseVex, statementFor, SUPPRESSING_STATUSES, type VexStatement } from '@customs/vex';
import type { Schemas } from './contract-types.js';

type VexedFinding = Schemas['VexedFinding'];
type Reason = Schemas['VerdictReason'];

/** A statement and the stored document it came from. */
export interface StoredStatement {
  statement: VexStatement;
  vexDocument: string;
}

/** The statements an image's verdict considers, and the digests it is known by. */
export interface ImageVex {
  statements: readonly StoredStatement[];
  digests: readonly string[];
}

export interface VexOutcome {
  /** What the policy counts: every finding no not_affected/fixed statement covers. */
  counted: Finding[];
  vexed: VexedFinding[];
  /** One VEX_APPLIED reason when any finding was taken out. */
  reasons: Array<Omit<Reason, 'platform'>>;
  /** Findings a statement says are affected or under investigation: counted, and said so. */
  warnings: string[];
}

/** How many vexed findings a reason's message names; `vexed` lists all. */
const NAMED_IN_MESSAGE = 3;
const LISTED_FINDINGS = 25;

/** The stored documents naming any of these digests, read into statements. */
export async function loadImageVex(
  store: Pick<VexStore, 'forDigests'>,
  digests: readonly string[],
): Promise<ImageVex> {
  const documents = await store.forDigests(digests);
  const statements = documents.flatMap(({ id, body }) =>
    parseVex(body, `vex document ${id}`).statements.map((statement) => ({ statement, vexDocument: id })),
  );
  return { statements, digests };
}

/**
 * Splits findings into those the policy counts and those a VEX statement marks not_affected or
 * fixed, which stay visible in the verdict with the statement's justification and document.
 */
export function applyVex(findings: readonly Finding[], vex: ImageVex): VexOutcome {
  const byStatement = new Map(vex.statements.map((stored) => [stored.statement, stored.vexDocument]));
  const statements = vex.statements.map((stored) => stored.statement);
  const outcome: VexOutcome = { counted: [], vexed: [], reasons: [], warnings: [] };
  for (const finding of findings) {
    const statement = statementFor(statements, finding, vex);
    if (statement === null || !SUPPRESSING_STATUSES.includes(statement.status)) {
      outcome.counted.push(finding);
      if (statement)
        outcome.warnings.push(`${describe(finding)}: VEX says ${statement.status}, so it counts`);
      continue;
    }
    outcome.vexed.push(vexed(finding, statement, byStatement.get(statement) ?? ''));
  }
  if (outcome.vexed.length > 0) outcome.reasons.push(vexReason(outcome.vexed));
  return outcome;
}

function vexed(finding: Finding, statement: VexStatement, vexDocument: string): VexedFinding {
  return {
    id: finding.id,
    package: finding.package.name,
    version: finding.package.version,
    fixedVersion: finding.fixedVersion,
    status: statement.status === 'fixed' ? 'fixed' : 'not_affected',
    justification: statement.justification,
    impactStatement: statement.impactStatement,
    author: statement.author,
    document: statement.document,
    vexDocument,
  };
}

function vexReason(vexed: readonly VexedFinding[]): Omit<Reason, 'platform'> {
  const named = vexed
    .slice(0, NAMED_IN_MESSAGE)
    .map(
      (finding) =>
        `${finding.id} in ${finding.package} ${finding.version}: ${finding.status}` +
        ` (${finding.justification ?? finding.impactStatement ?? 'no justification given'}; by ${finding.author}, ${finding.document})`,
    );
  const more = vexed.length > NAMED_IN_MESSAGE ? `; and ${vexed.length - NAMED_IN_MESSAGE} more` : '';
  return {
    code: 'VEX_APPLIED',
    message: `${vexed.length} finding${vexed.length === 1 ? '' : 's'} not counted, per VEX: ${named.join('; ')}${more}`,
    severity: null,
    count: vexed.length,
    findings: vexed.slice(0, LISTED_FINDINGS).map(({ id, package: pkg, version, fixedVersion }) => ({
      id,
      package: pkg,
      version,
      fixedVersion,
    })),
  };
}

function describe(finding: Finding): string {
  return `${finding.id} in ${finding.package.name} ${finding.package.version}`;
}

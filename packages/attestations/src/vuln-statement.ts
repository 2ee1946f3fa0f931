import { InvalidOptionError } from '@customs/errors';

/** The in-toto Statement layer, v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md). */
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

/** cosign's vulnerability scan predicate (sigstore/cosign specs/COSIGN_VULN_ATTESTATION_SPEC.md). */
export const COSIGN_VULN_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/vuln/v1';

export interface StatementSubject {
  /** How the image is named, e.g. `registry.example.com/team/app`. */
  name: string;
  /** `sha256:<hex>`: the manifest digest the findings are about. */
  digest: string;
}

export interface VulnScanner {
  /** Who scanned, as a URI (a purl for Customs). */
  uri: string;
  version: string;
  db: { uri: string; version: string };
  /** The scan result as a whole, or its summary: what a policy engine decides on. */
  result: unknown;
}

export interface VulnStatementInput {
  subject: StatementSubject;
  scanner: VulnScanner;
  /** The invocation's arguments (the spec's `parameters`), e.g. the CLI flags that shaped the result. */
  parameters?: readonly string[];
  startedAt: Date;
  finishedAt: Date;
}

export interface InTotoStatement {
  _type: typeof IN_TOTO_STATEMENT_V1;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: string;
  predicate: unknown;
}

/**
 * A Statement v1 whose subject is the image and whose predicate is cosign's vuln/v1: `invocation`,
 * one `scanner` (with its `db` and `result`) and `metadata` with the scan's start and end, as cosign's
 * `CosignVulnPredicate` (and trivy's `cosign-vuln` output) has them.
 */
export function vulnStatement(input: VulnStatementInput): InTotoStatement {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(input.subject.digest)?.[1];
  if (hex === undefined)
    throw new InvalidOptionError('subject.digest', `${input.subject.digest} is not sha256:<64 hex digits>`);
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: input.subject.name, digest: { sha256: hex } }],
    predicateType: COSIGN_VULN_PREDICATE_TYPE,
    predicate: {
      invocation: { parameters: [...(input.parameters ?? [])], uri: '', event_id: '', 'builder.id': '' },
      scanner: {
        uri: input.scanner.uri,
        version: input.scanner.version,
        db: { uri: input.scanner.db.uri, version: input.scanner.db.version },
        result: input.scanner.result,
      },
      metadata: {
        scanStartedOn: input.startedAt.toISOString(),
        scanFinishedOn: input.finishedAt.toISOString(),
      },
    },
  };
}

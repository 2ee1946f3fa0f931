import { VexInvalidError } from './errors.js';
import { openVexSchemaCheck } from './openvex-schema.js';
import type { VexDocument, VexProduct, VexStatement, VexStatus } from './vex-document.js';

/** How many schema problems a message names; the rest are counted. */
const LISTED_PROBLEMS = 5;

/**
 * An OpenVEX 0.2.0 document (text or parsed JSON) checked against the official schema and read into
 * statements. `source` names it in errors (a file path, "the request body", a referrer digest).
 */
export function parseVex(input: string | unknown, source: string): VexDocument {
  const json = typeof input === 'string' ? readVexJson(input, source) : input;
  const problems = openVexSchemaCheck()(json);
  if (problems.length > 0) {
    const more = problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : '';
    throw new VexInvalidError(source, problems.slice(0, LISTED_PROBLEMS).join('; ') + more);
  }
  return readDocument(json as OpenVexJson);
}

/** The document's JSON, or VEX_INVALID saying it is not JSON. */
export function readVexJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new VexInvalidError(source, `not JSON (${(error as Error).message})`);
  }
}

/** The parts of the schema's shape Customs reads; the schema has already held the document to it. */
interface OpenVexJson {
  '@id': string;
  author: string;
  timestamp: string;
  last_updated?: string;
  statements: Array<{
    vulnerability: { name: string; aliases?: string[] };
    products?: ComponentJson[];
    status: VexStatus;
    justification?: string;
    impact_statement?: string;
    action_statement?: string;
    status_notes?: string;
    timestamp?: string;
    last_updated?: string;
  }>;
}

interface ComponentJson {
  '@id'?: string;
  identifiers?: { purl?: string };
  subcomponents?: ComponentJson[];
}

function readDocument(json: OpenVexJson): VexDocument {
  const issued = json.last_updated ?? json.timestamp;
  const statements = json.statements.map((statement): VexStatement => ({
    document: json['@id'],
    author: json.author,
    vulnerability: [statement.vulnerability.name, ...(statement.vulnerability.aliases ?? [])],
    products: (statement.products ?? []).map(readProduct),
    status: statement.status,
    justification: statement.justification ?? null,
    impactStatement: statement.impact_statement ?? null,
    actionStatement: statement.action_statement ?? null,
    statusNotes: statement.status_notes ?? null,
    timestamp: new Date(statement.last_updated ?? statement.timestamp ?? issued),
  }));
  return { id: json['@id'], author: json.author, timestamp: new Date(issued), statements };
}

function readProduct(product: ComponentJson): VexProduct {
  return { ids: componentIds(product), subcomponents: (product.subcomponents ?? []).map(componentIds) };
}

function componentIds(component: ComponentJson): string[] {
  return [component['@id'], component.identifiers?.purl].filter((id): id is string => id !== undefined);
}

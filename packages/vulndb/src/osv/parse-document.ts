import { isPair, isScalar, parseDocument, visit } from 'yaml';

export type DocumentFormat = 'json' | 'yaml';

/** The format a file name says it has, or null for files import does not read. */
export function formatOfName(name: string): DocumentFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return null;
}

/** Parses a JSON or YAML document; throws a SyntaxError-like Error with the parser's message. */
export function parseDocumentText(text: string, format: DocumentFormat): unknown {
  return format === 'json' ? JSON.parse(text) : parseYaml(text);
}

/**
 * YAML reads `fixed: 1.10` as the number 1.1. OSV has no numeric fields outside the free-form
 * `*_specific` objects, so every plain scalar elsewhere is read back as the text that was written:
 * versions survive exactly as published (PyPA writes unquoted versions).
 */
function parseYaml(text: string): unknown {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) throw new Error(document.errors[0]?.message ?? 'invalid YAML');
  visit(document, {
    Scalar(_key, node, path) {
      if (typeof node.value === 'string' || node.value === null) return;
      if (insideFreeForm(path)) return;
      if (node.source !== undefined) node.value = node.source;
    },
  });
  return document.toJS();
}

function insideFreeForm(path: readonly unknown[]): boolean {
  return path.some(
    (node) =>
      isPair(node) &&
      isScalar(node.key) &&
      typeof node.key.value === 'string' &&
      node.key.value.endsWith('_specific'),
  );
}

/** Alpine's secdb files (its own format, not OSV) are recognised by their top-level keys. */
export function isAlpineSecdb(document: unknown): boolean {
  return isRecord(document) && 'distroversion' in document && 'packages' in document;
}

/** Anything that could be an OSV record, valid or not; other documents are skipped, not counted invalid. */
export function looksLikeOsvRecord(document: unknown): boolean {
  return (
    isRecord(document) &&
    ('id' in document || 'modified' in document || 'affected' in document || 'schema_version' in document)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { createHash } from 'node:crypto';
import { productDigests } from './match-vex.js';
import { parseVex, readVexJson } from './parse-vex.js';

/** Where imported documents go (@customs/store's VexStore fits). */
export interface VexDocumentSink<Stored> {
  put(document: {
    documentId: string;
    sha256: string;
    source: string;
    author: string;
    issuedAt: Date;
    statements: number;
    digests: readonly string[];
    body: unknown;
  }): Promise<{ document: Stored; created: boolean }>;
}

/**
 * Validates a document and stores it with the image digests its products name. `source` says where it
 * came from (`api`, `file:<path>`, `referrer:<digest>`) and names it in a VEX_INVALID error.
 */
export async function importVex<Stored>(
  sink: VexDocumentSink<Stored>,
  input: string | unknown,
  source: string,
): Promise<{ document: Stored; created: boolean; digests: string[] }> {
  const json: unknown = typeof input === 'string' ? readVexJson(input, source) : input;
  const document = parseVex(json, source);
  const digests = productDigests(document.statements);
  const body = JSON.stringify(json);
  const stored = await sink.put({
    documentId: document.id,
    sha256: createHash('sha256').update(body).digest('hex'),
    source,
    author: document.author,
    issuedAt: document.timestamp,
    statements: document.statements.length,
    digests,
    body: json,
  });
  return { ...stored, digests };
}

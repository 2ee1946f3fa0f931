import type { StoredVexDocument } from '@customs/store';
import { importVex, VexDocumentNotFoundError } from '@customs/vex';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import type { Handlers } from '../http/typed-operations.js';

export function vexHandlers(context: ApiContext): Pick<Handlers, 'importVex' | 'listVex' | 'deleteVex'> {
  const { vex } = context.deps.store;
  /** Verdicts of the images a document names are computed again at once in this process. */
  const forget = (digests: readonly string[]) => digests.forEach((digest) => context.verdicts.forget(digest));
  return {
    async importVex({ body }) {
      const imported = await importVex(vex, body, 'api');
      forget(imported.digests);
      return { status: imported.created ? 201 : 200, body: vexBody(imported.document) };
    },
    async listVex() {
      return { status: 200, body: { documents: (await vex.list()).map(vexBody) } };
    },
    async deleteVex({ path }) {
      const removed = await vex.remove(path.id);
      if (removed === null) throw new VexDocumentNotFoundError(path.id);
      forget(removed.digests);
      return { status: 204, body: undefined };
    },
  };
}

function vexBody(document: StoredVexDocument): Schemas['VexDocumentInfo'] {
  return {
    id: document.id,
    documentId: document.documentId,
    source: document.source,
    author: document.author,
    issuedAt: document.issuedAt.toISOString(),
    statements: document.statements,
    digests: [...document.digests],
    importedAt: document.importedAt.toISOString(),
  };
}

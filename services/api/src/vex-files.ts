import { readFile } from 'node:fs/promises';
import type { VexStore } from '@customs/store';
import { importVex, VexInvalidError } from '@customs/vex';
import type { Logger } from 'pino';

/**
 * Imports the configured OpenVEX files (`vex.files`) as POST /v1/vex would, before the API serves:
 * an unreadable or invalid file stops the start, naming it, rather than leaving verdicts that count
 * findings its operator meant to waive.
 */
export async function importVexFiles(
  files: readonly string[],
  store: Pick<VexStore, 'put'>,
  logger: Pick<Logger, 'info'>,
): Promise<void> {
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new VexInvalidError(`file:${file}`, `it cannot be read (${error.code ?? error.message})`);
    });
    const imported = await importVex(store, text, `file:${file}`);
    logger.info(
      { file, vexDocument: imported.document.id, digests: imported.digests, new: imported.created },
      'VEX file imported',
    );
  }
}

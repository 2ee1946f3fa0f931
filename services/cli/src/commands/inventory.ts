import { parseArgs } from 'node:util';
import { createIndexer, type IndexedImage } from '@customs/indexer';
import type { ScannerName } from '@customs/model';
import { openTarget } from '@customs/oci';
import { renderInventoryTable, toInventoryDocument, type InventoryDocument } from '@customs/report';
import { createSecretScanner } from '@customs/secrets';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { TARGET_OPTIONS, parseCredentials, parseFormat, parsePlatform } from '../target-options.js';

const FORMATS = ['table', 'json'] as const;

export const INVENTORY_USAGE = `usage: customs inventory <image-ref | oci-layout-dir[:tag] | archive.tar | rootfs-dir>
         [--format table|json] [--platform os/arch[/variant]|all]
         [--username U --password P]   (or CUSTOMS_REGISTRY_AUTH=user:password)
         [--insecure-registry HOST]    (plain HTTP; loopback registries always are)
`;

/** Lists every package in an image and the layer that brought it in. */
export async function inventoryCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...TARGET_OPTIONS, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(INVENTORY_USAGE);
    return EXIT.ok;
  }
  const [target, ...extra] = positionals;
  if (!target || extra.length) throw new UsageError(`expected one target\n${INVENTORY_USAGE}`);
  const format = parseFormat(values.format, FORMATS, 'table');
  const images = await inventoryImages(target, values, io);
  const documents = images.map((image) => toInventoryDocument(target, image));
  io.stdout.write(
    format === 'json' ? renderJson(documents, values.platform === 'all') : renderTables(documents),
  );
  return EXIT.ok;
}

/** Opens the target, picks its images by platform and indexes each (and scans for secrets when asked); shared with `scan`. */
export async function inventoryImages(
  target: string,
  values: {
    platform?: string;
    username?: string;
    password?: string;
    'insecure-registry'?: string[];
    scanners?: readonly ScannerName[];
    /** Image paths the secret scanner does not read (`--skip-secret-path`). */
    secretSkipPaths?: readonly string[];
  },
  io: CliIO,
): Promise<IndexedImage[]> {
  const platform = parsePlatform(values.platform);
  const credentials = parseCredentials(values, io.env);
  const source = await openTarget(target, {
    ...(credentials && { credentials: () => credentials }),
    insecureRegistries: values['insecure-registry'] ?? [],
  });
  try {
    const indexer = createIndexer(
      values.scanners?.includes('secret')
        ? { secrets: createSecretScanner({ skipPaths: values.secretSkipPaths ?? [] }) }
        : {},
    );
    const progress = new ProgressBar(io.stderr);
    const indexed: IndexedImage[] = [];
    for (const image of await source.resolve(platform)) {
      indexed.push(await indexer.index(image, { onProgress: progress.update }));
    }
    progress.finish();
    return indexed;
  } finally {
    await source.close();
  }
}

function renderJson(documents: InventoryDocument[], all: boolean): string {
  return JSON.stringify(all ? documents : documents[0], null, 2) + '\n';
}

function renderTables(documents: InventoryDocument[]): string {
  return documents.map(renderInventoryTable).join('\n');
}

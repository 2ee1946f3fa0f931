import { parseArgs } from 'node:util';
import type { IndexedImage } from '@customs/indexer';
import type { ScannerName } from '@customs/model';
import type { InventoryDocument } from '@customs/report/inventory';
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
  const { renderInventoryTable, toInventoryDocument } = await import('@customs/report/inventory');
  const documents = images.map((image) => toInventoryDocument(target, image));
  io.stdout.write(
    format === 'json'
      ? renderJson(documents, values.platform === 'all')
      : documents.map(renderInventoryTable).join('\n'),
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
): Promise<Array<IndexedImage & { labels: Record<string, string> }>> {
  const platform = parsePlatform(values.platform);
  const credentials = parseCredentials(values, io.env);
  // Loaded here, not at the top: `--help` and bad arguments answer without the image machinery. The
  // registry client comes with a registry target only (see openTarget).
  const [{ openTarget }, { createIndexer }] = await Promise.all([
    import('@customs/oci/open-target'),
    import('@customs/indexer'),
  ]);
  const source = await openTarget(target, {
    ...(credentials && { credentials: () => credentials }),
    insecureRegistries: values['insecure-registry'] ?? [],
  });
  try {
    const secrets = values.scanners?.includes('secret')
      ? (await import('@customs/secrets')).createSecretScanner({ skipPaths: values.secretSkipPaths ?? [] })
      : null;
    const indexer = createIndexer(secrets ? { secrets } : {});
    const progress = new ProgressBar(io.stderr);
    const indexed: Array<IndexedImage & { labels: Record<string, string> }> = [];
    for (const image of await source.resolve(platform)) {
      const inventory = await indexer.index(image, { onProgress: progress.update });
      // For policy rules that require labels (customs scan --policy).
      indexed.push({ ...inventory, labels: image.config?.config?.Labels ?? {} });
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

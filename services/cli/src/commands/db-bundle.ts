import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pullArtifact, pushArtifact } from '@customs/oci';
import { BUNDLE_ARTIFACT_TYPE, BUNDLE_MEDIA_TYPE, exportBundle, importBundle } from '@customs/vulndb';
import { DATABASE_OPTIONS, databaseFlags, withDatabase } from '../database-options.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parseCredentials } from '../target-options.js';
import { UPDATE_OPTIONS } from './update-options.js';

const OPTIONS = {
  ...DATABASE_OPTIONS,
  username: { type: 'string' },
  password: { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  // db update --mirror oci://… passes its own flags on; the ones only update reads are accepted here.
  ...UPDATE_OPTIONS,
} as const;

/** `db export <file>`, `db push <ref>`, `db pull <ref>`: the database as one bundle, in a file or a registry. */
export async function bundleCommand(
  subcommand: 'export' | 'push' | 'pull',
  argv: string[],
  io: CliIO,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [target, ...extra] = positionals;
  if (!target || extra.length > 0)
    throw new UsageError(
      `db ${subcommand} takes one ${subcommand === 'export' ? 'file' : 'registry/repository:tag'}`,
    );
  const flags = databaseFlags(values);
  const credentials = parseCredentials(values, io.env);
  const registry = {
    ...(credentials && { credentials: () => credentials }),
    insecureRegistries: values['insecure-registry'] ?? [],
  };
  if (subcommand === 'export') {
    const manifest = await withDatabase(flags, io, (db) => exportBundle(db, target));
    io.stdout.write(
      `exported data version ${manifest.dataVersion}: ${manifest.counts.advisories} advisories to ${target}\n`,
    );
    return EXIT.ok;
  }
  const work = await mkdtemp(join(tmpdir(), 'customs-db-'));
  try {
    const file = join(work, 'vulndb.tar.gz');
    if (subcommand === 'push') {
      const manifest = await withDatabase(flags, io, (db) => exportBundle(db, file));
      const pushed = await pushArtifact(
        {
          reference: target,
          artifactType: BUNDLE_ARTIFACT_TYPE,
          file,
          mediaType: BUNDLE_MEDIA_TYPE,
          title: 'vulndb.tar.gz',
          annotations: {
            'org.opencontainers.image.created': manifest.createdAt,
            'dev.customs.vulndb.data-version': String(manifest.dataVersion),
          },
        },
        registry,
      );
      io.stdout.write(
        `pushed data version ${manifest.dataVersion} (${manifest.counts.advisories} advisories) to ${target}@${pushed.digest}\n`,
      );
      return EXIT.ok;
    }
    const pulled = await pullArtifact(target, BUNDLE_ARTIFACT_TYPE, file, registry);
    const { manifest, version } = await withDatabase(flags, io, (db) =>
      importBundle(db, file, { description: `${target}@${pulled.digest}` }),
    );
    io.stdout.write(
      `imported ${manifest.counts.advisories} advisories (exported as data version ${manifest.dataVersion}) as data version ${version.version}\n`,
    );
    return EXIT.ok;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

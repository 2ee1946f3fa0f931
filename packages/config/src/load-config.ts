import { readFileSync } from 'node:fs';
import { CustomsError } from '@customs/errors';
import { parse as parseYaml } from 'yaml';
import { findRegistry, type RegistryConfig } from './registries.js';
import { serviceConfigSchema, type Secret } from './schema.js';
import type { z } from 'zod';

type Parsed = z.infer<typeof serviceConfigSchema>;

/** The configuration with every secret resolved to its value: what services read. */
export type ServiceConfig = Readonly<
  Omit<Parsed, 'registries' | 'webhooks' | 's3' | 'bootstrapToken' | 'admission' | 'harbor'> & {
    registries: readonly RegistryConfig[];
    webhooks: ResolvedWebhooks;
    s3:
      | (Omit<NonNullable<Parsed['s3']>, 'accessKeyId' | 'secretAccessKey'> & {
          credentials: { accessKeyId: string; secretAccessKey: string } | null;
        })
      | null;
    bootstrapToken: string | null;
    admission: AdmissionConfig;
    harbor: HarborConfig | null;
  }
>;

/** Kubernetes admission settings, its bearer token resolved (null: unauthenticated calls are taken). */
export type AdmissionConfig = Omit<Parsed['admission'], 'token'> & { token: string | null };

/** The Harbor scanner adapter's settings with its token resolved; `registries` as written. */
export type HarborConfig = Omit<NonNullable<Parsed['harbor']>, 'token'> & { token: string };

type Resolve<T> = T extends Secret ? string : T extends object ? { [K in keyof T]: Resolve<T[K]> } : T;
export type ResolvedWebhooks = Resolve<Parsed['webhooks']>;

export class ConfigError extends CustomsError {
  constructor(source: string, problems: readonly string[]) {
    super('SERVICE_CONFIG_INVALID', `${source}: ${problems.join('; ')}`, {
      hint: 'fix the configuration file or environment; see docs/configuration.md',
    });
  }
}

export interface LoadConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a file; injectable for tests. */
  readFile?: (path: string) => string;
}

/**
 * The service configuration: the file named by CUSTOMS_CONFIG (YAML or JSON) if any, then
 * DATABASE_URL, REDIS_URL and CUSTOMS_ADMIN_TOKEN from the environment; validated (unknown keys are
 * errors, every problem listed at once), secrets resolved, frozen.
 */
export function loadServiceConfig(options: LoadConfigOptions): ServiceConfig {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const { env } = options;
  const file = env.CUSTOMS_CONFIG;
  const raw = file ? readDocument(file, readFile) : {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file ?? 'the environment', [
      'the configuration must be a mapping of keys to values',
    ]);
  }
  const merged = {
    ...raw,
    ...(env.DATABASE_URL && { database: env.DATABASE_URL }),
    ...(env.REDIS_URL && { redis: env.REDIS_URL }),
    ...(env.CUSTOMS_ADMIN_TOKEN && { bootstrapToken: env.CUSTOMS_ADMIN_TOKEN }),
  };
  const result = serviceConfigSchema.safeParse(merged);
  const source = file ?? 'the environment';
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const secretOf = (value: Secret, where: string): string =>
    resolveSecret(value, where, env, readFile, problems);
  const config = resolveSecrets(result.data, secretOf);
  problems.push(...harborProblems(config));
  if (problems.length) throw new ConfigError(source, problems);
  return deepFreeze(config);
}

function readDocument(path: string, readFile: (path: string) => string): unknown {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new ConfigError(path, [
      `cannot read it: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(path, [
      `not valid YAML/JSON: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
}

function resolveSecret(
  value: Secret,
  where: string,
  env: LoadConfigOptions['env'],
  readFile: (path: string) => string,
  problems: string[],
): string {
  if (typeof value === 'string') return value;
  if ('env' in value) {
    const found = env[value.env];
    if (found === undefined || found === '')
      problems.push(`${where}: environment variable ${value.env} is not set`);
    return found ?? '';
  }
  try {
    return readFile(value.file).trim();
  } catch {
    problems.push(`${where}: cannot read secret file ${value.file}`);
    return '';
  }
}

function resolveSecrets(parsed: Parsed, secretOf: (value: Secret, where: string) => string): ServiceConfig {
  const registries = parsed.registries.map((registry, index) => ({
    host: registry.host,
    aliases: registry.aliases,
    insecure: registry.insecure,
    credentials:
      registry.username !== undefined && registry.password !== undefined
        ? {
            username: registry.username,
            password: secretOf(registry.password, `registries.${index}.password`),
          }
        : null,
  }));
  const webhooks = resolveTree(parsed.webhooks, 'webhooks', secretOf) as ResolvedWebhooks;
  const { s3 } = parsed;
  const s3Credentials =
    s3?.accessKeyId !== undefined && s3.secretAccessKey !== undefined
      ? {
          accessKeyId: secretOf(s3.accessKeyId, 's3.accessKeyId'),
          secretAccessKey: secretOf(s3.secretAccessKey, 's3.secretAccessKey'),
        }
      : null;
  return {
    ...parsed,
    registries,
    webhooks,
    s3: s3
      ? {
          bucket: s3.bucket,
          prefix: s3.prefix,
          endpoint: s3.endpoint,
          region: s3.region,
          credentials: s3Credentials,
        }
      : null,
    bootstrapToken:
      parsed.bootstrapToken === undefined ? null : secretOf(parsed.bootstrapToken, 'bootstrapToken'),
    admission: {
      ...parsed.admission,
      token:
        parsed.admission.token === undefined ? null : secretOf(parsed.admission.token, 'admission.token'),
    },
    harbor: parsed.harbor ? { ...parsed.harbor, token: secretOf(parsed.harbor.token, 'harbor.token') } : null,
  };
}

/** Harbor may only name registries the operator configured (with how to reach them). */
function harborProblems(config: ServiceConfig): string[] {
  return (config.harbor?.registries ?? []).flatMap((name, index) =>
    findRegistry(config.registries, name) === null
      ? [`harbor.registries.${index}: ${name} is not one of \`registries\``]
      : [],
  );
}

/** Secrets sit at known keys of each webhook source; everything else is copied. */
const SECRET_KEYS = new Set(['authorization', 'secret', 'pathSecret', 'key']);

function resolveTree(
  value: unknown,
  where: string,
  secretOf: (value: Secret, where: string) => string,
): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEYS.has(key)
        ? secretOf(inner as Secret, `${where}.${key}`)
        : resolveTree(inner, `${where}.${key}`, secretOf),
    ]),
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

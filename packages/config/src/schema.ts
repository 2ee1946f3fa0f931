import { RATED_SEVERITIES, SEVERITIES } from '@customs/model';
import { z } from 'zod';

/** A secret given inline (tests, quick starts), through an env variable, or in a file (Docker/Kubernetes secrets). */
const secret = z.union([
  z.string().min(1),
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);

const registry = z
  .object({
    /** As references and webhook payloads name it: `registry.example.com`, `127.0.0.1:5000`, `docker.io`. */
    host: z.string().min(1),
    /** Other names the same registry goes by in payloads (its public hostname behind a proxy, say). */
    aliases: z.array(z.string().min(1)).default([]),
    /** Plain HTTP (loopback registries always are). */
    insecure: z.boolean().default(false),
    username: z.string().min(1).optional(),
    password: secret.optional(),
  })
  .strict();

const sharedHeader = z.object({ authorization: secret }).strict();
const pathSecret = z.object({ pathSecret: secret, registry: z.string().min(1) }).strict();

const webhooks = z
  .object({
    /** CNCF Distribution (and GitLab's registry): the static Authorization header its endpoint sends. */
    distribution: sharedHeader.optional(),
    /** Harbor: the policy's auth_header, sent verbatim as Authorization. */
    harbor: sharedHeader.optional(),
    /** GitHub `registry_package`: HMAC-SHA256 secret for X-Hub-Signature-256. */
    github: z
      .object({ secret, registry: z.string().default('ghcr.io') })
      .strict()
      .optional(),
    /** Docker Hub: no signing; a secret in the webhook URL path, tag resolved to a digest by us. */
    dockerhub: pathSecret.optional(),
    /** Quay: no signing; a secret in the webhook URL path, tags resolved by us. */
    quay: pathSecret.optional(),
    /** EventBridge API destination: the API-key header its connection sends. */
    ecr: z
      .object({ header: z.string().default('x-api-key'), key: secret, registry: z.string().min(1) })
      .strict()
      .optional(),
    /** Azure ACR: a custom header configured on the webhook, conventionally Authorization. */
    acr: sharedHeader.optional(),
  })
  .strict();

const severity = z.enum(SEVERITIES);

const policy = z
  .object({
    /** Any finding at or above this severity makes the verdict `fail`. */
    failOn: severity.default('HIGH'),
    /** Any finding at or above this (and below failOn) makes it `warn`; null disables warnings. */
    warnOn: severity.nullable().default('MEDIUM'),
    /** Only findings with a known fix count. */
    fixableOnly: z.boolean().default(false),
    /**
     * What a finding without a severity (UNKNOWN: most Go standard-library advisories) counts as
     * against failOn and warnOn; `ignore` leaves such findings out of both. Absent: @customs/policy's
     * default (HIGH), kept there so there is one default.
     */
    unknownSeverity: z.enum([...RATED_SEVERITIES, 'ignore']).optional(),
    ignore: z
      .array(
        z
          .object({
            /** Advisory id or any of its aliases (CVE, GHSA, ...). */
            id: z.string().min(1),
            reason: z.string().min(1),
            /** ISO date; after it the entry no longer applies. */
            expires: z.string().date().or(z.string().datetime()),
            /** Only for this package name (any ecosystem), when given. */
            package: z.string().min(1).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const serviceConfigSchema = z
  .object({
    /** `postgres://…`; absent means embedded PGlite in `dataDir`. Env: DATABASE_URL. */
    database: z.string().optional(),
    dataDir: z.string().optional(),
    /** `redis://…`. Env: REDIS_URL. */
    redis: z.string().optional(),
    registries: z.array(registry).default([]),
    webhooks: webhooks.default({}),
    webhook: z
      .object({
        port: z.number().int().min(0).max(65535).default(8081),
        /** The address to bind, e.g. `127.0.0.1`; default: every interface. */
        host: z.string().min(1).optional(),
        /**
         * Hard cap on the body of a delivery whose headers (or URL path) authenticated it; nothing is
         * read from a request they refuse. Larger ones are acknowledged and recorded, never retried.
         */
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(64 * 1024 * 1024),
        /** Cap on a body read before its signature is checked (GitHub's HMAC); GitHub sends at most 25 MB. */
        signedBodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(25 * 1024 * 1024),
        /** Everything a delivery needs from PostgreSQL and Redis, within this or 503 (registries time out at 2 s). */
        answerWithinMs: z.number().int().positive().default(1000),
        /** Refused (unauthenticated) requests recorded per source address and minute; past it, 429. */
        refusedPerMinute: z.number().int().positive().default(60),
        /** Deliveries older than this are deleted from the delivery log (checked hourly). */
        deliveryRetentionDays: z.number().positive().default(30),
      })
      .strict()
      .default({
        port: 8081,
        bodyLimitBytes: 64 * 1024 * 1024,
        signedBodyLimitBytes: 25 * 1024 * 1024,
        answerWithinMs: 1000,
        refusedPerMinute: 60,
        deliveryRetentionDays: 30,
      }),
    api: z
      .object({
        port: z.number().int().min(0).max(65535).default(8080),
        /** The address to bind, e.g. `127.0.0.1`; default: every interface. */
        host: z.string().min(1).optional(),
      })
      .strict()
      .default({ port: 8080 }),
    worker: z
      .object({
        concurrency: z.number().int().positive().default(2),
        rescan: z
          .object({
            max: z.number().int().positive().default(10),
            perSeconds: z.number().positive().default(60),
          })
          .strict()
          .default({ max: 10, perSeconds: 60 }),
        /** Seconds a job stays locked to a worker without renewal (a killed worker's job is retried after it). */
        lockSeconds: z.number().positive().default(30),
      })
      .strict()
      .default({ concurrency: 2, rescan: { max: 10, perSeconds: 60 }, lockSeconds: 30 }),
    policy: policy.default({ failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] }),
    /** Reports and SBOMs in S3 (or compatible); absent keeps them in PostgreSQL. */
    s3: z
      .object({
        bucket: z.string().min(1),
        prefix: z.string().default('customs/'),
        endpoint: z.string().url().optional(),
        region: z.string().default('us-east-1'),
        accessKeyId: secret.optional(),
        secretAccessKey: secret.optional(),
      })
      .strict()
      .optional(),
    /** A token with these scopes is ensured at start (CUSTOMS_ADMIN_TOKEN): how the first admin gets in. */
    bootstrapToken: secret.optional(),
  })
  .strict();

export type ServiceConfigInput = z.input<typeof serviceConfigSchema>;
export type Secret = z.infer<typeof secret>;

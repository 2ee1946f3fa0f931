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

/**
 * Harbor's pluggable scanner adapter (`/api/v1` on the API port). Absent: not mounted. Harbor sends a
 * per-scan robot credential with each request; it is kept only in Redis (see docs/configuration.md).
 */
const harbor = z
  .object({
    /** The token Harbor's scanner registration sends as `Authorization: Bearer <token>`. */
    token: secret,
    /**
     * The configured registries (host or alias, each in `registries`) Harbor may ask Customs to pull
     * from: the Harbor token cannot make Customs reach any other registry, nor use its credentials.
     */
    registries: z.array(z.string().min(1)).min(1),
    /** How long a scan request's robot credential waits in Redis for a worker; deleted once the scan is done. */
    credentialTtlSeconds: z.number().int().positive().default(3600),
    /** How long a scan request id answers report requests. */
    requestTtlSeconds: z.number().int().positive().default(86400),
    /** `Refresh-After` of a report not ready yet; Harbor reads it as an 8-bit integer (default 5 there too). */
    refreshAfterSeconds: z.number().int().min(1).max(127).default(5),
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
    /**
     * What a scan that could not read a package database, lockfile or manifest it needed is at best:
     * `error` or `warn`, never a pass. Absent: @customs/policy's default (error).
     */
    incompleteScan: z.enum(['error', 'warn']).optional(),
    /**
     * How image configuration findings (runs as root, secrets in ENV, ...) count: failOn / warnOn
     * severities, null or absent for never. Absent: @customs/policy's default (reported, not counted).
     */
    config: z
      .object({ failOn: severity.nullable().default(null), warnOn: severity.nullable().default(null) })
      .strict()
      .optional(),
    /**
     * What credentials found in an image's layers make its verdict: fail, warn or ignore (global until
     * per-repository policy rules). Absent: @customs/policy's default (fail).
     */
    secrets: z.enum(['fail', 'warn', 'ignore']).optional(),
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
    /**
     * A policy file (YAML, @customs/policy's schema): rules per repository glob and exceptions,
     * reloaded on SIGHUP and when it changes. The keys above are its default rule.
     */
    file: z.string().min(1).optional(),
  })
  .strict();

/** How admission answers for a namespace: deny failing images, only warn, or only record (audit annotations). */
export const ADMISSION_MODES = ['enforce', 'warn', 'dry-run'] as const;
const admissionMode = z.enum(ADMISSION_MODES);

/** Files the API's HTTPS listener reads at start (a kubernetes.io/tls Secret mounted as files). */
const tls = z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict();

/** The Kubernetes validating admission webhook at POST /v1/admission. */
const admission = z
  .object({
    /**
     * The bearer token the apiserver sends (a kubeconfig given to its AdmissionConfiguration). Absent:
     * the endpoint takes unauthenticated calls, and only the network policy keeps others out.
     */
    token: secret.optional(),
    /** The mode of a namespace no `namespaces` glob matches. */
    defaultMode: admissionMode.default('enforce'),
    /** Namespace glob (`*` any run of characters, `?` one) → mode; the most specific (longest) glob wins. */
    namespaces: z.record(z.string().min(1), admissionMode).default({}),
    /**
     * An image without a verdict yet (never scanned: a scan is requested; scan pending or failed,
     * registry not configured, tag unresolved, no answer in time): `closed` denies it, `open` admits it
     * with a warning. Only `enforce` namespaces deny.
     */
    failMode: z.enum(['closed', 'open']).default('closed'),
    /** The whole review is answered within this; keep it well under the webhook's timeoutSeconds. */
    deadlineMs: z.number().int().min(100).max(29_000).default(3_000),
    /** How long a tag's digest (resolved at the registry) is reused: a ReplicaSet's pods ask at once. */
    tagCacheSeconds: z.number().int().min(0).default(10),
    /** Largest AdmissionReview body taken; the apiserver sends the whole object (and oldObject). */
    bodyLimitBytes: z
      .number()
      .int()
      .positive()
      .default(3 * 1024 * 1024),
  })
  .strict();

/**
 * Pushing each scanned image's SBOM and a signed vulnerability attestation back to its registry as
 * OCI 1.1 referrers. The signing key is named here (a PEM file, or a variable holding the PEM), never
 * held: the worker reads it when it starts, and it is not part of the loaded configuration.
 */
const attestations = z
  .object({
    push: z.boolean().default(false),
    sbomFormat: z.enum(['cyclonedx', 'spdx']).default('cyclonedx'),
    signingKey: z
      .union([z.object({ file: z.string().min(1) }).strict(), z.object({ env: z.string().min(1) }).strict()])
      .optional(),
  })
  .strict()
  .refine((value) => !value.push || value.signingKey !== undefined, {
    message: 'push: true needs signingKey: { file: PATH } or { env: VARIABLE }',
    path: ['signingKey'],
  });

/** The scheduled vulnerability-data update (`customs updater`) and the re-judging it starts. */
const updater = z
  .object({
    /** Minutes between updates (one process runs each, whatever the number of updaters). */
    intervalMinutes: z.number().positive().default(60),
    /** Mirrors tried first, in order: `https://…` or `s3://bucket/prefix` in the OSV export layout. */
    mirrors: z.array(z.string().regex(/^(https|s3):\/\//, 'an https:// or s3:// URL')).default([]),
    /** false: upstream (osv-vulnerabilities, Alpine secdb) is never asked (air-gapped sites). */
    upstream: z.boolean().default(true),
    /** OSV ecosystems to fetch; absent: those the database already holds (ecosystemsInUse). */
    ecosystems: z.array(z.string().min(1)).optional(),
    /** Alpine secdb branches (`v3.19`); none: secdb is not fetched. */
    alpineBranches: z.array(z.string().min(1)).default([]),
    /** A CA bundle (PEM) trusted for https mirrors besides the system's. */
    caFile: z.string().min(1).optional(),
    /** Downloads go under it and are removed after each update; default: the OS temp directory. */
    workDir: z.string().min(1).optional(),
    /** Digests per re-judging job. */
    rejudgeBatchSize: z.number().int().positive().default(200),
    /** Seconds the update job stays locked in BullMQ without renewal (a killed updater's run is retried after it). */
    lockSeconds: z.number().positive().default(60),
  })
  .strict();

const UPDATER_DEFAULTS = {
  intervalMinutes: 60,
  mirrors: [],
  upstream: true,
  alpineBranches: [],
  rejudgeBatchSize: 200,
  lockSeconds: 60,
};

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
        /** Serve HTTPS (Kubernetes calls admission webhooks over HTTPS only); absent: plain HTTP. */
        tls: tls.optional(),
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
        /** Batches of images re-judged at once per worker process after a data update (a low-priority lane). */
        rejudgeConcurrency: z.number().int().positive().default(1),
      })
      .strict()
      .default({
        concurrency: 2,
        rescan: { max: 10, perSeconds: 60 },
        lockSeconds: 30,
        rejudgeConcurrency: 1,
      }),
    updater: updater.default(UPDATER_DEFAULTS),
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
    /** Kubernetes admission (POST /v1/admission); absent: every namespace enforced, fail closed, no token. */
    admission: admission.default({
      defaultMode: 'enforce',
      namespaces: {},
      failMode: 'closed',
      deadlineMs: 3_000,
      tagCacheSeconds: 10,
      bodyLimitBytes: 3 * 1024 * 1024,
    }),
    harbor: harbor.optional(),
    /** Off unless `push: true`. */
    attestations: attestations.default({ push: false, sbomFormat: 'cyclonedx' }),
    /** OpenVEX documents imported when the API starts (as POST /v1/vex would): paths on its machine. */
    vex: z
      .object({ files: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({ files: [] }),
    vulnData: z
      .object({
        /**
         * `/readyz` reports `degraded` (still 200) when the serving vulnerability-data version is older
         * than this or there is none; absent: the data's age is not checked.
         */
        maxAgeHours: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    /** A token with these scopes is ensured at start (CUSTOMS_ADMIN_TOKEN): how the first admin gets in. */
    bootstrapToken: secret.optional(),
  })
  .strict();

export type ServiceConfigInput = z.input<typeof serviceConfigSchema>;
export type Secret = z.infer<typeof secret>;

import { z } from 'zod';
import { JobPayloadInvalidError } from '../errors.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

const scanImageSchema = z.object({
  v: z.literal(1),
  scanId: z.string().uuid(),
  /** Registry host as the operator configured it (`registry.example.com`, `127.0.0.1:5000`). */
  registry: z.string().min(1),
  repository: z.string().min(1),
  /** Manifest or index digest: what was pushed, pinned. Credentials are looked up when the job runs. */
  digest: z.string().regex(DIGEST),
  tag: z.string().min(1).nullable(),
  requestedAt: z.string().datetime(),
});

/** Scan one pushed image (or index) by digest. Plain JSON: BullMQ serialises job data. */
export type ScanImageJob = z.infer<typeof scanImageSchema>;

export const SCAN_IMAGE_JOB = 'scan-image';

/** Checks a job's data at the worker, so a producer and a worker of different versions fail loudly. */
export function parseScanImageJob(data: unknown, jobId?: string): ScanImageJob {
  const result = scanImageSchema.safeParse(data);
  if (!result.success)
    throw new JobPayloadInvalidError(
      SCAN_IMAGE_JOB,
      jobId,
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  return result.data;
}

/**
 * BullMQ ignores a job whose id it already holds, so the digest as job id makes a re-sent or
 * duplicated push event scan once. (BullMQ ids may not contain ':'.)
 */
export function scanJobId(digest: string): string {
  return digest.replace(':', '-');
}

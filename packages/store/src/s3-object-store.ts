import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from './artifact-store.js';

export interface S3ObjectStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, e.g. `customs/`. */
  prefix?: string;
  /** For S3-compatible stores (Ceph RGW, MinIO): their URL; path-style addressing is then used. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Reports and SBOMs in S3 or a compatible store. Checksums only when required: newer SDKs otherwise
 * send aws-chunked trailers that S3-compatible servers store verbatim or reject.
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const client = new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint && { endpoint: options.endpoint, forcePathStyle: true }),
    // A copy: the SDK writes onto the credentials object it is given, and configuration is frozen.
    ...(options.credentials && { credentials: { ...options.credentials } }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const prefix = options.prefix ?? '';
  return {
    description: `s3://${options.bucket}/${prefix}`,
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: prefix + key,
          Body: body,
          ContentType: contentType,
        }),
      );
    },
    async get(key) {
      try {
        const response = await client.send(
          new GetObjectCommand({ Bucket: options.bucket, Key: prefix + key }),
        );
        return response.Body ? Buffer.from(await response.Body.transformToByteArray()) : null;
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },
  };
}

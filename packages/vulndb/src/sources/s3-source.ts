import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SourceUnreadableError, SourceUnsupportedError } from '../errors.js';
import { isDocumentName, isZipName, type AdvisorySource, type SourceEntry } from './source-entry.js';
import { zipEntries } from './zip-entries.js';

/** How to reach the store; the CLI fills this from AWS_ENDPOINT_URL, AWS_REGION and friends. */
export interface S3Options {
  /** An S3-compatible endpoint (Ceph RGW, MinIO, s3rver); implies path-style addressing unless told otherwise. */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * A client for any S3-compatible store. Checksums only when required: newer SDKs otherwise send
 * aws-chunked bodies and validate response checksums that S3-compatible stores (RGW, s3rver) mishandle.
 */
export function s3Client(options: S3Options, maxAttempts?: number): S3Client {
  return new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(maxAttempts !== undefined && { maxAttempts }),
  });
}

/** Every JSON/YAML record and zip under `s3://bucket/prefix`. */
export function s3Source(url: string, options: S3Options = {}): AdvisorySource {
  const { bucket, prefix } = parseS3Url(url);
  const client = s3Client(options);
  return { description: url, entries: (signal) => objects(client, url, bucket, prefix, signal) };
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match?.[1]) throw new SourceUnsupportedError(url, 'expected s3://bucket/prefix');
  return { bucket: match[1], prefix: match[2] ?? '' };
}

async function* objects(
  client: S3Client,
  url: string,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): AsyncGenerator<SourceEntry> {
  try {
    for await (const key of listKeys(client, url, bucket, prefix, signal)) {
      const name = `s3://${bucket}/${key.key}`;
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key.key }), {
        abortSignal: signal,
      });
      if (!object.Body) throw new SourceUnreadableError(name, 'the object has no body');
      if (isZipName(key.key)) {
        yield* zipEntries(object.Body.transformToWebStream(), name, key.modifiedAt);
      } else {
        yield { name, data: await object.Body.transformToByteArray(), modifiedAt: key.modifiedAt };
      }
    }
  } finally {
    client.destroy();
  }
}

async function* listKeys(
  client: S3Client,
  url: string,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): AsyncGenerator<{ key: string; modifiedAt: Date | null }> {
  let token: string | undefined;
  do {
    const page = await client
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), {
        abortSignal: signal,
      })
      .catch((error: unknown) => {
        throw new SourceUnreadableError(
          url,
          error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          error,
        );
      });
    const keys = (page.Contents ?? []).flatMap((item) =>
      item.Key ? [{ key: item.Key, modifiedAt: item.LastModified ?? null }] : [],
    );
    for (const key of keys.sort((a, b) => (a.key < b.key ? -1 : 1))) {
      if (isDocumentName(key.key) || isZipName(key.key)) yield key;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

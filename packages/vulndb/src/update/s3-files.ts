import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { parseS3Url, s3Client, type S3Options } from '../sources/s3-source.js';
import { TransientFetchError, type RemoteFile, type RemoteFiles } from './remote-files.js';

/** An OSV export layout under `s3://bucket/prefix` (an S3-compatible store: RGW, MinIO, AWS). */
export function s3Files(root: string, options: S3Options = {}): RemoteFiles {
  const { bucket, prefix } = parseS3Url(root);
  // One attempt: the update's own retry loop resumes from where a transfer broke.
  const client = s3Client(options, 1);
  return {
    description: root,
    async get(path, { start, signal }): Promise<RemoteFile | null> {
      const key = prefix ? `${prefix.replace(/\/+$/, '')}/${path}` : path;
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ...(start > 0 && { Range: `bytes=${start}-` }) }),
          { ...(signal && { abortSignal: signal }) },
        );
        if (!object.Body) throw new TransientFetchError('the object has no body');
        const range = /^bytes (\d+)-\d+\/(\d+)$/.exec(object.ContentRange ?? '');
        const begin = range ? Number(range[1]) : 0;
        const size = range ? Number(range[2]) : (object.ContentLength ?? null);
        // A single-part upload's ETag is the MD5 of the object; multipart ETags carry a "-N" suffix.
        const etag = /^"?([0-9a-f]{32})"?$/.exec(object.ETag ?? '')?.[1] ?? null;
        return { start: begin, size, md5: etag, body: object.Body.transformToWebStream() };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        if (signal?.aborted || error instanceof TransientFetchError) throw error;
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) return null;
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (status !== undefined && status < 500 && status !== 429)
          throw new Error(message, { cause: error });
        throw new TransientFetchError(message, { cause: error });
      }
    },
    close: async () => client.destroy(),
  };
}

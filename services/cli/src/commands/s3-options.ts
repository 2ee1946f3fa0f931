import type { S3Options } from '@customs/vulndb';
import type { CliIO } from '../io.js';

/** S3-compatible stores are reached through the usual AWS variables; path-style whenever an endpoint is set. */
export function s3Options(env: CliIO['env']): S3Options {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  return {
    ...(endpoint && { endpoint }),
    ...(region && { region }),
    ...(env.AWS_S3_FORCE_PATH_STYLE && { forcePathStyle: env.AWS_S3_FORCE_PATH_STYLE === 'true' }),
    ...(accessKeyId &&
      secretAccessKey && {
        credentials: { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) },
      }),
  };
}

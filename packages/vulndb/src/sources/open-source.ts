import { httpSource, type HttpSourceOptions } from './http-source.js';
import { localSource } from './local-source.js';
import { s3Source, type S3Options } from './s3-source.js';
import type { AdvisorySource } from './source-entry.js';

export interface SourceOptions {
  http?: HttpSourceOptions;
  s3?: S3Options;
}

/** What `db import` was given, by its form: s3://, http(s)://, or a local path (directory, zip, file). */
export async function openSource(location: string, options: SourceOptions = {}): Promise<AdvisorySource> {
  if (/^s3:\/\//i.test(location)) return s3Source(location, options.s3);
  if (/^https?:\/\//i.test(location)) return httpSource(location, options.http);
  return localSource(location);
}

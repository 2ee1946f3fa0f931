/** One file an import source yields: a document to parse, named so a report can point at it. */
export interface SourceEntry {
  /** Path of the file within the source: `pypi/PYSEC-2021-1.yaml`, `all.zip!GHSA-x.json`, `s3://b/k`. */
  name: string;
  data: Uint8Array;
  /** When the file last changed, where the source says; converted (non-OSV) records take it as `modified`. */
  modifiedAt: Date | null;
}

export interface AdvisorySource {
  /** How reports name the source: the path or URL as given (credentials never appear here). */
  description: string;
  entries(signal?: AbortSignal): AsyncIterable<SourceEntry>;
}

/** Files import reads inside directories, zips and buckets; anything else is passed over. */
export function isDocumentName(name: string): boolean {
  return /\.(json|ya?ml)$/i.test(name);
}

export function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

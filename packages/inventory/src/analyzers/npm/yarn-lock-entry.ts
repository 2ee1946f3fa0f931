/** One block of a yarn.lock, classic or berry, before it is interpreted. */
export interface YarnLockEntry {
  /** The `name@range` descriptors that resolved to this block, as the lockfile keys it. */
  descriptors: string[];
  /** Scalar fields: `version`, `resolution` (berry), `resolved` (classic), ... */
  fields: Map<string, string>;
  /** `dependencies` and `optionalDependencies`, as `[name, range]`. */
  dependencies: Array<[name: string, range: string]>;
}

import type { UnreadRecord } from './incomplete.js';
import type { Distro, FoundPackage, OwnedFiles } from './package.js';

/** A package tagged with the analyzer that found it. */
export interface AnalyzedPackage extends FoundPackage {
  analyzer: string;
}

/**
 * Everything Customs keeps about one layer. It depends only on the layer's bytes and the analyzer
 * versions, so it is cached by layer digest; image-level facts are derived from a stack of these.
 */
export interface LayerAnalysis {
  packages: AnalyzedPackage[];
  distro: Distro | null;
  ownedFiles: OwnedFiles[];
  /** Paths this layer deletes from the layers below (`dir/.wh.name` → `dir/name`). */
  whiteouts: string[];
  /** Directories whose lower-layer contents this layer hides (`dir/.wh..wh..opq` → `dir`). */
  opaqueDirs: string[];
  /**
   * Every file an analyzer read in this layer, packages found or not: a file rewritten with no
   * packages left in it (an emptied lockfile) must still hide what the layers below said.
   */
  files: string[];
  warnings: string[];
  /** Files an analyzer needed in this layer but could not read (too big, unreadable, unparseable). */
  unread: UnreadRecord[];
}

import cvss from 'ae-cvss-calculator';

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvss;

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export interface CvssScore {
  version: CvssVersion;
  /** Base score, 0.0–10.0, as FIRST's calculator rounds it. */
  score: number;
  vector: string;
}

/**
 * The base score of a CVSS vector by FIRST's formulas (via ae-cvss-calculator, which implements 2.0,
 * 3.0, 3.1 and 4.0). Null for a vector that is not one of those or lacks a base metric: a partial
 * vector must not silently score 0.
 */
export function scoreCvss(vector: string): CvssScore | null {
  const trimmed = vector.trim();
  const version = versionOf(trimmed);
  if (!version) return null;
  try {
    const parsed = construct(version, trimmed);
    if (!parsed.isBaseFullyDefined()) return null;
    const base = parsed.calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base)
      ? { version, score: base, vector: trimmed }
      : null;
  } catch {
    return null;
  }
}

function versionOf(vector: string): CvssVersion | null {
  if (vector.startsWith('CVSS:4.0/')) return '4.0';
  if (vector.startsWith('CVSS:3.1/')) return '3.1';
  if (vector.startsWith('CVSS:3.0/')) return '3.0';
  // CVSS 2 vectors have no prefix (NVD sometimes writes "(AV:N/...)").
  if (/^\(?AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(vector)) return '2.0';
  return null;
}

function construct(version: CvssVersion, vector: string) {
  switch (version) {
    case '4.0':
      return new Cvss4P0(vector);
    case '3.1':
      return new Cvss3P1(vector);
    case '3.0':
      return new Cvss3P0(vector);
    case '2.0':
      return new Cvss2(vector.replace(/^\(|\)$/g, ''));
  }
}

import type { SecretFinding } from '@customs/model';
import { isPlaceholder } from './placeholder.js';
import type { Prefilter } from './prefilter.js';
import { redact } from './redact.js';

/** Rules whose match is a structure proven by parsing it (keys): filler inside it is no sign of a sample. */
const STRUCTURED = new Set(['private-key', 'openssh-private-key', 'gcp-service-account-key']);

/**
 * The secrets in one file's text. Overlapping matches are reported once, by the first rule in the
 * list; a placeholder is not reported at all. Only the redacted match leaves this function.
 */
export function scanText(path: string, text: string, prefilter: Prefilter): SecretFinding[] {
  const findings: Array<SecretFinding & { start: number; end: number }> = [];
  const lines = new LineIndex(text);
  for (const rule of prefilter.candidates(path, text)) {
    for (const { index, secret } of rule.find(text, path)) {
      if (!STRUCTURED.has(rule.id) && isPlaceholder(secret)) continue;
      const end = index + secret.length;
      if (findings.some((found) => index < found.end && end > found.start)) continue;
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        title: rule.title,
        path,
        line: lines.lineOf(index),
        match: redact(secret),
        start: index,
        end,
      });
    }
  }
  return findings
    .sort((a, b) => a.start - b.start)
    .map(({ start: _start, end: _end, ...finding }) => finding);
}

/** 1-based line numbers of offsets, counting newlines once however many are asked. */
class LineIndex {
  readonly #text: string;
  #starts: number[] | null = null;

  constructor(text: string) {
    this.#text = text;
  }

  lineOf(offset: number): number {
    this.#starts ??= this.#lineStarts();
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  #lineStarts(): number[] {
    const starts = [0];
    for (let at = this.#text.indexOf('\n'); at >= 0; at = this.#text.indexOf('\n', at + 1))
      starts.push(at + 1);
    return starts;
  }
}

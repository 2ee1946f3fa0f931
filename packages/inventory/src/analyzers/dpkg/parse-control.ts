/** One paragraph of a Debian control-style file, with field names lower-cased (dpkg ignores their case). */
export interface Stanza {
  fields: Map<string, string>;
  /** 1-based line where the paragraph starts, for warnings. */
  line: number;
}

export interface ParsedStanzas {
  stanzas: Stanza[];
  warnings: string[];
}

const FIELD = /^([^\s:][^:]*):(.*)$/;

/**
 * Splits deb822 text (dpkg's status file, status.d entries) into paragraphs. Paragraphs are separated
 * by blank lines; a line starting with a space or tab continues the previous field (Description,
 * Conffiles). A line that is neither is reported and skipped, and the paragraph is kept: one broken
 * line must not hide a package.
 */
export function parseStanzas(text: string): ParsedStanzas {
  const stanzas: Stanza[] = [];
  const warnings: string[] = [];
  let current: Stanza | null = null;
  let lastField: string | null = null;

  text.split(/\r?\n/).forEach((line, index) => {
    const lineNumber = index + 1;
    if (line.trim() === '') {
      current = null;
      lastField = null;
      return;
    }
    if (current === null) {
      current = { fields: new Map(), line: lineNumber };
      stanzas.push(current);
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (lastField === null) warnings.push(`line ${lineNumber}: continuation line without a field`);
      else current.fields.set(lastField, `${current.fields.get(lastField) ?? ''}\n${line.trim()}`);
      return;
    }
    const match = FIELD.exec(line);
    if (!match) {
      warnings.push(`line ${lineNumber}: not a "Field: value" line`);
      lastField = null;
      return;
    }
    lastField = (match[1] ?? '').trim().toLowerCase();
    current.fields.set(lastField, (match[2] ?? '').trim());
  });
  return { stanzas, warnings };
}

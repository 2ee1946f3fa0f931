import { spdxExpressionForSynopsis } from './debian-license-names.js';

/** One RFC 822-style paragraph of a copyright file: field names in lower case, first line only. */
type Paragraph = Map<string, string>;

function paragraphs(text: string): Paragraph[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => {
      const fields: Paragraph = new Map();
      for (const line of block.split('\n')) {
        if (/^[ \t#]/.test(line) || line === '') continue; // continuation lines, comments
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

/** True for a machine-readable copyright file (DEP-5): its first paragraph names the format. */
export function isMachineReadable(text: string): boolean {
  const format = paragraphs(text.slice(0, 4096))[0]?.get('format') ?? '';
  return /copyright-format|dep5/i.test(format);
}

/**
 * The licenses a DEP-5 copyright file declares for the package's files: the `License:` synopsis of
 * the header and of every `Files:` paragraph, as SPDX expressions, each once, in file order.
 * Stand-alone `License:` paragraphs only hold texts the others refer to and add nothing. Returns
 * null for a file that is not machine-readable: free text is not guessed at.
 */
export function parseCopyright(text: string): string[] | null {
  if (!isMachineReadable(text)) return null;
  const [header, ...rest] = paragraphs(text);
  const declared = [header, ...rest.filter((fields) => fields.has('files'))]
    .map((fields) => fields?.get('license'))
    .filter((synopsis): synopsis is string => synopsis !== undefined)
    .map(spdxExpressionForSynopsis)
    .filter((expression): expression is string => expression !== null);
  return [...new Set(declared)];
}

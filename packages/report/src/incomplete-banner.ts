import type { InventoryDocument } from './inventory-document.js';

/**
 * The first thing a table says when the scan could not read a file it needed: the packages in it are
 * missing, so an empty findings table below must not read as a clean image. One line per record, with
 * the layer's number in the image and its digest.
 */
export function incompleteBanner(document: InventoryDocument): string {
  const { incomplete } = document;
  if (incomplete.length === 0) return '';
  const layerNumber = new Map(document.layers.map((layer, index) => [layer.digest, index + 1]));
  const files = incomplete.length === 1 ? 'a file it needed' : `${incomplete.length} files it needed`;
  const lines = incomplete.map((record) => {
    const where =
      record.layer === null ? '' : `layer ${layerNumber.get(record.layer) ?? '?'} (${record.layer}): `;
    return `  ${where}${record.reason} [${record.code}]`;
  });
  return (
    `INCOMPLETE SCAN: Customs could not read ${files}; packages in ${incomplete.length === 1 ? 'it' : 'them'} ` +
    'are missing from this report, so no finding below does not mean no vulnerability\n' +
    lines.join('\n') +
    '\n'
  );
}

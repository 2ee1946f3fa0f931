/**
 * What `customs inventory` renders, on its own: the package index also loads the SBOM writers and
 * their schema validators (CycloneDX, ajv), which an inventory does not need.
 */
export { toInventoryDocument } from './inventory-document.js';
export type { IdentifiedInventory, InventoryDocument } from './inventory-document.js';
export { renderInventoryTable } from './inventory-table.js';

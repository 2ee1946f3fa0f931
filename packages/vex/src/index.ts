export { VexDocumentNotFoundError, VexInvalidError } from './errors.js';
export {
  digestOf,
  productDigests,
  statementFor,
  vexSummary,
  type VexFinding,
  type VexImage,
} from './match-vex.js';
export { OPENVEX_SCHEMA_PATH, OPENVEX_SCHEMA_SHA256, openVexSchemaCheck } from './openvex-schema.js';
export { parseVex } from './parse-vex.js';
export {
  SUPPRESSING_STATUSES,
  VEX_STATUSES,
  type VexComponentIds,
  type VexDocument,
  type VexProduct,
  type VexStatement,
  type VexStatus,
} from './vex-document.js';
export { importVex, type VexDocumentSink } from './import-vex.js';

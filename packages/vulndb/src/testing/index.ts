export { buildExport, readRecords, selfSignedCertificate, startMirror, writeExport } from './osv-mirror.js';
export type { ExportFiles, FixtureRecord, MirrorServer } from './osv-mirror.js';

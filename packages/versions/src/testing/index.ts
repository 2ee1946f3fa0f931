export { APK_CONFLICTS, OSV_VECTOR_FILES, VECTOR_CONFLICTS } from './osv-vectors.js';

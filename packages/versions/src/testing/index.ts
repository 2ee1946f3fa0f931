export { APK_CONFLICTS, OSV_VECTOR_FILES } from './osv-vectors.js';

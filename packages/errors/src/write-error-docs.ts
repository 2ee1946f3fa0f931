import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorDocs } from './error-docs.js';

// `npm run docs -w @customs/errors`: rewrites docs/errors.md from the code table.
const target = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));
writeFileSync(target, renderErrorDocs());
console.log(`wrote ${target}`);

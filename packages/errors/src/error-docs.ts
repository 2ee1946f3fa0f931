import { errorCodes, type ErrorArea, type ErrorCode } from './codes.js';

/** Section titles of docs/errors.md, in the order a scan meets them. */
const AREA_TITLES: Readonly<Record<ErrorArea, string>> = {
  general: 'General',
  config: 'Service configuration (`@customs/config`)',
  db: 'Databases (`@customs/db`)',
  oci: 'Images, registries and archives (`@customs/oci`)',
  layers: 'Layers (`@customs/layers`)',
  indexer: 'Indexing (`@customs/indexer`)',
  inventory: 'Package files (`@customs/inventory`)',
  versions: 'Versions (`@customs/versions`)',
  vulndb: 'Vulnerability data (`@customs/vulndb`)',
  policy: 'Policy (`@customs/policy`)',
  report: 'Reports (`@customs/report`)',
  queue: 'Queue (`@customs/queue`)',
  store: 'Store (`@customs/store`)',
  scans: 'Scan requests (API, webhook and worker)',
  attestations: 'Attestations and referrers (`@customs/attestations`)',
  api: 'REST API (the webhook answers with its request codes too)',
  webhook: 'Webhook payloads',
  notifications: 'Notifications (`@customs/notifications`)',
  cli: 'Command line and service roles',
};

const PREAMBLE = `# Error codes

<!-- Generated from packages/errors/src/codes.ts by \`npm run docs -w @customs/errors\`; do not edit. -->

Every error Customs raises on purpose carries one of these codes. Codes are stable: switch on the
code, never on the message. The message says what went wrong with which thing; a hint, when there is
one, says what to do in that case.

**Retryable** says whether the same thing may succeed later with nothing changed (an outage, a
cancelled run). The worker retries a retryable failure with backoff and fails the scan at once on any
other. A client that gets a code that is not retryable gets the same answer until something changes.

**Where codes appear.** Every code is in the ErrorCode enum of the REST API contract
(\`openapi/customs.yaml\`). The API answers errors as \`{ "error": { "code", "message", "hint"? } }\`
with the status its ErrorCode description gives each code; any other code reaching it is answered as
\`INTERNAL\`. A failed scan's \`error.code\` (\`GET /v1/scans/{id}\`) may be any code of the scan
pipeline. The webhook answers errors in the same shape as the API. The command line prints the
message and the hint.
`;

/** docs/errors.md: every declared code with its retryability, what happened and what to do. */
export function renderErrorDocs(): string {
  const sections = (Object.keys(AREA_TITLES) as ErrorArea[]).map((area) => {
    const codes = (Object.keys(errorCodes) as ErrorCode[]).filter((code) => errorCodes[code].area === area);
    const rows = codes.map((code) => {
      const { retryable, summary, action } = errorCodes[code];
      return [`\`${code}\``, retryable ? 'yes' : 'no', summary, action].map(cell);
    });
    return `## ${AREA_TITLES[area]}\n\n${table(['Code', 'Retryable', 'What happened', 'What to do'], rows)}`;
  });
  return [PREAMBLE, ...sections].join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table laid out as Prettier lays it out, so the committed page passes the format check. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |\n`;
  return line(header) + line(widths.map((width) => '-'.repeat(width))) + rows.map(line).join('');
}

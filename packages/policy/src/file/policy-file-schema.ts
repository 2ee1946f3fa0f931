import { RATED_SEVERITIES, SEVERITIES } from '@customs/model';

/** `YYYY-MM-DD` or an ISO 8601 date-time; whether the day exists is checked when the file is read. */
const EXPIRY = '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}:?\\d{2})?)?$';

const globs = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', minLength: 1, pattern: '^[^\\s]+$' },
} as const;

/**
 * The JSON Schema of a policy file (YAML), draft-07. Every key a rule leaves out is the service
 * configuration's `policy` value. Unknown keys are errors: a typo must not silently loosen a rule.
 */
export const POLICY_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://customs.dev/schemas/policy-file.json',
  title: 'Customs policy file',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'rules'],
  properties: {
    version: { const: 1, description: 'The file format version.' },
    rules: {
      type: 'array',
      description: 'In order: the first rule whose repositories match an image decides its verdict.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'repositories'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100 },
          repositories: { ...globs, description: '`*` within a path segment, `**` any depth.' },
          failOn: { enum: SEVERITIES },
          warnOn: { enum: [...SEVERITIES, null] },
          fixableOnly: { type: 'boolean' },
          unknownSeverity: { enum: [...RATED_SEVERITIES, 'ignore'] },
          incompleteScan: { enum: ['error', 'warn'] },
          requiredLabels: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
          denyRunAsRoot: { type: 'boolean' },
          denySecrets: { type: 'boolean' },
          maxCriticalAgeDays: {
            type: 'integer',
            minimum: 0,
            description: 'CRITICAL findings warn until their advisory is this many days old, then count.',
          },
        },
      },
    },
    exceptions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'package', 'expires', 'justification'],
        properties: {
          id: { type: 'string', minLength: 1, description: 'Advisory id or any alias (CVE, GHSA, …).' },
          package: { type: 'string', minLength: 1, description: 'The package name it applies to.' },
          expires: {
            type: 'string',
            pattern: EXPIRY,
            description: 'YYYY-MM-DD (through that day, UTC) or a date-time.',
          },
          justification: { type: 'string', minLength: 1 },
          repositories: globs,
        },
      },
    },
  },
} as const;

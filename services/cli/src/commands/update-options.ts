/** Flags `db update`, `scan` and the bundle commands share: where vulnerability data comes from. */
export const UPDATE_OPTIONS = {
  mirror: { type: 'string', multiple: true },
  'no-upstream': { type: 'boolean' },
  'ca-file': { type: 'string' },
  ecosystem: { type: 'string', multiple: true },
  'alpine-branch': { type: 'string', multiple: true },
  // For tests against a loopback server only: plain http is otherwise refused.
  'allow-loopback-http': { type: 'boolean' },
} as const;

export interface UpdateFlags {
  mirror?: string[];
  'no-upstream'?: boolean;
  'ca-file'?: string;
  ecosystem?: string[];
  'alpine-branch'?: string[];
  'allow-loopback-http'?: boolean;
}

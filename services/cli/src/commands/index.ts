import type { Command } from '../io.js';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded on use: `customs inventory` should not pay for PostgreSQL drivers or the AWS SDK. */
  load(): Promise<Command>;
}

/** Every subcommand of `customs`, in the order `customs --help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'webhook + API + worker in one process, for a single machine',
    load: async () => (await import('./service.js')).serveCommand,
  },
  {
    name: 'webhook',
    summary: 'receive registry push events and queue scans (one role, to scale out)',
    load: async () => (await import('./service.js')).webhookCommand,
  },
  {
    name: 'api',
    summary: 'serve verdicts, reports and SBOMs over REST (one role, to scale out)',
    load: async () => (await import('./service.js')).apiCommand,
  },
  {
    name: 'worker',
    summary: 'run queued scans (one role; start as many as you like)',
    load: async () => (await import('./service.js')).workerCommand,
  },
  {
    name: 'updater',
    summary: 'update vulnerability data on a schedule and queue re-judging (one role; one runs at a time)',
    load: async () => (await import('./service.js')).updaterCommand,
  },
  {
    name: 'token',
    summary: 'create, list and revoke API tokens',
    load: async () => (await import('./token.js')).tokenCommand,
  },
  {
    name: 'db',
    summary: 'import vulnerability data (OSV) and show what the database holds',
    load: async () => (await import('./db.js')).dbCommand,
  },
  {
    name: 'inventory',
    summary: 'list every package in an image, with the layer that brought it in',
    load: async () => (await import('./inventory.js')).inventoryCommand,
  },
  {
    name: 'scan',
    summary: 'find the vulnerabilities of every package in an image',
    load: async () => (await import('./scan.js')).scanCommand,
  },
  {
    name: 'version',
    summary: 'compare versions as each ecosystem does (customs version --help)',
    load: async () => (await import('./version.js')).versionCommand,
  },
];

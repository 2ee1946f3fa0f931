import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Policy } from '../policy.js';
import type { PolicySet } from '../rules/policy-rules.js';
import { readPolicyFile } from './read-policy-file.js';

/** The policy set in force, replaced when its file changes. */
export interface PolicySource {
  current(): PolicySet;
  /** Reads the file again now; a broken file keeps the current set and reports through onError. */
  reload(): Promise<void>;
  close(): void;
}

export interface PolicyFileOptions {
  file: string;
  /** The service configuration's policy: the default rule, and the keys a rule leaves out. */
  defaults: Policy;
  /** A reload that failed (the file is broken or unreadable); the previous set stays in force. */
  onError(error: unknown): void;
  /** A reload that changed the set. */
  onLoad?(set: PolicySet): void;
  /** Also reload when the file changes (default true); SIGHUP reloads either way. */
  watchFile?: boolean;
  /** Editors write a file in several steps: changes within this window make one reload. Default 200 ms. */
  debounceMs?: number;
}

/**
 * Reads the policy file (throwing when it is broken: a service does not start on a policy it cannot
 * read), then reloads it on SIGHUP and when it changes. The directory is watched rather than the
 * file, because editors and Kubernetes ConfigMaps replace a file instead of writing into it.
 */
export async function openPolicyFile(options: PolicyFileOptions): Promise<PolicySource> {
  const file = resolve(options.file);
  let set = readPolicyFile(await readFile(file, 'utf8'), options.file, options.defaults);
  let timer: NodeJS.Timeout | undefined;

  async function reload(): Promise<void> {
    try {
      const next = readPolicyFile(await readFile(file, 'utf8'), options.file, options.defaults);
      if (next.version === set.version) return;
      set = next;
      options.onLoad?.(next);
    } catch (error) {
      options.onError(error);
    }
  }
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), options.debounceMs ?? 200);
  };
  const onSignal = () => void reload();
  process.on('SIGHUP', onSignal);
  let watcher: FSWatcher | null = null;
  if (options.watchFile ?? true) {
    watcher = watch(dirname(file), (_event, name) => {
      if (name === null || name === basename(file) || name.startsWith('..')) soon();
    });
    watcher.on('error', (error) => options.onError(error));
  }
  return {
    current: () => set,
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
      process.off('SIGHUP', onSignal);
    },
  };
}

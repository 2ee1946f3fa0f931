import { appendFileSync } from 'node:fs';
import type { InitializeHook, ResolveHook } from 'node:module';

/*
 * Module hooks (node:module register) that append the URL of every module the process resolves to a
 * file: the only view that sees ESM imports, dynamic ones included, as they happen.
 */
let logFile = '';

export const initialize: InitializeHook<string> = (path) => {
  logFile = path;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(logFile, `${resolved.url}\n`);
  return resolved;
};

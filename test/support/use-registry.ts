import { after, before } from 'node:test';
import { startRegistry, type Registry, type RegistryOptions } from './registry.js';

/**
 * Starts a registry before the tests of the enclosing suite and stops it after them, whether they pass
 * or fail. Call it in a describe() body; the getter throws if used before the suite's `before` ran.
 */
export function useRegistry(options: RegistryOptions): () => Registry {
  let registry: Registry | undefined;
  before(async () => {
    registry = await startRegistry(options);
  });
  after(async () => {
    await registry?.stop();
  });
  return () => {
    if (!registry)
      throw new Error(`registry (auth=${options.auth}) is not running: its before() hook failed`);
    return registry;
  };
}

import type express from 'express';
import { registryConfig, startHarness, type Harness } from './api-harness.js';
import {
  EXPRESS_RECORDS,
  importRecords,
  MORE_RECORDS,
  scanFixture,
  serveFixtureImages,
  type FixtureImages,
} from './fixture-images.js';

/** A harness with the goof image and the index scanned, every fixture record imported, and an app. */
export interface Seeded {
  harness: Harness;
  images: FixtureImages;
  goof: string;
  multi: string;
  /** Configured with the fixture registry. */
  app: express.Express;
  close(): Promise<void>;
}

export async function startSeeded(): Promise<Seeded> {
  const harness = await startHarness('postgres');
  const images = await serveFixtureImages();
  const goof = (await scanFixture(harness.store, images.registry, 'goof')).digest;
  const multi = (await scanFixture(harness.store, images.registry, 'multi')).digest;
  await importRecords(harness.db, [...EXPRESS_RECORDS, ...MORE_RECORDS]);
  return {
    harness,
    images,
    goof,
    multi,
    app: harness.app({ registries: [registryConfig(images.registry.host)] }),
    async close() {
      await images.registry.close();
      await harness.close();
    },
  };
}

import type { Database } from '@customs/db';
import { createArtifactStore, type ArtifactStore, type ObjectStore } from './artifact-store.js';
import { createDeadLetterStore, type DeadLetterStore } from './dead-letter-store.js';
import { createDeliveryStore, type DeliveryStore } from './delivery-store.js';
import { createImageStore, type ImageStore } from './image-store.js';
import { createLayerStore, type LayerStoreOptions } from './layer-store.js';
import { migrateStore } from './migrations.js';
import { createScanStore, type ScanStore } from './scan-store.js';
import { createTokenStore, type TokenStore } from './token-store.js';
import { createVexStore, type VexStore } from './vex-store.js';
import { createJudgedImages, type JudgedImages } from './judged-images.js';
import { createVerdictRecordStore, type VerdictRecordStore } from './verdict-record-store.js';
import type { LayerCache } from '@customs/indexer';

export interface Store {
  readonly db: Database;
  readonly layers: LayerCache;
  readonly images: ImageStore;
  readonly scans: ScanStore;
  readonly deliveries: DeliveryStore;
  readonly tokens: TokenStore;
  readonly artifacts: ArtifactStore;
  readonly deadLetters: DeadLetterStore;
  readonly vex: VexStore;
  readonly verdictRecords: VerdictRecordStore;
  readonly judgedImages: JudgedImages;
}

export interface StoreOptions {
  layers?: LayerStoreOptions;
  objects?: ObjectStore;
}

/** Brings the schema up to date (or refuses a newer one) and returns every repository over `db`. */
export async function openStore(db: Database, options: StoreOptions = {}): Promise<Store> {
  await migrateStore(db);
  return {
    db,
    layers: createLayerStore(db, options.layers),
    images: createImageStore(db),
    scans: createScanStore(db),
    deliveries: createDeliveryStore(db),
    tokens: createTokenStore(db),
    artifacts: createArtifactStore(db, options.objects),
    deadLetters: createDeadLetterStore(db),
    vex: createVexStore(db),
    verdictRecords: createVerdictRecordStore(db),
    judgedImages: createJudgedImages(db),
  };
}

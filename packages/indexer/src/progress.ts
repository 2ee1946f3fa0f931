/** What an indexer reports while it works, so a CLI can draw progress and a worker can log it. */
export type IndexProgress =
  | { kind: 'layer-start'; layer: string; index: number; total: number; size: number }
  | { kind: 'layer-bytes'; layer: string; received: number; size: number }
  | { kind: 'layer-done'; layer: string; cached: boolean; packages: number };

import type { IndexProgress } from '@customs/indexer';

interface LayerLine {
  label: string;
  received: number;
  size: number;
  state: 'waiting' | 'downloading' | 'cached' | 'done';
}

const REDRAW_INTERVAL_MS = 100;

/**
 * Per-layer download progress on a terminal: one line per layer, redrawn in place. Writes nothing when
 * the stream is not a TTY, so piped and CI output stays clean.
 */
export class ProgressBar {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly #lines = new Map<string, LayerLine>();
  #drawn = 0;
  #lastDraw = 0;

  constructor(out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {
    this.#out = out;
  }

  get enabled(): boolean {
    return this.#out.isTTY === true;
  }

  update = (event: IndexProgress): void => {
    if (!this.enabled) return;
    const line = this.#lines.get(event.layer) ?? { label: '', received: 0, size: 0, state: 'waiting' };
    if (event.kind === 'layer-start') {
      line.label = `layer ${event.index + 1}/${event.total} ${event.layer.slice(7, 19)}`;
      line.size = event.size;
      line.state = 'downloading';
    } else if (event.kind === 'layer-bytes') {
      line.received = event.received;
    } else {
      line.state = event.cached ? 'cached' : 'done';
      line.received = line.size;
    }
    this.#lines.set(event.layer, line);
    const now = Date.now();
    if (event.kind !== 'layer-bytes' || now - this.#lastDraw >= REDRAW_INTERVAL_MS) this.#draw(now);
  };

  /** Leaves the final state on screen. */
  finish(): void {
    if (this.enabled && this.#lines.size) this.#draw(Date.now());
  }

  #draw(now: number): void {
    this.#lastDraw = now;
    const up = this.#drawn ? `\x1b[${this.#drawn}A` : '';
    const lines = [...this.#lines.values()].map((line) => `\x1b[2K${render(line, this.#out.columns ?? 80)}`);
    this.#out.write(up + lines.join('\n') + '\n');
    this.#drawn = lines.length;
  }
}

function render(line: LayerLine, columns: number): string {
  const amount = `${megabytes(line.received)}/${megabytes(line.size)} MB`;
  const status = line.state === 'cached' ? 'cached' : line.state === 'done' ? 'done' : amount;
  const width = Math.max(10, Math.min(30, columns - line.label.length - status.length - 6));
  const filled = line.size ? Math.round((width * Math.min(line.received, line.size)) / line.size) : 0;
  return `${line.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${status}`;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

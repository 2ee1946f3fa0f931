/**
 * Runs tasks one at a time per key, in arrival order. Two events for one digest arriving together
 * (a tag and its alias, GitHub's concurrent deliveries) would otherwise both miss the open scan and
 * create two.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    const tail = current.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      // The last task of a key removes it, so the map holds only keys with work in flight.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

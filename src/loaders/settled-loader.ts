/**
 * A DataLoader that also hands out, synchronously, the values its batches have already loaded. A field resolver
 * that returns a promise makes graphql-js complete its row asynchronously (a promise per row, `promiseForObject`);
 * once a page's relation has been loaded ahead (`prefetch`, run by the service that read the page), the
 * resolver's `loadSettled` returns the rows themselves and the whole page completes in one synchronous pass.
 * Keys not loaded yet go through `load` as before (same batch, same SQL), and a failed batch leaves nothing
 * settled, so its error reaches each field as before. `clear` and `clearAll` clear both; a
 * primed value is served by `load` (it is not a batch's).
 */
import DataLoader from 'dataloader';

export class SettledLoader<V> extends DataLoader<string, V> {
  private readonly settled: Map<string, V>;

  constructor(batch: (keys: readonly string[]) => Promise<V[]>) {
    const settled = new Map<string, V>();
    super(async (keys) => {
      const values = await batch(keys);
      for (let i = 0; i < keys.length; i += 1) settled.set(keys[i], values[i]);
      return values;
    });
    this.settled = settled;
  }

  /** The key's value when a batch has loaded it, otherwise `load(key)`. */
  loadSettled(key: string): V | Promise<V> {
    const settled = this.settled;
    return settled.has(key) ? (settled.get(key) as V) : this.load(key);
  }

  /**
   * Loads `keys` in one batch (their errors, if any, are left for `load` to report to each field). A key already
   * settled is not loaded again.
   */
  async prefetch(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.loadMany(keys);
  }

  override clear(key: string): this {
    this.settled.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.settled.clear();
    return super.clearAll();
  }
}

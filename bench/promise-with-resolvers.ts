/**
 * `Promise.withResolvers` (ES2024) where the runtime lacks it (Node 20): grafast, under PostGraphile 5, calls it.
 * Imported for its effect by bench/peers-postgraphile.ts before PostGraphile itself.
 */
const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

export {};

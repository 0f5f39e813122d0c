/**
 * The bulk stream's early minor collections (src/server/streamed-buffers.ts): one per megabyte sent, counted
 * across chunks of any size; nothing without an exposed collector.
 */
import { RECLAIM_EVERY_BYTES, StreamedBuffers } from '../../../src/server/streamed-buffers';

describe('StreamedBuffers', () => {
  it('collects once per megabyte handed to the socket, whatever the chunk sizes', () => {
    let collections = 0;
    const buffers = new StreamedBuffers(() => { collections += 1; });
    for (let i = 0; i < 1024; i += 1) buffers.sent(1024); // exactly 1 MiB in 1 KiB chunks
    expect(collections).toBe(1);
    buffers.sent(RECLAIM_EVERY_BYTES - 1);
    expect(collections).toBe(1);
    buffers.sent(1);
    expect(collections).toBe(2);
    buffers.sent(5 * RECLAIM_EVERY_BYTES); // one large chunk: one collection, the count starts again
    expect(collections).toBe(3);
  });

  it('does nothing when Node exposes no collector', () => {
    expect(() => new StreamedBuffers(null).sent(10 * RECLAIM_EVERY_BYTES)).not.toThrow();
  });

  it('uses the exposed minor collection when there is one', () => {
    const saved = globalThis.gc;
    const calls: unknown[] = [];
    globalThis.gc = ((options?: unknown) => { calls.push(options); }) as NodeJS.GCFunction;
    try {
      new StreamedBuffers().sent(RECLAIM_EVERY_BYTES);
    } finally {
      globalThis.gc = saved;
    }
    expect(calls).toEqual([{ type: 'minor' }]);
  });
});

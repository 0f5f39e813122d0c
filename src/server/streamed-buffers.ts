/**
 * The bulk stream's spent buffers given back as it goes (the marketing list export, GET /exports/marketing-list).
 *
 * A stream of COPY rows allocates almost nothing on V8's heap, but each socket read and each NDJSON chunk is a
 * Buffer whose memory lives outside the heap until its small JS wrapper is collected. The API processes' young
 * generation is sized for GraphQL pages (`npm start`: `--max-semi-space-size=6`, docs/architecture.md), so with
 * so little allocated a scavenge comes rarely, and tens of megabytes of spent buffers would wait for it: the
 * 200,000-customer export peaked at 162 MB RSS without this, against its 128 MB target. So every megabyte sent,
 * a minor collection (a scavenge of a nearly empty young generation: well under a millisecond) frees them.
 *
 * `globalThis.gc` exists only when Node runs with `--expose-gc`, as `npm start` (and every benchmark's server,
 * bench/start-flags.ts) does; without it (the tests) nothing is collected early and only memory differs.
 */
export const RECLAIM_EVERY_BYTES = 1024 * 1024;

type MinorCollection = () => void;

/** A minor collection, if Node exposes one. */
function exposedMinorCollection(): MinorCollection | null {
  const gc = globalThis.gc;
  return gc ? () => gc({ type: 'minor' }) : null;
}

export class StreamedBuffers {
  private unreclaimed = 0;
  private readonly collect: MinorCollection | null;

  constructor(collect: MinorCollection | null = exposedMinorCollection()) {
    this.collect = collect;
  }

  /** `bytes` more were handed to the socket; collects once a megabyte has gone since the last time. */
  sent(bytes: number): void {
    this.unreclaimed += bytes;
    if (this.unreclaimed < RECLAIM_EVERY_BYTES) return;
    this.unreclaimed = 0;
    this.collect?.();
  }
}

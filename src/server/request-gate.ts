/**
 * How many GraphQL requests one API process executes at once (GRAPHQL_CONCURRENCY, default 4); the others wait
 * their turn in arrival order. Not a limit on connections: it keeps a request's working state short-lived.
 *
 * Why: a page's answer is built from a few megabytes of short-lived objects. Executed one after another they die
 * young, in V8's young generation (a scavenge copies only what is still alive). Interleaved sixteen at a time,
 * each request's state lives as long as the slowest of them and is copied through scavenge after scavenge and
 * promoted to the old generation: the same page then costs 40–50% more CPU (npm run bench:peers, concurrency 16;
 * docs/architecture.md, "Young generation"). A request that waits for the database keeps its turn, so the limit
 * is above one: while one waits, the others run.
 */
export class RequestGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a request gate needs a positive whole limit, got ${limit}`);
  }

  /** Runs `work` once a turn is free; the turn is given back when it settles, whatever the outcome. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Requests waiting for a turn now. */
  get queued(): number {
    return this.waiting.length;
  }
}

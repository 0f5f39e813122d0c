/**
 * How many GraphQL requests one API process executes at once (GRAPHQL_CONCURRENCY, default 4); the others wait
 * their turn in arrival order. Not a limit on connections: it keeps a request's working state short-lived.
 *
 * Why: a page's answer is built from a few megabytes of short-lived objects. Executed a few at a time they die
 * young, in V8's young generation (a scavenge copies only what is still alive). Interleaved sixteen at a time,
 * each request's state lives as long as the slowest of them and is copied through scavenge after scavenge and
 * promoted to the old generation (docs/architecture.md, "Young generation"). A request that waits for the
 * database keeps its turn while it executes, so the limit is above one: while one waits, the others run.
 *
 * A turn is taken before the request's context is built and given back when execution ends
 * (src/server/execution-turn-plugin.ts), or at the latest when the HTTP front has the response: the access log's
 * write and a mutation's commit are awaited outside it, so concurrent requests still share one group commit
 * (src/hash-chain/access-log-writer.ts) and a slow commit does not hold up the others' execution.
 */

/** One request's turn; `release` gives it back (once: later calls do nothing). */
export interface Turn {
  release(): void;
}

export class RequestGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a request gate needs a positive whole limit, got ${limit}`);
  }

  /** Resolves with a turn once one is free (at once when fewer than `limit` are held). */
  async acquire(): Promise<Turn> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        const next = this.waiting.shift();
        if (next) next();
        else this.running -= 1;
      },
    };
  }

  /** Runs `work` in a turn, given back when it settles (or earlier, by whoever holds the turn). */
  async run<T>(work: (turn: Turn) => Promise<T>): Promise<T> {
    const turn = await this.acquire();
    try {
      return await work(turn);
    } finally {
      turn.release();
    }
  }

  /** Turns held now. */
  get held(): number {
    return this.running;
  }

  /** Requests waiting for a turn now. */
  get queued(): number {
    return this.waiting.length;
  }
}

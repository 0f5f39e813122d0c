/**
 * The request gate (src/server/request-gate.ts): at most `limit` at once, the rest in arrival order, a turn given
 * back however the work ends.
 */
import { RequestGate } from '../../../src/server/request-gate';

/** A piece of work the test finishes by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RequestGate', () => {
  it('runs at most `limit` at once and starts the waiting ones in arrival order', async () => {
    const gate = new RequestGate(2);
    const work = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const done = work.map((w, i) => gate.run(async () => { started.push(i); await w.promise; return i; }));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(2);
    work[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    work[0].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(gate.queued).toBe(0);
    work[2].resolve();
    work[3].resolve();
    await expect(Promise.all(done)).resolves.toEqual([0, 1, 2, 3]);
  });

  it('gives the turn back when the work fails, and passes the failure on', async () => {
    const gate = new RequestGate(1);
    const failing = gate.run(() => Promise.reject(new Error('no')));
    const next = gate.run(async () => 'ran');
    await expect(failing).rejects.toThrow('no');
    await expect(next).resolves.toBe('ran');
  });

  it('gives the turn back when the work throws before it returns a promise', async () => {
    const gate = new RequestGate(1);
    await expect(gate.run(() => { throw new Error('at once'); })).rejects.toThrow('at once');
    await expect(gate.run(async () => 1)).resolves.toBe(1);
  });

  it('never runs more than the limit under many callers', async () => {
    const gate = new RequestGate(3);
    let running = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 50 }, (_, i) => gate.run(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, i % 3));
      running -= 1;
    })));
    expect(most).toBe(3);
  });

  it('gives a turn back once, however often it is released, and lets the holder release it before the work settles', async () => {
    const gate = new RequestGate(1);
    const work = deferred();
    let secondStarted = false;
    const first = gate.run(async (turn) => {
      turn.release();
      turn.release(); // a second release must not free a turn someone else holds
      await work.promise;
    });
    const second = gate.run(async () => { secondStarted = true; await tick(); });
    const third = gate.run(async () => 'third');
    await tick();
    expect(secondStarted).toBe(true);
    expect(gate.held).toBe(1); // the second's; the third still waits
    expect(gate.queued).toBe(1);
    await second;
    await expect(third).resolves.toBe('third');
    work.resolve();
    await first;
    expect(gate.held).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %p', (limit) => {
    expect(() => new RequestGate(limit)).toThrow(/positive whole limit/);
  });
});

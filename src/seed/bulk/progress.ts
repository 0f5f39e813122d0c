/**
 * The bulk seed's progress (src/seed/bulk): a cli-progress bar on standard error when it is a terminal,
 * else one line per tenth done (logs and CI stay readable); nothing on standard output.
 */
import { SingleBar } from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

export const SILENT_PROGRESS: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream, format: '{label} [{bar}] {percentage}% | {value}/{total} customers | {duration_formatted} elapsed, ETA {eta_formatted}',
      hideCursor: true, etaBuffer: 5,
    });
    let label = '';
    return {
      start: (total, text) => {
        label = text;
        bar.start(total, 0, { label });
      },
      update: (done) => bar.update(done, { label }),
      stop: () => bar.stop(),
    };
  }
  let total = 0;
  let next = 0;
  let started = 0;
  return {
    start: (all, text) => {
      total = all;
      next = 0.1;
      started = Date.now();
      stream.write(`${text}: 0/${all} customers\n`);
    },
    update: (done) => {
      if (total && done / total >= next) {
        while (done / total >= next) next += 0.1;
        stream.write(`  ${done}/${total} customers (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      }
    },
    stop: () => undefined,
  };
}

/**
 * The Node flags `npm start` runs the server with (package.json's start script), so a benchmark's server process
 * is the server as deployed (bench:marketing, bench:load, bench:faults, bench:peers' Visus arms).
 * `BENCH_NODE_FLAGS` (space-separated, e.g. `--max-semi-space-size=8`; `none` for no flag) replaces them, to
 * measure what a flag does: the printed header says which flags ran.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The flags of `npm start`'s command, or BENCH_NODE_FLAGS when set. */
export function startFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env.BENCH_NODE_FLAGS?.trim();
  if (override) return override === 'none' ? [] : override.split(/\s+/);
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((token) => token.startsWith('--'));
}

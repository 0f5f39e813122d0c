/**
 * `npm run bench:peers`' server processes: each arm's server runs in a child process of its own, so its CPU
 * (all its threads: event loop, GC, libuv pool) can be read from `/proc/<pid>/stat` (bench/peers-cpu.ts) and no
 * arm's garbage or background work is billed to another. This file is the main thread's handle, `PeerProcess`
 * (fork, URL, SQL statement count, stop), and the messages; the child's side is bench/peers-child.ts.
 */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { serverNodeEnv } from './settings';
import { startFlags } from './start-flags';

/** What a server process serves: the raw floor, PostGraphile, or Visus with enforcement on (as built) or off. */
export type PeerKind = 'raw' | 'postgraphile' | 'visus-built' | 'visus-off';

export interface StartMessage { type: 'start'; kind: PeerKind; coreUrl: string; clinicalUrl: string }
export type ChildMessage = { type: 'ready'; url: string } | { type: 'statements'; count: number } | { type: 'stopped' } | { type: 'failed'; message: string };
export type ParentMessage = StartMessage | { type: 'statements' } | { type: 'stop' };

/** The main thread's handle on one server process. */
export class PeerProcess {
  private readonly proc: ChildProcess;
  private waiting: ((m: ChildMessage) => void) | null = null;
  private failure: Error | null = null;

  constructor(readonly kind: PeerKind, coreUrl: string, clinicalUrl: string) {
    // Visus runs with `npm start`'s Node flags (as deployed); the peers with Node's defaults (as they ship).
    const execArgv = kind === 'visus-built' || kind === 'visus-off' ? startFlags() : [];
    this.proc = fork(path.join(__dirname, 'peers-child.js'), [], { execArgv, env: { GRAPHILE_ENV: 'production', ...process.env, NODE_ENV: serverNodeEnv() }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (message: ChildMessage) => {
      if (message.type === 'failed') this.failure = new Error(`${kind} server: ${message.message}`);
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.(message);
    });
    this.proc.on('exit', (code) => {
      if (!this.failure) this.failure = new Error(`${kind} server exited (code ${code})`);
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.({ type: 'failed', message: this.failure.message });
    });
    const start: StartMessage = { type: 'start', kind, coreUrl, clinicalUrl };
    this.proc.send(start);
  }

  get pid(): number {
    return this.proc.pid!;
  }

  private async next(message?: ParentMessage): Promise<ChildMessage> {
    if (this.failure) throw this.failure;
    const reply = new Promise<ChildMessage>((resolve) => { this.waiting = resolve; });
    if (message) this.proc.send(message);
    const m = await reply;
    if (m.type === 'failed') throw this.failure ?? new Error(m.message);
    return m;
  }

  /** The server's URL once it serves. */
  async ready(): Promise<string> {
    const m = await this.next();
    if (m.type !== 'ready') throw new Error(`${this.kind} server: unexpected ${m.type}`);
    return m.url;
  }

  /** SQL statements the process has run so far. */
  async statements(): Promise<number> {
    const m = await this.next({ type: 'statements' });
    if (m.type !== 'statements') throw new Error(`${this.kind} server: unexpected ${m.type}`);
    return m.count;
  }

  /** Stops the server (its pools closed); kills the process if it does not exit within 10 s. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    try {
      await this.next({ type: 'stop' });
    } catch {
      this.proc.kill('SIGKILL');
    }
    await exited;
    clearTimeout(timer);
  }
}


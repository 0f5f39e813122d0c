/**
 * The benchmarks' server thread: one worker thread holding one API instance per arm (bench/arm-app.ts),
 * each on its own pair of DataSources (own connection pools, own statement counters), connected as the
 * application role. `ServerWorker` is the main thread's side: it starts the thread, waits for the instances'
 * URLs, asks for the statement counts and stops it. Loaded in a worker thread started by `ServerWorker`, this
 * file is the thread's entry point and starts the instances its `workerData` describes.
 */
import 'reflect-metadata';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { AssembledApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createDataSource, statementCount } from '../src/db/data-sources';
import { logger } from '../src/logging/logger';
import { ArmOptions, startArm } from './arm-app';
import { serverNodeEnv } from './settings';

/** SQL statements run on an arm's core and clinical DataSources. */
export interface Counts {
  core: number;
  clinical: number;
}

/** Messages from the server worker to the load generator. */
type WorkerMessage =
  | { type: 'ready'; urls: Record<string, string> }
  | { type: 'counts'; counts: Record<string, Counts> }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

/** Messages from the load generator to the server worker. */
type MainMessage = { type: 'counts' } | { type: 'stop' };

export interface ServerWorkerData {
  coreUrl: string;
  clinicalUrl: string;
  arms: { arm: string; options: ArmOptions }[];
}

/** Marks a worker started by `ServerWorker`. */
interface MarkedWorkerData extends ServerWorkerData {
  benchServer: true;
}

// The per-request info line would dominate the output (and the servers' work): warn unless LOG_LEVEL says otherwise.
if (!process.env.LOG_LEVEL) logger.level = 'warn';

async function serverWorker(port: NonNullable<typeof parentPort>, data: ServerWorkerData): Promise<void> {
  const config = { ...loadConfig(), port: 0, sessionIdleMinutes: 24 * 60 };
  const arms = data.arms.map((a) => a.arm);
  const sources = new Map(arms.map((arm) => [arm, {
    core: createDataSource('core', data.coreUrl),
    clinical: createDataSource('clinical', data.clinicalUrl),
  }]));
  const source = (arm: string): { core: DataSource; clinical: DataSource } => sources.get(arm)!;
  const apps = new Map<string, AssembledApp>();

  async function stop(): Promise<void> {
    for (const arm of arms) await apps.get(arm)?.stop();
    for (const arm of arms) {
      for (const ds of [source(arm).core, source(arm).clinical]) if (ds.isInitialized) await ds.destroy();
    }
  }

  const send = (message: WorkerMessage): void => port.postMessage(message);
  try {
    for (const { arm, options } of data.arms) {
      await source(arm).core.initialize();
      await source(arm).clinical.initialize();
      apps.set(arm, await startArm(config, source(arm).core, source(arm).clinical, options));
    }
  } catch (error) {
    await stop().catch(() => undefined);
    send({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
    port.close();
    return;
  }
  send({ type: 'ready', urls: Object.fromEntries(arms.map((arm) => [arm, apps.get(arm)!.url])) });

  port.on('message', (message: MainMessage) => {
    if (message.type === 'counts') {
      const counts = (arm: string): Counts => ({ core: statementCount(source(arm).core), clinical: statementCount(source(arm).clinical) });
      send({ type: 'counts', counts: Object.fromEntries(arms.map((arm) => [arm, counts(arm)])) });
    } else if (message.type === 'stop') {
      stop().then(
        () => { send({ type: 'stopped' }); port.close(); },
        (error: unknown) => { send({ type: 'failed', message: String(error) }); port.close(); },
      );
    }
  });
}

/** The server worker, driven by request/response messages. */
export class ServerWorker<A extends string> {
  private readonly worker: Worker;
  private waiting: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  exited = false;

  constructor(data: ServerWorkerData) {
    // The servers run as deployed: NODE_ENV=production (graphql-js then skips its development-only checks),
    // unless the caller set NODE_ENV. The worker loads its own modules, so this applies to everything it runs.
    // Its entry point is this file (see the bottom).
    const marked: MarkedWorkerData = { benchServer: true, ...data };
    this.worker = new Worker(__filename, { workerData: marked, env: { ...process.env, NODE_ENV: serverNodeEnv() } });
    this.worker.on('message', (message: WorkerMessage) => {
      const waiting = this.waiting;
      this.waiting = null;
      if (message.type === 'failed') {
        this.failure = new Error(`server worker: ${message.message}`);
        waiting?.reject(this.failure);
      } else {
        waiting?.resolve(message);
      }
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      this.waiting?.reject(error);
      this.waiting = null;
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (code !== 0 && !this.failure) this.failure = new Error(`server worker exited with code ${code}`);
      this.waiting?.reject(this.failure ?? new Error('server worker exited'));
      this.waiting = null;
    });
  }

  private next(message?: MainMessage): Promise<WorkerMessage> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.exited) return Promise.reject(new Error('server worker has exited'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      if (message) this.worker.postMessage(message);
    });
  }

  /** The instances' GraphQL URLs, once all are serving. */
  async ready(): Promise<Record<A, string>> {
    const message = await this.next();
    if (message.type !== 'ready') throw new Error(`unexpected worker message ${message.type}`);
    return message.urls as Record<A, string>;
  }

  /** The statements each instance's DataSources have run so far. */
  async counts(): Promise<Record<A, Counts>> {
    const message = await this.next({ type: 'counts' });
    if (message.type !== 'counts') throw new Error(`unexpected worker message ${message.type}`);
    return message.counts as Record<A, Counts>;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    try {
      await this.next({ type: 'stop' });
    } catch {
      await this.worker.terminate();
    }
    // The worker exits once its servers and pools are closed; do not wait forever for a straggling handle.
    const timer = setTimeout(() => void this.worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

// The server worker's entry point (see ServerWorker).
if (!isMainThread && (workerData as Partial<MarkedWorkerData> | null)?.benchServer === true) {
  const port = parentPort;
  if (!port) throw new Error('bench worker started without a parent port');
  void serverWorker(port, workerData as MarkedWorkerData);
}

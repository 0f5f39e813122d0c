/**
 * `npm run bench:peers`' server process (forked by `PeerProcess`, bench/peers-process.ts): starts the one server
 * its start message names (the raw floor, PostGraphile, or Visus with enforcement on or off), reports its URL, and
 * answers statement-count and stop messages. Every child loads all kinds' modules (PostGraphile's too, after
 * bench/promise-with-resolvers.ts) but starts only its own server; loading costs no CPU during the timed rounds.
 *
 * Statements are counted the same way for every kind: `pg.Client.prototype.query` is wrapped before anything
 * connects, so every statement of every pool of the process counts (Visus's session check, page and batched
 * appointments; PostGraphile's planned query; the raw floor's two).
 */
import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { Config, loadConfig } from '../src/config/config';
import { createDataSource } from '../src/db/data-sources';
import { logger } from '../src/logging/logger';
import { startArm } from './arm-app';
import { startPostGraphile } from './peers-postgraphile';
import { ChildMessage, ParentMessage, StartMessage } from './peers-process';
import { PeerServer, startRawFloor } from './peers-raw';

let statements = 0;

function countStatements(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function counted(this: unknown, ...args: unknown[]): unknown {
    statements += 1;
    return query.apply(this, args);
  };
}

async function startVisus(kind: 'visus-built' | 'visus-off', coreUrl: string, clinicalUrl: string): Promise<PeerServer> {
  if (!process.env.LOG_LEVEL) logger.level = 'warn';
  const config: Config = { ...loadConfig(), port: 0, sessionIdleMinutes: 24 * 60 };
  const core: DataSource = createDataSource('core', coreUrl);
  const clinical: DataSource = createDataSource('clinical', clinicalUrl);
  await core.initialize();
  await clinical.initialize();
  const on = kind === 'visus-built';
  const app = await startArm(config, core, clinical, { enforcement: on, clinicalAccessLog: on });
  return {
    url: app.url,
    stop: async () => {
      await app.stop();
      for (const ds of [core, clinical]) if (ds.isInitialized) await ds.destroy();
    },
  };
}

async function child(): Promise<void> {
  const send = (message: ChildMessage): void => void process.send?.(message);
  countStatements();
  const start = await new Promise<StartMessage>((resolve) => process.once('message', (m: StartMessage) => resolve(m)));
  let server: PeerServer;
  try {
    if (start.kind === 'raw') server = await startRawFloor(start.coreUrl);
    else if (start.kind === 'postgraphile') server = await startPostGraphile(start.coreUrl);
    else server = await startVisus(start.kind, start.coreUrl, start.clinicalUrl);
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
    process.exit(1);
  }
  send({ type: 'ready', url: server.url });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'statements') send({ type: 'statements', count: statements });
    else if (message.type === 'stop') {
      server.stop().then(() => send({ type: 'stopped' }), (e: unknown) => send({ type: 'failed', message: String(e) }))
        .finally(() => process.disconnect());
    }
  });
  // The parent gone (killed, Ctrl-C): stop too.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 2000).unref());
}

void child();

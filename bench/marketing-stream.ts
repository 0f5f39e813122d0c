/**
 * The marketing benchmark's measurements (bench/marketing.ts): the API server as a child process (`node
 * dist/src/main.js` on the bench database, so its memory is its own and readable in /proc), one streamed
 * export through GET /exports/marketing-list timed to its last byte while the server's peak RSS (VmHWM) is read
 * when the rows pass 100,000 and at the end, and the baseline `psql \copy` of the equivalent SQL (or, without
 * psql, a pg-copy-streams COPY TO STDOUT of it in this process).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { freePort } from '../src/db/free-port';
import { startFlags } from './start-flags';
import { serverNodeEnv } from './settings';

export interface ServerChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The process ids whose parent is `pid` (from /proc/<pid>/stat's fourth field). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after its last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process exited while /proc was read.
    }
  }
  return children;
}

/**
 * The server's resident set: now and its peak so far (kB, from /proc/<pid>/status), of the API process that holds
 * the most. `npm start` runs Node's cluster (src/server/cluster.ts): the primary only opens the databases and its
 * workers serve, so the export runs in a worker; the figure is the largest of the primary and its workers (each is
 * one API process, and the target is per process).
 */
export function memoryOf(pid: number): { rssKb: number; peakKb: number } {
  const of = (id: number): { rssKb: number; peakKb: number } => {
    const status = fs.readFileSync(`/proc/${id}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), peakKb: kb('VmHWM') };
  };
  // A worker exiting as it is read has no VmRSS any more: left out, not NaN.
  const all = [of(pid), ...childrenOf(pid).flatMap((id) => { try { return [of(id)]; } catch { return []; } })]
    .filter((m) => Number.isFinite(m.rssKb) && Number.isFinite(m.peakKb));
  return { rssKb: Math.max(...all.map((m) => m.rssKb)), peakKb: Math.max(...all.map((m) => m.peakKb)) };
}

export async function startServerChild(env: Record<string, string>): Promise<ServerChild> {
  const port = await freePort();
  const main = path.join(__dirname, '..', 'src', 'main.js');
  // As deployed (NODE_ENV=production unless set, like the other benchmarks' servers), on loopback, quiet, no demo seed.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: serverNodeEnv(),
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn', VISUS_SEED_DEMO: 'false',
  };
  const child: ChildProcess = spawn(process.execPath, [...startFlags(), main], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API server exited with ${child.exitCode}:\n${output}`);
    if (/ready at/.test(output)) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the API server did not start within 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export interface StreamResult {
  rows: number;
  seconds: number;
  /** Seconds to the response's headers (the manifest, taken before the first row). */
  headersSeconds: number;
  bytes: number;
  /** The server's peak RSS (kB) when the rows passed 100,000 (null: fewer rows), and at the end. */
  peakAt100kKb: number | null;
  peakAtEndKb: number;
  rssAtEndKb: number;
  manifestIncluded: number | null;
}

/** Streams the export to its end, counting rows (lines; CSV without its header, NDJSON without the manifest line). */
export function streamExport(server: ServerChild, token: string, format: 'csv' | 'ndjson'): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lines = 0;
    let bytes = 0;
    let peakAt100kKb: number | null = null;
    const headerLines = format === 'csv' ? 1 : 0;
    // The stream's last bytes (the NDJSON manifest line is in them).
    let tail: Buffer = Buffer.alloc(0);
    const request = http.get(`${server.url}/exports/marketing-list?channel=EMAIL&format=${format}`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(new Error(`export answered ${response.statusCode}: ${body}`)));
        return;
      }
      const headersSeconds = (performance.now() - started) / 1000;
      const header = response.headers['x-visus-manifest'];
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines += 1;
        tail = chunk.length >= 65536 ? chunk : Buffer.concat([tail, chunk]).subarray(-65536);
        if (peakAt100kKb === null && lines - headerLines >= 100_000) peakAt100kKb = memoryOf(server.pid).peakKb;
      });
      response.on('end', () => {
        const seconds = (performance.now() - started) / 1000;
        const memory = memoryOf(server.pid);
        let rows = lines - headerLines;
        let manifestIncluded: number | null = null;
        if (format === 'ndjson') {
          rows -= 1; // the manifest trailer
          const text = tail.toString('utf8').trimEnd();
          manifestIncluded = (JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as { manifest: { included: number } }).manifest.included;
        } else if (typeof header === 'string') {
          manifestIncluded = (JSON.parse(header) as { included: number }).included;
        }
        resolve({ rows, seconds, headersSeconds, bytes, peakAt100kKb, peakAtEndKb: memory.peakKb, rssAtEndKb: memory.rssKb, manifestIncluded });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

export interface CopyResult {
  rows: number;
  seconds: number;
  how: string;
}

/** `psql \copy (<sql>) TO '/dev/null' CSV HEADER`, timed from launch to exit; without psql, COPY TO STDOUT here. */
export async function copyBaseline(url: string, sql: string): Promise<CopyResult> {
  const psql = ['/usr/bin/psql', ...(process.env.PATH ?? '').split(':').map((dir) => path.join(dir, 'psql'))].find((file) => fs.existsSync(file));
  if (psql) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-bench-copy-'));
    const file = path.join(dir, 'copy.sql');
    fs.writeFileSync(file, `\\copy (${sql}) TO '/dev/null' CSV HEADER\n`, { mode: 0o600 });
    try {
      const started = performance.now();
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(psql, ['-X', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`psql exited with ${code}: ${text}`))));
      });
      const seconds = (performance.now() - started) / 1000;
      const rows = Number(/COPY (\d+)/.exec(output)?.[1] ?? NaN);
      return { rows, seconds, how: `psql \\copy (${psql})` };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const client = new Client({ connectionString: url });
  const started = performance.now();
  await client.connect();
  try {
    let lines = 0;
    const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines += 1;
      });
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    return { rows: lines - 1, seconds: (performance.now() - started) / 1000, how: 'no psql on PATH: COPY TO STDOUT through pg-copy-streams in the benchmark process' };
  } finally {
    await client.end();
  }
}

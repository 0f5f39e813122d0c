/**
 * `npm run build` (and the step before `npm start` and every script that runs compiled code): compiles
 * src/, migrations/ and bench/ to dist/ file by file with TypeScript's own `ts.transpileModule`, using the
 * compiler options of tsconfig.build.json (decorator metadata included, as TypeORM and type-graphql need).
 * It does not type check: `npm run typecheck` does that (the tests run the code transpiled the same way).
 *
 * Incremental: a file is compiled again only when its output is missing or older than it. When nothing is
 * stale and no source was added or removed, it returns without loading TypeScript (about 0.1 s). A change of
 * this file, of a tsconfig or of the TypeScript version rebuilds everything; outputs whose source is gone
 * are deleted. It prints nothing on standard output (so `npm run -s audit:export-head > heads.json` stays
 * JSON); syntax errors go to standard error and exit 1. `--force` rebuilds everything.
 */
'use strict';
/* global __filename */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, 'tsconfig.build.json');
const OUT_DIR = path.join(ROOT, 'dist');
const MANIFEST = path.join(OUT_DIR, '.build-manifest.json');
/** Files whose content decides how everything is compiled: a change to any of them rebuilds all. */
const KEY_FILES = [__filename, CONFIG, path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'node_modules', 'typescript', 'package.json')];

function buildKey() {
  const hash = crypto.createHash('sha256');
  for (const file of KEY_FILES) hash.update(file).update('\0').update(readOrEmpty(file)).update('\0');
  return hash.digest('hex');
}

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** Every .ts file (not .d.ts) under the given directories, absolute, sorted (node_modules and dist skipped). */
function walkSources(dirs) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && full !== OUT_DIR) walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        found.push(full);
      }
    }
  };
  dirs.forEach(walk);
  return found.sort();
}

function readManifest() {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Without loading TypeScript: how many sources are new or newer than their output since the last build
 * (0: nothing to do), or null when the last build is unknown or used other settings (rebuild everything).
 */
function staleSinceLastBuild(key) {
  const manifest = readManifest();
  if (!manifest || manifest.key !== key || !Array.isArray(manifest.roots) || !manifest.outputs) return null;
  const sources = walkSources(manifest.roots.map((dir) => path.join(ROOT, dir))).map((file) => path.relative(ROOT, file));
  const current = new Set(sources);
  const removed = Object.keys(manifest.outputs).filter((file) => !current.has(file)).length;
  const stale = sources.filter((file) => !(file in manifest.outputs) || mtimeMs(path.join(ROOT, manifest.outputs[file])) < mtimeMs(path.join(ROOT, file)));
  return stale.length + removed;
}

function formatDiagnostic(ts, diagnostic) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${path.relative(ROOT, diagnostic.file.fileName)}(${line + 1},${character + 1}): ${message}`;
}

/** Writes through a temporary file and a rename, so a process starting meanwhile never loads half a file. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}-${threadId()}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

function threadId() {
  return require('node:worker_threads').threadId;
}

/** Deletes compiled files under the output roots that no current source produces. */
function deleteOrphans(roots, expected) {
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(js|js\.map|d\.ts|tmp)$/.test(entry.name) && !expected.has(full)) fs.rmSync(full, { force: true });
    }
  };
  for (const root of roots) walk(path.join(OUT_DIR, root));
}

/** The compiler options and the sources of tsconfig.build.json, with each source's outputs. */
function loadProject(ts) {
  const errors = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => errors.push(formatDiagnostic(ts, diagnostic)),
  });
  for (const diagnostic of parsed ? parsed.errors : []) errors.push(formatDiagnostic(ts, diagnostic));
  if (!parsed || errors.length) throw new Error(`${path.relative(ROOT, CONFIG)}: ${errors.join('\n')}`);
  const options = { ...parsed.options, noEmit: false, declaration: false, composite: false, incremental: false };
  const files = parsed.fileNames
    .filter((source) => source.endsWith('.ts') && !source.endsWith('.d.ts'))
    .map((source) => {
      const outputs = ts.getOutputFileNames(parsed, source, false);
      return { source, js: outputs.find((file) => file.endsWith('.js')), map: outputs.find((file) => file.endsWith('.js.map')) };
    });
  const roots = Object.keys(parsed.wildcardDirectories || {}).map((dir) => path.relative(ROOT, dir)).sort();
  return { options, files, roots };
}

/** Compiles the given files; returns the syntax errors found (a file with errors gets no output). */
function transpile(ts, options, files) {
  const errors = [];
  for (const { source, js, map } of files) {
    const result = ts.transpileModule(fs.readFileSync(source, 'utf8'), { fileName: source, compilerOptions: options, reportDiagnostics: true });
    const syntaxErrors = (result.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (syntaxErrors.length) {
      errors.push(...syntaxErrors.map((diagnostic) => formatDiagnostic(ts, diagnostic)));
      fs.rmSync(js, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(js), { recursive: true });
    if (map && result.sourceMapText !== undefined) writeAtomically(map, result.sourceMapText);
    writeAtomically(js, result.outputText);
  }
  return errors;
}

/** The files to compile: all of them after a settings change, else those whose output is missing or older. */
function staleFiles(files, rebuildAll) {
  return rebuildAll ? files : files.filter(({ source, js }) => mtimeMs(js) < mtimeMs(source));
}

/** Worker thread: loads TypeScript itself and compiles every `workers`-th stale file from `index` on. */
function runWorker({ index, workers, rebuildAll }) {
  const ts = require('typescript');
  const { options, files, roots } = loadProject(ts);
  const mine = staleFiles(files, rebuildAll).filter((_, i) => i % workers === index);
  return { errors: transpile(ts, options, mine), files, roots };
}

function inWorkers(count, rebuildAll) {
  const { Worker } = require('node:worker_threads');
  return Promise.all(Array.from({ length: count }, (_, index) => new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { index, workers: count, rebuildAll } });
    worker.once('message', resolve);
    worker.once('error', reject);
  }))).then((results) => ({ ...results[0], errors: results.flatMap((result) => result.errors) }));
}

/**
 * Compiles what is stale: in two worker threads (on a machine with two or more CPUs) when there is much
 * to do, as on a fresh clone; in this thread otherwise. Returns the exit code.
 */
async function build(key, stale) {
  const rebuildAll = stale === null;
  const threads = Math.min(2, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
  let result;
  if (threads > 1 && (rebuildAll || stale >= 40)) {
    result = await inWorkers(threads, rebuildAll);
  } else {
    const ts = require('typescript');
    const { options, files, roots } = loadProject(ts);
    result = { errors: transpile(ts, options, staleFiles(files, rebuildAll)), files, roots };
  }
  const { errors, files, roots } = result;
  deleteOrphans(roots, new Set(files.flatMap(({ js, map }) => (map ? [js, map] : [js]))));
  if (errors.length) {
    for (const error of errors) process.stderr.write(`${error}\n`);
    fs.rmSync(MANIFEST, { force: true });
    return 1;
  }
  const outputs = Object.fromEntries(files.map(({ source, js }) => [path.relative(ROOT, source), path.relative(ROOT, js)]));
  fs.mkdirSync(OUT_DIR, { recursive: true });
  writeAtomically(MANIFEST, JSON.stringify({ key, roots, outputs }));
  return 0;
}

async function main() {
  const force = process.argv.includes('--force');
  const key = buildKey();
  const stale = force ? null : staleSinceLastBuild(key);
  return stale === 0 ? 0 : build(key, stale);
}

const threads = require('node:worker_threads');
if (threads.isMainThread) {
  main().then(
    (code) => (process.exitCode = code),
    (error) => {
      process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
} else {
  threads.parentPort.postMessage(runWorker(threads.workerData));
}

/**
 * Serves the GraphiQL IDE from this server alone: the page at GET /graphiql (and to a browser's
 * GET /graphql without a query), and its files from node_modules (graphiql@3's UMD build on the React 18
 * UMD builds) by a fixed table of routes, so no part of a URL ever reaches the file system. Every answer
 * carries a Content-Security-Policy that lets the page load and connect to nothing but this origin.
 * Served outside production only (there introspection is off and the page would show demo credentials).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { GRAPHIQL_ASSET_DIR, GRAPHIQL_BOOTSTRAP, GRAPHIQL_CSS, graphiqlHtml } from './graphiql-page';

export const GRAPHIQL_PATH = '/graphiql';

/**
 * Scripts from this origin only (no inline script, no eval); styles from this origin, plus, on the page,
 * the one <style> element carrying the page's nonce; fonts and images from this origin or data: URLs
 * (graphiql's style sheet embeds its fonts and icons as data: URLs); requests to this origin only; no
 * plugins, no framing, no <base> rewriting, no form posts.
 */
export function graphiqlCsp(styleNonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    styleNonce ? `style-src 'self' 'nonce-${styleNonce}'` : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

interface Asset {
  contentType: string;
  body: Buffer;
  etag: string;
}

function packageFile(pkg: string, file: string): () => Buffer {
  // The package's folder from its package.json (graphiql exports it) or its main file (react, react-dom).
  return () => {
    const root = pkg === 'graphiql' ? path.dirname(require.resolve('graphiql/package.json')) : path.dirname(require.resolve(pkg));
    return readFileSync(path.join(root, file));
  };
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Each served file: its route under the asset folder, its type and where its bytes come from. */
const ASSET_SOURCES: ReadonlyMap<string, { contentType: string; load: () => Buffer }> = new Map([
  ['react.production.min.js', { contentType: JS, load: packageFile('react', 'umd/react.production.min.js') }],
  ['react-dom.production.min.js', { contentType: JS, load: packageFile('react-dom', 'umd/react-dom.production.min.js') }],
  ['graphiql.min.js', { contentType: JS, load: packageFile('graphiql', 'graphiql.min.js') }],
  ['graphiql.min.css', { contentType: CSS, load: packageFile('graphiql', 'graphiql.min.css') }],
  // graphiql.min.js ends with `sourceMappingURL=index.umd.js.map`: browser developer tools fetch it.
  ['index.umd.js.map', { contentType: 'application/json; charset=utf-8', load: packageFile('graphiql', 'graphiql.min.js.map') }],
  ['visus-graphiql.js', { contentType: JS, load: () => Buffer.from(GRAPHIQL_BOOTSTRAP, 'utf8') }],
  ['visus-graphiql.css', { contentType: CSS, load: () => Buffer.from(GRAPHIQL_CSS, 'utf8') }],
]);

const ASSET_PREFIX = `/${GRAPHIQL_ASSET_DIR}/`;

/** Loaded on first use and kept (about 1.5 MB, 4 MB more for the source map once asked for). */
const loaded = new Map<string, Asset>();

function asset(name: string): Asset | null {
  const cached = loaded.get(name);
  if (cached) return cached;
  const source = ASSET_SOURCES.get(name);
  if (!source) return null;
  const body = source.load();
  const entry = { contentType: source.contentType, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  loaded.set(name, entry);
  return entry;
}


/** Is this a browser opening /graphql itself: GET, asking for HTML, no query in the URL? */
export function isBrowserPageRequest(req: IncomingMessage, url: URL): boolean {
  const accept = req.headers.accept ?? '';
  return req.method === 'GET' && !url.searchParams.has('query') && accept.includes('text/html');
}

/** Is this path one the IDE owns (the page or one of its files)? */
export function isGraphiqlPath(pathname: string): boolean {
  return pathname === GRAPHIQL_PATH || pathname.startsWith(ASSET_PREFIX);
}

function securityHeaders(res: ServerResponse, styleNonce?: string): void {
  res.setHeader('content-security-policy', graphiqlCsp(styleNonce));
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

/** The page, with a fresh nonce each time (so never cached). */
function sendPage(req: IncomingMessage, res: ServerResponse): void {
  const nonce = randomBytes(18).toString('base64');
  const body = Buffer.from(graphiqlHtml(nonce), 'utf8');
  securityHeaders(res, nonce);
  res.setHeader('cache-control', 'no-store');
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-length', String(body.length));
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendAsset(req: IncomingMessage, res: ServerResponse, file: Asset): void {
  securityHeaders(res);
  // Revalidated on every load (cheap: 304), so an upgraded graphiql is never mixed with a cached old file.
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('etag', file.etag);
  if (req.headers['if-none-match'] === file.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('content-type', file.contentType);
  res.setHeader('content-length', String(file.body.length));
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

function notFound(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ errors: [{ message }] }));
}

/** Serves the page or one of its files; anything else under the asset folder is 404. */
export function serveGraphiql(req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res, 405, 'Use GET.');
  if (url.pathname === '/graphql') {
    // The same URL answers JSON to API clients: caches must key on Accept too.
    res.setHeader('vary', [res.getHeader('vary'), 'Accept'].filter(Boolean).join(', '));
    return sendPage(req, res);
  }
  if (url.pathname === GRAPHIQL_PATH) return sendPage(req, res);
  const file = asset(url.pathname.slice(ASSET_PREFIX.length));
  if (!file) return notFound(res, 404, 'Not found: the API is at /graphql.');
  sendAsset(req, res, file);
}

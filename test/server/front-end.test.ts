/**
 * The first hour of a front-end team: the GraphiQL IDE served by the server itself (offline, same-origin
 * only, strict Content-Security-Policy, sign-in tab that works with the session cookie), CORS for the
 * origins in VISUS_CORS_ORIGINS (preflights, exact matches, nothing for others), the server listening on
 * loopback by default (HOST), and the UNAUTHENTICATED message that tells a superseded session ("signed
 * in elsewhere") from an expired or logged-out one.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { corsOriginsFrom, hostFrom } from '../../src/config/front-door';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { errorCodes } from '../support/graphql-client';
import { startTestApp, TestApp } from '../support/test-app';

const APP_ORIGIN = 'http://localhost:3000';
const ME = '{ me { email } }';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One plain HTTP request (node:http, so Origin and other browser headers go out exactly as given). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: options.host ?? '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A raw request whose path is sent byte for byte (no URL normalisation of dot segments). */
function rawPath(base: string, requestPath: string): Promise<number> {
  const port = new URL(base).port;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: requestPath, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** What a browser sends when someone types the URL in the address bar. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function attributes(html: string, tag: string, attribute: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(`<${tag}\\b[^>]*\\b${attribute}="([^"]*)"`, 'gi');
  for (const match of html.matchAll(pattern)) found.push(match[1]);
  return found;
}

function cspDirectives(header: string | string[] | undefined): Map<string, string[]> {
  const text = Array.isArray(header) ? header.join(';') : (header ?? '');
  const map = new Map<string, string[]>();
  for (const part of text.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

function nodeModulesFile(file: string): Buffer {
  return readFileSync(path.join(__dirname, '..', '..', 'node_modules', file));
}

describe('front end: GraphiQL, CORS and sessions (development)', () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ corsOrigins: [APP_ORIGIN] });
    base = app.url.replace(/\/graphql$/, '');
  });
  afterAll(() => app.stop());

  describe('the GraphiQL IDE', () => {
    it('serves the page at /graphiql with a strict Content-Security-Policy', async () => {
      const page = await raw(`${base}/graphiql`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const html = page.body.toString('utf8');
      expect(html).toContain('<div id="graphiql">');

      const csp = cspDirectives(page.headers['content-security-policy']);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      // Styles: this origin, plus the one <style> element marked with this response's nonce.
      const nonce = /<script src="[^"]*visus-graphiql\.js" nonce="([^"]+)">/.exec(html)?.[1];
      expect(nonce).toBeDefined();
      expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
      // Fonts and icons are embedded in graphiql's style sheet as data: URLs, nothing else.
      expect(csp.get('font-src')).toEqual(["'self'", 'data:']);
      expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
      const everything = [...csp.values()].flat();
      for (const loose of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:']) expect(everything).not.toContain(loose);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['cache-control']).toBe('no-store');

      // A fresh nonce per page.
      const again = await raw(`${base}/graphiql`);
      const nonce2 = /nonce="([^"]+)"/.exec(again.body.toString('utf8'))?.[1];
      expect(nonce2).toBeDefined();
      expect(nonce2).not.toBe(nonce);
    });

    it('has no inline script and references only same-origin paths, each served with 200 and its type', async () => {
      const page = await raw(`${base}/graphiql`);
      const html = page.body.toString('utf8');
      // Every <script> has a src and no body.
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBe(4);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="/);
        expect(body.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
      expect(html).not.toMatch(/<style\b|\sstyle=/i);

      const sources = attributes(html, 'script', 'src');
      const sheets = attributes(html, 'link', 'href').filter((href) => href !== 'data:,');
      // React, then ReactDOM, then GraphiQL on them, then our bootstrap.
      expect(sources.map((src) => path.basename(src))).toEqual(['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'visus-graphiql.js']);
      expect(sheets.map((href) => path.basename(href))).toEqual(['graphiql.min.css', 'visus-graphiql.css']);

      const pageUrl = `${base}/graphiql`;
      for (const reference of [...sources, ...sheets]) {
        expect(reference).not.toMatch(/^[a-z][a-z0-9+.-]*:/i); // no scheme
        expect(reference).not.toMatch(/^\/\//); // not protocol-relative
        const resolved = new URL(reference, pageUrl);
        expect(resolved.origin).toBe(new URL(pageUrl).origin);
        const file = await raw(resolved.href);
        expect({ reference, status: file.status }).toEqual({ reference, status: 200 });
        expect(file.headers['content-type']).toMatch(reference.endsWith('.js') ? /^text\/javascript; charset=utf-8$/ : /^text\/css; charset=utf-8$/);
        expect(file.headers['x-content-type-options']).toBe('nosniff');
        expect(file.body.length).toBeGreaterThan(0);
      }
    });

    it('serves the real React 18 and graphiql 3 builds from node_modules', async () => {
      const served = async (name: string) => (await raw(`${base}/graphiql/assets/${name}`)).body;
      expect((await served('react.production.min.js')).equals(nodeModulesFile('react/umd/react.production.min.js'))).toBe(true);
      expect((await served('react-dom.production.min.js')).equals(nodeModulesFile('react-dom/umd/react-dom.production.min.js'))).toBe(true);
      expect((await served('graphiql.min.js')).equals(nodeModulesFile('graphiql/graphiql.min.js'))).toBe(true);
      expect((await served('graphiql.min.css')).equals(nodeModulesFile('graphiql/graphiql.min.css'))).toBe(true);
      expect(JSON.parse(nodeModulesFile('react/package.json').toString('utf8')).version).toMatch(/^18\./);
      expect(JSON.parse(nodeModulesFile('graphiql/package.json').toString('utf8')).version).toMatch(/^3\./);
    });

    it('needs no network: no absolute URL in the page or bootstrap, the style sheet embeds its fonts, the source map is served', async () => {
      const html = (await raw(`${base}/graphiql`)).body.toString('utf8');
      const bootstrap = (await raw(`${base}/graphiql/assets/visus-graphiql.js`)).body.toString('utf8');
      for (const text of [html, bootstrap]) {
        expect(text).not.toMatch(/https?:\/\//i);
        expect(text).not.toMatch(/["'(]\/\/[a-z0-9]/i); // protocol-relative URLs
      }
      const css = (await raw(`${base}/graphiql/assets/graphiql.min.css`)).body.toString('utf8');
      expect(css).not.toMatch(/@import/i);
      const urls = [...css.matchAll(/url\(\s*["']?([^)"']*)/gi)].map((match) => match[1]);
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url).toMatch(/^data:/);

      // graphiql.min.js names its source map relative to itself; developer tools fetch it from here too.
      const js = (await raw(`${base}/graphiql/assets/graphiql.min.js`)).body.toString('utf8');
      const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(js)?.[1];
      expect(map).toBeDefined();
      expect(map).not.toMatch(/^[a-z]+:|^\//i);
      const served = await raw(new URL(map!, `${base}/graphiql/assets/graphiql.min.js`).href);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(served.body.toString('utf8')).version).toBe(3);
    });

    it('answers a browser opening /graphql with the same page, and API clients with the API', async () => {
      const page = await raw(`${base}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers.vary).toMatch(/Accept/);
      const ide = (await raw(`${base}/graphiql`)).body.toString('utf8');
      const withoutNonce = (text: string) => text.replace(/nonce="[^"]*"/, '');
      expect(withoutNonce(page.body.toString('utf8'))).toBe(withoutNonce(ide));
      // Its relative references resolve to the same files from /graphql as from /graphiql.
      for (const src of attributes(ide, 'script', 'src')) {
        expect(new URL(src, `${base}/graphql`).href).toBe(new URL(src, `${base}/graphiql`).href);
      }

      // A query in the URL runs, even from a browser (Apollo's CSRF rule still applies).
      const query = await raw(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' } });
      expect(query.headers['content-type']).toMatch(/^application\/(graphql-response\+)?json/);
      expect(JSON.parse(query.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
      // Without text/html, a bare GET is not the page.
      const json = await raw(`${base}/graphql`, { headers: { accept: 'application/json' } });
      expect(json.headers['content-type']).not.toMatch(/text\/html/);
      expect(json.body.toString('utf8')).not.toContain('<html');
    });

    it('serves only its fixed files: no URL path reaches the file system', async () => {
      for (const probe of [
        '/graphiql/assets/package.json',
        '/graphiql/assets/../../package.json',
        '/graphiql/assets/..%2f..%2fpackage.json',
        '/graphiql/assets/%2e%2e/%2e%2e/package.json',
        '/graphiql/assets/react/umd/react.production.min.js',
        '/graphiql/assets/',
        '/graphiql/',
      ]) {
        expect({ probe, status: await rawPath(app.url, probe) }).toEqual({ probe, status: 404 });
      }
      expect((await raw(`${base}/graphiql`, { method: 'POST' })).status).toBe(405);
    });

    it('opens with a sign-in tab that signs in a demo user, and the cookie it sets carries the next request', async () => {
      const bootstrap = (await raw(`${base}/graphiql/assets/visus-graphiql.js`)).body.toString('utf8');
      // The IDE posts to this server's /graphql and sends the session cookie.
      expect(bootstrap).toContain("new URL('graphql', document.baseURI)");
      expect(bootstrap).toContain("credentials: 'same-origin'");
      const tabs = JSON.parse(/var DEFAULT_TABS = (\[.*\]);/.exec(bootstrap)![1]) as { query: string }[];
      const signIn = tabs[0].query;
      expect(signIn).toMatch(/mutation SignIn\b/);
      expect(signIn).toContain(DEMO_PASSWORD);

      // Run the tab as GraphiQL does (same-origin POST), then use only the cookie, as the browser would.
      const login = await raw(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: signIn }) });
      const result = JSON.parse(login.body.toString('utf8')) as { data?: { login: { user: { email: string } } }; errors?: unknown };
      expect(result.errors).toBeUndefined();
      expect(result.data?.login.user.email).toMatch(/@clearview\.example$/);
      const setCookie = login.headers['set-cookie']?.[0] ?? '';
      expect(setCookie).toMatch(/^visus_session=[A-Za-z0-9_-]+;/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect(setCookie).toMatch(/Path=\//);
      const cookie = setCookie.split(';')[0];
      const me = await app.request<{ me: { email: string } }>(ME, {}, null, { cookie });
      expect(me.data?.me.email).toBe(result.data?.login.user.email);

      // The other tabs run too once signed in; the last one signs out.
      const firstLook = await app.request<{ me: { email: string } }>(tabs[1].query, {}, null, { cookie });
      expect(firstLook.errors).toBeUndefined();
      const signOut = await app.request<{ logout: boolean }>(tabs[2].query, {}, null, { cookie });
      expect(signOut.data?.logout).toBe(true);
    });

    it('introspection needs no sign-in here (development), so GraphiQL and codegen can load the schema', async () => {
      const result = await app.request<{ __schema: { queryType: { name: string } } }>('{ __schema { queryType { name } } }');
      expect(result.errors).toBeUndefined();
      expect(result.data?.__schema.queryType.name).toBe('Query');
    });
  });

  describe('CORS (VISUS_CORS_ORIGINS)', () => {
    const preflight = (origin: string, requestHeaders = 'content-type, authorization') =>
      raw(app.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders } });

    it('answers a preflight from an allowed origin', async () => {
      const res = await preflight(APP_ORIGIN, 'content-type, authorization, x-access-purpose, apollo-require-preflight');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      const methods = (res.headers['access-control-allow-methods'] ?? '').split(/,\s*/);
      expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'OPTIONS']));
      const allowed = (res.headers['access-control-allow-headers'] ?? '').toLowerCase().split(/,\s*/);
      // JSON bodies, the bearer token, the clinical access purpose, and Apollo's CSRF-prevention headers.
      expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'x-access-purpose', 'apollo-require-preflight', 'x-apollo-operation-name']));
      expect(allowed).not.toContain('*');
      expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
      expect(res.body.length).toBe(0);
    });

    it('gives a disallowed origin, or a near miss, no CORS header at all', async () => {
      for (const origin of ['http://evil.example', 'http://localhost:3001', 'https://localhost:3000', 'http://LOCALHOST:3000', 'null', `${APP_ORIGIN}.evil.example`]) {
        const res = await preflight(origin);
        expect(res.status).toBe(204);
        expect(res.headers.vary).toMatch(/\bOrigin\b/);
        const cors = Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
        expect({ origin, cors }).toEqual({ origin, cors: [] });
        const post = await raw(app.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
        expect({ origin, cors: Object.keys(post.headers).filter((name) => name.startsWith('access-control-')) }).toEqual({ origin, cors: [] });
      }
      // No Origin (curl, server to server): no CORS headers either.
      const plain = await raw(app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(Object.keys(plain.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });

    it('lets an allowed origin read answers with credentials, and its request id', async () => {
      const token = await app.login('leeds.reception@clearview.example');
      const res = await raw(app.url, {
        method: 'POST',
        headers: { origin: APP_ORIGIN, 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: ME }),
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
      expect((res.headers['access-control-expose-headers'] ?? '').toLowerCase()).toContain('x-request-id');
      expect(JSON.parse(res.body.toString('utf8'))).toEqual({ data: { me: { email: 'leeds.reception@clearview.example' } } });
    });
  });

  describe('the one-session rule: why a token is refused', () => {
    const USER = 'leeds.assistant@clearview.example';

    it('says "signed in elsewhere" when a newer sign-in ended the session, without personal data', async () => {
      const first = await app.login(USER);
      expect((await app.request(ME, {}, first)).errors).toBeUndefined();
      const second = await app.login(USER);
      const refused = await app.request(ME, {}, first);
      expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
      const message = refused.errors![0].message;
      expect(message).toMatch(/signed in elsewhere/i);
      expect(message).not.toMatch(/expired/i);
      for (const personal of [USER, 'Aaron', 'Blake', '127.0.0.1', 'node']) expect(message).not.toContain(personal);
      // The newer session is the one that works.
      expect((await app.request<{ me: { email: string } }>(ME, {}, second)).data?.me.email).toBe(USER);
      // Through the cookie as well.
      const byCookie = await app.request(ME, {}, null, { cookie: `visus_session=${first}` });
      expect(byCookie.errors?.[0].message).toMatch(/signed in elsewhere/i);
    });

    it('keeps its own messages for a logged-out, an expired and an unknown session', async () => {
      const loggedOut = await app.login(USER);
      expect((await app.request('mutation { logout }', {}, loggedOut)).errors).toBeUndefined();
      const afterLogout = await app.request(ME, {}, loggedOut);
      expect(errorCodes(afterLogout)).toEqual(['UNAUTHENTICATED']);
      expect(afterLogout.errors![0].message).toMatch(/logout/i);
      expect(afterLogout.errors![0].message).not.toMatch(/elsewhere/i);

      const idle = await app.login(USER);
      await app.ownerCore.query(
        `UPDATE session SET last_seen_at = now() - make_interval(mins => $2) WHERE ended_at IS NULL AND user_id = (SELECT id FROM staff_user WHERE email = $1)`,
        [USER, app.config.sessionIdleMinutes + 1],
      );
      const expired = await app.request(ME, {}, idle);
      expect(errorCodes(expired)).toEqual(['UNAUTHENTICATED']);
      expect(expired.errors![0].message).toMatch(/expired/i);
      expect(expired.errors![0].message).not.toMatch(/elsewhere/i);
      // An expired session stays expired when its user signs in again later: an old token's holder learns nothing
      // of the account's use since (test/server/first-hour-regressions.test.ts).
      await app.login(USER);
      expect((await app.request(ME, {}, idle)).errors![0].message).not.toMatch(/signed in elsewhere/i);

      const unknown = await app.request(ME, {}, 'A'.repeat(43));
      expect(errorCodes(unknown)).toEqual(['UNAUTHENTICATED']);
      expect(unknown.errors![0].message).toMatch(/expired/i);
      expect(unknown.errors![0].message).not.toMatch(/elsewhere/i);
    });
  });

  describe('HOST', () => {
    it('listens on loopback only by default in development', async () => {
      expect(app.config.host).toBe('127.0.0.1');
      expect(app.url).toMatch(/^http:\/\/localhost:\d+\/graphql$/);
      expect((await raw(`${base}/healthz`, { host: '127.0.0.1' })).status).toBe(200);
      // Not on every interface: IPv6 loopback (which a `::` listener would accept) is refused.
      await expect(raw(`${base}/healthz`, { host: '::1' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });
  });
});

describe('front end in production', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ production: true });
  });
  afterAll(() => app.stop());

  it('serves no IDE, and a browser opening /graphql gets no page that loads anything from elsewhere', async () => {
    const base = app.url.replace(/\/graphql$/, '');
    expect((await raw(`${base}/graphiql`)).status).toBe(404);
    expect((await raw(`${base}/graphiql/assets/graphiql.min.js`)).status).toBe(404);
    const res = await raw(app.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.headers['content-type']).not.toMatch(/text\/html/);
    const body = res.body.toString('utf8');
    expect(body).not.toContain('<html');
    expect(body).not.toMatch(/https?:\/\//);
  });
});

describe('configuration of the front door', () => {
  const saved = { ...process.env };
  const KEY_FILE = path.join(mkdtempSync(path.join(os.tmpdir(), 'visus-key-')), 'suppression.key');
  writeFileSync(KEY_FILE, 'cd'.repeat(32));
  afterEach(() => {
    process.env = { ...saved };
  });

  it('HOST: loopback by default in development, every interface in production, an explicit value wins', () => {
    expect(hostFrom(undefined, false)).toBe('127.0.0.1');
    expect(hostFrom('', false)).toBe('127.0.0.1');
    expect(hostFrom(undefined, true)).toBe('0.0.0.0');
    expect(hostFrom('0.0.0.0', false)).toBe('0.0.0.0');
    expect(hostFrom('::', false)).toBe('::');
    expect(hostFrom('localhost', true)).toBe('localhost');
    for (const bad of ['http://localhost', 'local host', '127.0.0.1:4000', '-bad']) expect(() => hostFrom(bad, false)).toThrow(/HOST/);

    delete process.env.HOST;
    process.env.NODE_ENV = 'development';
    expect(loadConfig().host).toBe('127.0.0.1');
    process.env.NODE_ENV = 'production';
    process.env.VISUS_SUPPRESSION_KEY_FILE = KEY_FILE; // production needs one
    expect(loadConfig().host).toBe('0.0.0.0');
    process.env.HOST = '::1';
    expect(loadConfig().host).toBe('::1');
    process.env.HOST = 'not a host';
    expect(() => loadConfig()).toThrow(/^HOST /);
  });

  it('VISUS_CORS_ORIGINS: exact origins, none by default, "*" and anything but an origin refused naming the variable', () => {
    expect(corsOriginsFrom(undefined)).toEqual([]);
    expect(corsOriginsFrom(' ')).toEqual([]);
    expect(corsOriginsFrom('http://localhost:3000, https://store.clearview.example,http://localhost:3000')).toEqual(['http://localhost:3000', 'https://store.clearview.example']);
    for (const bad of ['*', 'http://localhost:3000,*', 'localhost:3000', 'http://localhost:3000/', 'https://app.example/path', 'HTTP://APP.EXAMPLE', 'https://app.example:443', 'ftp://app.example', 'null']) {
      expect(() => corsOriginsFrom(bad)).toThrow(/^VISUS_CORS_ORIGINS /);
    }
    expect(() => corsOriginsFrom('http://localhost:3000/')).toThrow(/did you mean "http:\/\/localhost:3000"/);

    delete process.env.VISUS_CORS_ORIGINS;
    expect(loadConfig().corsOrigins).toEqual([]);
    process.env.VISUS_CORS_ORIGINS = 'http://localhost:5173';
    expect(loadConfig().corsOrigins).toEqual(['http://localhost:5173']);
    process.env.VISUS_CORS_ORIGINS = '*';
    expect(() => loadConfig()).toThrow(/VISUS_CORS_ORIGINS/);
  });
});

/**
 * HTTPS at the front (src/server/http-server.ts, https-server.ts, tls-certificates.ts): with VISUS_DEV_TLS the
 * API serves HTTPS with a self-signed certificate made in the data folder (a client trusting that file gets
 * through, one that does not is refused, TLS 1.1 is refused), every answer over TLS carries HSTS, the session
 * cookie is Secure, and plain HTTP on the redirect port only redirects (301, 308 for POST). Behind a trusted
 * proxy, X-Forwarded-Proto: https counts as TLS (HSTS, Secure) and from an untrusted peer it does not; in
 * production behind a proxy, plain HTTP is refused with 403 HTTPS_REQUIRED (/healthz still answers).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

const LOGIN = JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: 'leeds.reception@clearview.example', p: DEMO_PASSWORD } });
const HSTS = 'max-age=31536000; includeSubDomains';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(url: string, options: https.RequestOptions & { body?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(target, { method: options.body ? 'POST' : 'GET', ...options, headers: { 'content-type': 'application/json', ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function cookies(answer: Answer): string[] {
  return answer.headers['set-cookie'] ?? [];
}

describe('HTTPS with the development certificate', () => {
  let app: TestApp;
  let dir: string;
  let ca: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-https-'));
    app = await startTestApp({ tls: { https: { kind: 'dev', dir }, httpsPort: 0, redirectPort: 0 } });
    ca = fs.readFileSync(path.join(dir, 'dev-cert.pem'), 'utf8');
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over HTTPS to a client that trusts <data>/tls/dev-cert.pem, with HSTS and a Secure session cookie', async () => {
    expect(app.url).toMatch(/^https:\/\/localhost:\d+\/graphql$/);
    const answer = await request(app.url, { ca, body: LOGIN });
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { data: { login: { token: string } } }).data.login.token).toBeTruthy();
    expect(answer.headers['strict-transport-security']).toBe(HSTS);
    expect(cookies(answer).length).toBeGreaterThan(0);
    for (const cookie of cookies(answer)) expect(cookie).toMatch(/;\s*Secure/);
    const health = await request(app.url.replace('/graphql', '/healthz'), { ca });
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe(HSTS);
  });

  it('is refused by a client that does not trust the certificate, and below TLS 1.2', async () => {
    await expect(request(app.url, { body: LOGIN })).rejects.toThrow(/self.signed|certificate/i);
    await expect(request(app.url, { ca, body: LOGIN, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).rejects.toThrow();
  });

  it('answers plain HTTP on the redirect port only with redirects to HTTPS (301 for GET, 308 for POST)', async () => {
    const redirectPort = app.app.http.redirectPort;
    const httpsPort = new URL(app.url).port;
    expect(redirectPort).toBeGreaterThan(0);
    const get = await request(`http://localhost:${redirectPort}/graphql?query=%7B__typename%7D`);
    expect(get.status).toBe(301);
    expect(get.headers.location).toBe(`https://localhost:${httpsPort}/graphql?query=%7B__typename%7D`);
    const post = await request(`http://127.0.0.1:${redirectPort}/graphql`, { body: LOGIN });
    expect(post.status).toBe(308);
    expect(post.headers.location).toBe(`https://127.0.0.1:${httpsPort}/graphql`);
    expect(cookies(post)).toEqual([]); // nothing was served
  });

  it('keeps the certificate for the next start', async () => {
    const second = await startTestApp({ tls: { https: { kind: 'dev', dir }, httpsPort: 0, redirectPort: null } });
    try {
      expect(fs.readFileSync(path.join(dir, 'dev-cert.pem'), 'utf8')).toBe(ca);
      expect((await request(second.url, { ca, body: LOGIN })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

describe('behind a load balancer that ends TLS', () => {
  let proxied: TestApp;
  let production: TestApp;
  let untrusted: TestApp;

  beforeAll(async () => {
    proxied = await startTestApp({ trustedProxies: { kind: 'hops', count: 1 } });
    production = await startTestApp({ production: true, trustedProxies: { kind: 'hops', count: 1 } });
    untrusted = await startTestApp({ trustedProxies: { kind: 'list', entries: ['10.9.9.9'] } });
  });
  afterAll(async () => {
    await proxied?.stop();
    await production?.stop();
    await untrusted?.stop();
  });

  it('trusts X-Forwarded-Proto: https from a trusted proxy: HSTS and a Secure cookie', async () => {
    const answer = await request(proxied.url, { body: LOGIN, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBe(HSTS);
    expect(cookies(answer).length).toBeGreaterThan(0);
    for (const cookie of cookies(answer)) expect(cookie).toMatch(/;\s*Secure/);
  });

  it('outside production, plain HTTP through the proxy gets no HSTS and no Secure flag', async () => {
    const answer = await request(proxied.url, { body: LOGIN, headers: { 'x-forwarded-proto': 'http' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBeUndefined();
    for (const cookie of cookies(answer)) expect(cookie).not.toMatch(/Secure/);
  });

  it('does not believe X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
    const answer = await request(untrusted.url, { body: LOGIN, headers: { 'x-forwarded-proto': 'https' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBeUndefined();
    for (const cookie of cookies(answer)) expect(cookie).not.toMatch(/Secure/);
  });

  it('in production refuses plain HTTP with 403 HTTPS_REQUIRED, serves HTTPS-forwarded requests, and answers /healthz', async () => {
    for (const headers of [{}, { 'x-forwarded-proto': 'http' }]) {
      const refused = await request(production.url, { body: LOGIN, headers });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ errors: [{ message: expect.stringMatching(/HTTPS is required/), extensions: { code: 'HTTPS_REQUIRED' } }] });
      expect(cookies(refused)).toEqual([]);
    }
    expect((await request(production.url.replace('/graphql', '/healthz'))).status).toBe(200);
    const served = await request(production.url, { body: LOGIN, headers: { 'x-forwarded-proto': 'https' } });
    expect(served.status).toBe(200);
    expect(served.headers['strict-transport-security']).toBe(HSTS);
    for (const cookie of cookies(served)) expect(cookie).toMatch(/;\s*Secure/);
  });
});

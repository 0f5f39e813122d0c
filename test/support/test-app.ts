/**
 * Starts the real API for one suite: fresh core and clinical databases copied from the run's
 * seeded templates, the real schema, guards, sessions and HTTP server on a free port. The API
 * connects as the restricted application role, as `npm start` does; the suite also gets the
 * databases as their owner (the superuser) for tampering and for assertions the role may not run.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../../src/app';
import { Config, loadConfig } from '../../src/config/config';
import { applyAppGrants } from '../../src/db/app-grants';
import { urlWithLogin } from '../../src/db/app-role';
import { createDataSource } from '../../src/db/data-sources';
import { copyDatabases, dropDatabases } from '../../src/db/throwaway-databases';
import { DEMO_PASSWORD } from './actors';
import { graphql, GraphQLResult } from './graphql-client';
import { issueApiToken, serviceAccountId } from './service-tokens';

export interface TestApp {
  url: string;
  /** The suite's databases as their owner (superuser): for tampering and assertions. */
  coreUrl: string;
  clinicalUrl: string;
  /** The suite's databases as the application role, e.g. for a second API process sharing them. */
  appCoreUrl: string;
  appClinicalUrl: string;
  /** The API's own DataSources (the application role): what it reads and writes through. */
  core: DataSource;
  clinical: DataSource;
  /** The suite's databases as their owner (superuser): what the application role may not do (ALTER TABLE, bypassing triggers). */
  ownerCore: DataSource;
  ownerClinical: DataSource;
  config: Config;
  app: RunningApp;
  /**
   * Signs in a demo user and returns their bearer token. A service account (kind SERVICE, e.g. the demo BI user)
   * cannot sign in with a password: with the right password, it gets a fresh API token instead (test/support/service-tokens.ts).
   */
  login(email: string, password?: string): Promise<string>;
  request<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string | null, headers?: Record<string, string>): Promise<GraphQLResult<TData>>;
  stop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.VISUS_TEST_PG_URL;
  if (!url) throw new Error('VISUS_TEST_PG_URL is not set: run the suites through jest (global setup starts PostgreSQL)');
  return url;
}

function urlFor(database: string): string {
  return adminUrl().replace(/\/postgres$/, `/${database}`);
}

export interface TestAppOptions {
  /** The URL the API connects to each database with, from the application role's (e.g. through a proxy: test/faults). */
  appUrl?: (url: string) => string;
}

export async function startTestApp(overrides: Partial<Config> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const suffix = randomBytes(5).toString('hex');
  const coreName = `core_${suffix}`;
  const clinicalName = `clinical_${suffix}`;
  await copyDatabases(adminUrl(), { core: 'tpl_core', clinical: 'tpl_clinical' }, { core: coreName, clinical: clinicalName });
  const config: Config = { ...loadConfig(), ...overrides };
  const login = { role: config.appDbRole, password: config.appDbPassword };
  const ownerCore = createDataSource('core', urlFor(coreName));
  const ownerClinical = createDataSource('clinical', urlFor(clinicalName));
  await ownerCore.initialize();
  await ownerClinical.initialize();
  // Table privileges came with the template; database privileges (CONNECT, no TEMPORARY) do not copy.
  await applyAppGrants(ownerCore, 'core', config.appDbRole);
  await applyAppGrants(ownerClinical, 'clinical', config.appDbRole);
  const appCoreUrl = urlWithLogin(urlFor(coreName), login);
  const appClinicalUrl = urlWithLogin(urlFor(clinicalName), login);
  const core = createDataSource('core', options.appUrl?.(appCoreUrl) ?? appCoreUrl);
  const clinical = createDataSource('clinical', options.appUrl?.(appClinicalUrl) ?? appClinicalUrl);
  await core.initialize();
  await clinical.initialize();
  const app = await startApp(config, core, clinical, { port: 0 });

  const testApp: TestApp = {
    url: app.url,
    coreUrl: urlFor(coreName),
    clinicalUrl: urlFor(clinicalName),
    appCoreUrl,
    appClinicalUrl,
    core,
    clinical,
    ownerCore,
    ownerClinical,
    config,
    app,
    async login(email, password = DEMO_PASSWORD) {
      const service = password === DEMO_PASSWORD ? await serviceAccountId(ownerCore, email) : null;
      if (service) return (await issueApiToken(ownerCore, service, { name: 'test sign-in' })).token;
      const result = await graphql<{ login: { token: string } }>(app.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
      if (!result.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(result.errors)}`);
      return result.data.login.token;
    },
    request: (query, variables, token, headers) => graphql(app.url, query, variables, token, headers),
    async stop() {
      await app.stop();
      await core.destroy();
      await clinical.destroy();
      await ownerCore.destroy();
      await ownerClinical.destroy();
      await dropDatabases(adminUrl(), { core: coreName, clinical: clinicalName });
    },
  };
  return testApp;
}

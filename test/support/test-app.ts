/**
 * Starts the real API for one suite: fresh core and clinical databases copied from the run's
 * seeded templates, the real schema, guards, sessions and HTTP server on a free port.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../../src/app';
import { Config, loadConfig } from '../../src/config/config';
import { createDataSource } from '../../src/db/data-sources';
import { DEMO_PASSWORD } from '../../src/seed/demo-seed';
import { graphql, GraphQLResult } from './graphql-client';

export interface TestApp {
  url: string;
  /** The suite's databases, e.g. for a second API process sharing them. */
  coreUrl: string;
  clinicalUrl: string;
  core: DataSource;
  clinical: DataSource;
  config: Config;
  app: RunningApp;
  /** Signs in a demo user and returns their bearer token. */
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

async function copyDatabase(template: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await client.end();
  }
}

export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const suffix = randomBytes(5).toString('hex');
  const coreName = `core_${suffix}`;
  const clinicalName = `clinical_${suffix}`;
  await copyDatabase('tpl_core', coreName);
  await copyDatabase('tpl_clinical', clinicalName);
  const core = createDataSource('core', urlFor(coreName));
  const clinical = createDataSource('clinical', urlFor(clinicalName));
  await core.initialize();
  await clinical.initialize();
  const config: Config = { ...loadConfig(), ...overrides };
  const app = await startApp(config, core, clinical, { port: 0 });

  const testApp: TestApp = {
    url: app.url,
    coreUrl: urlFor(coreName),
    clinicalUrl: urlFor(clinicalName),
    core,
    clinical,
    config,
    app,
    async login(email, password = DEMO_PASSWORD) {
      const result = await graphql<{ login: { token: string } }>(app.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
      if (!result.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(result.errors)}`);
      return result.data.login.token;
    },
    request: (query, variables, token, headers) => graphql(app.url, query, variables, token, headers),
    async stop() {
      await app.stop();
      await core.destroy();
      await clinical.destroy();
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${coreName}" WITH (FORCE)`);
        await client.query(`DROP DATABASE IF EXISTS "${clinicalName}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
  return testApp;
}

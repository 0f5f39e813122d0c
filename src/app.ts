/**
 * Wires one running API: schema, Apollo, HTTP server, on two open databases. Refuses to serve unless
 * both databases are connected as the restricted application role (src/db/app-role-check.ts).
 *
 * `startApp` is the server as built, used by `npm start` (src/main.ts) and the tests: the enforced
 * schema, the per-process ability cache and the clinical access log, with nothing to switch off.
 * `assembleApp` is the lower-level entry point it calls with those parts (`enforcedParts`); the
 * benchmarks (bench/arm-app.ts) call it with their baselines (the declared schema with an allow-all
 * ability, or the access log not written) to measure what enforcement and the audit trail cost.
 */
import { GraphQLSchema } from 'graphql';
import { DataSource } from 'typeorm';
import { AnomalyDetector } from './audit/anomaly-detector';
import { Config } from './config/config';
import { assertAppRole } from './db/app-role-check';
import { AbilityCache, AbilitySource } from './policies/ability-cache';
import { buildEnforcedSchema } from './server/build-schema';
import { createApolloServer } from './server/apollo';
import { clientAddressResolver } from './server/client-address';
import { createContext, requestInfo } from './server/context-factory';
import { HttpServerHandle, startHttpServer } from './server/http-server';
import { applyMutationSavepoints } from './server/mutation-savepoints';
import { httpsCertificate } from './server/tls-certificates';

/** An API serving on its HTTP port. */
export interface AssembledApp {
  url: string;
  http: HttpServerHandle;
  /** The background anomaly checks; `drain()` waits for them (tests). */
  anomalies: AnomalyDetector;
  stop(): Promise<void>;
}

/** The server as built (`startApp`). */
export interface RunningApp extends AssembledApp {
  /** The per-process ability cache. */
  abilities: AbilityCache;
}

export interface AppOptions {
  /** The API's port: PORT, or HTTPS_PORT when HTTPS is on (0: any free port). */
  port?: number;
  /** Run the anomaly detector's background sweep here (default true; in a cluster only one worker does). */
  anomalySweep?: boolean;
}

/** What one API is assembled from. */
export interface AppParts<A extends AbilitySource = AbilitySource> {
  schema: GraphQLSchema;
  /** Where each request's ability comes from. */
  abilities: A;
  /** Whether the clinical access entries a request collected are written (fail closed) with its response. */
  clinicalAccessLog: boolean;
}

/** The parts of the server as built: both enforcement layers, the ability cache, the clinical access log written. */
export async function enforcedParts(): Promise<AppParts<AbilityCache>> {
  return { schema: await buildEnforcedSchema(), abilities: new AbilityCache(), clinicalAccessLog: true };
}

/** The server as built: what `npm start` and the tests serve. */
export async function startApp(config: Config, core: DataSource, clinical: DataSource, options: AppOptions = {}): Promise<RunningApp> {
  const parts = await enforcedParts();
  const app = await assembleApp(config, core, clinical, parts, options);
  return { ...app, abilities: parts.abilities };
}

/** One API from the given parts, on the two databases; `startApp` is the one to serve with. */
export async function assembleApp(config: Config, core: DataSource, clinical: DataSource, parts: AppParts, options: AppOptions = {}): Promise<AssembledApp> {
  await assertAppRole(core, 'core', config.appDbRole);
  await assertAppRole(clinical, 'clinical', config.appDbRole);
  const tls = await httpsCertificate(config.tls.https);
  const schema = applyMutationSavepoints(parts.schema);
  const anomalies = new AnomalyDetector(core, clinical, config.anomalyCheckIntervalSeconds * 1000, options.anomalySweep ?? true);
  const apollo = createApolloServer(schema, config, {
    clinicalAccessLog: parts.clinicalAccessLog,
    afterAccessLogWritten: (principal) => anomalies.afterAccessLogWritten(principal),
  });
  await apollo.start();
  const clientAddress = clientAddressResolver(config.trustedProxies);
  const http = await startHttpServer(
    apollo,
    options.port ?? (tls ? config.tls.httpsPort : config.port),
    (req) => createContext(config, core, clinical, parts.abilities, requestInfo(req, clientAddress)),
    { host: config.host, corsOrigins: config.corsOrigins, graphiql: !config.production, afterExport: (principal) => anomalies.afterAccessLogWritten(principal),
      tls, redirectPort: config.tls.redirectPort, trustedProxies: config.trustedProxies, production: config.production,
      graphqlConcurrency: config.graphqlConcurrency },
  );
  return {
    url: http.url,
    http,
    anomalies,
    async stop() {
      await http.close();
      await apollo.stop();
      await anomalies.stop();
    },
  };
}

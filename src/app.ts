/**
 * Wires one running API: enforced schema, Apollo, HTTP server, on two open databases.
 * Used by `npm start` (src/main.ts), the tests and the benchmarks alike. Refuses to serve unless both
 * databases are connected as the restricted application role (src/db/app-role-check.ts).
 */
import { DataSource } from 'typeorm';
import { AnomalyDetector } from './audit/anomaly-detector';
import { Config } from './config/config';
import { assertAppRole } from './db/app-role-check';
import { AbilityCache } from './policies/ability-cache';
import { UnrestrictedAbilities } from './policies/unrestricted-abilities';
import { buildDeclaredSchema, buildEnforcedSchema } from './schema/build-schema';
import { createApolloServer } from './server/apollo';
import { clientAddressResolver } from './server/client-address';
import { createContext, requestInfo } from './server/context-factory';
import { HttpServerHandle, startHttpServer } from './server/http-server';
import { applyMutationSavepoints } from './server/mutation-savepoints';

export interface RunningApp {
  url: string;
  http: HttpServerHandle;
  /** The per-process ability cache (null when enforcement is off). */
  abilities: AbilityCache | null;
  /** The background anomaly checks; `drain()` waits for them (tests). */
  anomalies: AnomalyDetector;
  stop(): Promise<void>;
}

export interface AppOptions {
  port?: number;
  /**
   * Benchmark harnesses only: `false` serves the schema without the guards and with an ability that
   * allows everything, as the baseline that enforcement's cost is measured against.
   */
  enforcement?: boolean;
  /**
   * Benchmark harnesses only: `false` skips writing the clinical access log, so a benchmark can tell
   * the cost of authorization from the cost of the audit trail. Never off in `npm start` or tests.
   */
  clinicalAccessLog?: boolean;
}

export async function startApp(config: Config, core: DataSource, clinical: DataSource, options: AppOptions = {}): Promise<RunningApp> {
  await assertAppRole(core, 'core', config.appDbRole);
  await assertAppRole(clinical, 'clinical', config.appDbRole);
  const enforced = options.enforcement !== false;
  const schema = applyMutationSavepoints(enforced ? await buildEnforcedSchema() : await buildDeclaredSchema());
  const apollo = createApolloServer(schema, config, { clinicalAccessLog: options.clinicalAccessLog !== false });
  await apollo.start();
  const abilities = enforced ? new AbilityCache() : null;
  const source = abilities ?? new UnrestrictedAbilities();
  const anomalies = new AnomalyDetector(core, clinical, config.anomalyCheckIntervalSeconds * 1000);
  const clientAddress = clientAddressResolver(config.trustedProxies);
  const http = await startHttpServer(
    apollo,
    options.port ?? config.port,
    (req) => createContext(config, core, clinical, source, requestInfo(req, clientAddress), anomalies),
    { host: config.host, corsOrigins: config.corsOrigins, graphiql: !config.production },
  );
  return {
    url: http.url,
    http,
    abilities,
    anomalies,
    async stop() {
      await http.close();
      await apollo.stop();
      await anomalies.stop();
    },
  };
}

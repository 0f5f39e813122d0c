/**
 * Wires one running API: enforced schema, Apollo, HTTP server, on two open databases.
 * Used by `npm start` (src/main.ts), the tests and the benchmarks alike.
 */
import { DataSource } from 'typeorm';
import { Config } from './config/config';
import { AbilityCache } from './policies/ability-cache';
import { buildEnforcedSchema } from './schema/build-schema';
import { createApolloServer } from './server/apollo';
import { createContext, requestInfo } from './server/context-factory';
import { HttpServerHandle, startHttpServer } from './server/http-server';

export interface RunningApp {
  url: string;
  http: HttpServerHandle;
  abilities: AbilityCache;
  stop(): Promise<void>;
}

export async function startApp(config: Config, core: DataSource, clinical: DataSource, port = config.port): Promise<RunningApp> {
  const schema = await buildEnforcedSchema();
  const apollo = createApolloServer(schema, config);
  await apollo.start();
  const abilities = new AbilityCache();
  const http = await startHttpServer(apollo, port, (req) => createContext(config, core, clinical, abilities, requestInfo(req, config.trustProxy)));
  return {
    url: http.url,
    http,
    abilities,
    async stop() {
      await http.close();
      await apollo.stop();
    },
  };
}

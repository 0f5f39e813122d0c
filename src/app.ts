/**
 * Wires one running API: enforced schema, Apollo, HTTP server, on two open databases.
 * Used by `npm start` (src/main.ts), the tests and the benchmarks alike.
 */
import { DataSource } from 'typeorm';
import { Config } from './config/config';
import { buildEnforcedSchema } from './schema/build-schema';
import { createApolloServer } from './server/apollo';
import { createContext, requestInfo } from './server/context-factory';
import { HttpServerHandle, startHttpServer } from './server/http-server';

export interface RunningApp {
  url: string;
  http: HttpServerHandle;
  stop(): Promise<void>;
}

export async function startApp(config: Config, core: DataSource, clinical: DataSource, port = config.port): Promise<RunningApp> {
  const schema = await buildEnforcedSchema();
  const apollo = createApolloServer(schema, config);
  await apollo.start();
  const http = await startHttpServer(apollo, port, (req) => createContext(config, core, clinical, requestInfo(req, config.trustProxy)));
  return {
    url: http.url,
    http,
    async stop() {
      await http.close();
      await apollo.stop();
    },
  };
}

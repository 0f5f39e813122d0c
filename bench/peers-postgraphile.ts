/**
 * `npm run bench:peers`' PostGraphile arm: PostGraphile 5 (a devDependency used by this benchmark only) with the
 * amber preset on the core database's `public` schema, no authorization, served by grafserv on node:http at
 * `/graphql`. Node 20 lacks `Promise.withResolvers`, which grafast calls: bench/promise-with-resolvers.ts
 * installs it, imported before PostGraphile.
 */
import './promise-with-resolvers';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PeerServer } from './peers-raw';

export async function startPostGraphile(connectionString: string): Promise<PeerServer> {
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: 10 } })],
    grafserv: { graphqlPath: '/graphql', graphiql: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  await serv.addTo(server, false);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await serv.release();
      await pgl.release();
    },
  };
}

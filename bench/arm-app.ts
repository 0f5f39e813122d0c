/**
 * One benchmark arm's API, from the arm's switches. The arm with everything on is the server as built
 * (`startApp`); the others are assembled (`assembleApp`) from the same parts with one thing taken away:
 * the clinical access log not written, or enforcement off (the declared schema without the guards, with an
 * ability that allows everything). This file is the only place those baselines exist.
 */
import { DataSource } from 'typeorm';
import { AssembledApp, assembleApp, enforcedParts, startApp } from '../src/app';
import { Config } from '../src/config/config';
import { UnrestrictedAbilities } from '../src/policies/unrestricted-abilities';
import { buildDeclaredSchema } from '../src/server/build-schema';

/** What an arm switches off. */
export interface ArmOptions {
  /** false: the declared schema without the guards, with an allow-all ability (nothing then collects clinical reads for the log). */
  enforcement: boolean;
  /** false: the clinical access entries a request collected are dropped, not written. */
  clinicalAccessLog: boolean;
}

/** Starts the arm's API on a free port. */
export async function startArm(config: Config, core: DataSource, clinical: DataSource, options: ArmOptions): Promise<AssembledApp> {
  const port = { port: 0 };
  if (options.enforcement && options.clinicalAccessLog) return startApp(config, core, clinical, port);
  if (options.enforcement) return assembleApp(config, core, clinical, { ...(await enforcedParts()), clinicalAccessLog: false }, port);
  const parts = { schema: await buildDeclaredSchema(), abilities: new UnrestrictedAbilities(), clinicalAccessLog: options.clinicalAccessLog };
  return assembleApp(config, core, clinical, parts, port);
}

/**
 * FOR BENCHMARK HARNESSES ONLY: an ability source that allows everything, so a benchmark can measure
 * the same server with enforcement switched off. `startApp` uses it only when explicitly asked for
 * `enforcement: false`, which nothing but bench/ does; `npm start` and the tests never can.
 */
import { createMongoAbility } from '@casl/ability';
import { AppAbility } from './ability';
import { AbilitySource } from './ability-cache';

export class UnrestrictedAbilities implements AbilitySource {
  private readonly ability: AppAbility = createMongoAbility<AppAbility>([{ action: 'manage', subject: 'all' }]);

  async get(): Promise<AppAbility> {
    return this.ability;
  }
}

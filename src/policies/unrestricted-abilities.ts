/**
 * FOR BENCHMARK HARNESSES ONLY: an ability source that allows everything, so a benchmark can measure
 * the same server with enforcement switched off. Only bench/arm-app.ts hands it to `assembleApp`
 * (src/app.ts); `startApp`, which `npm start` and the tests serve with, has no way to use it.
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

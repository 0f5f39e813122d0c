/** Core database migrations, in order. `npm run migration:generate:core` adds to this list. */
import { MigrationInterface } from 'typeorm';
import { Init1795346151803 } from './1795346151803-Init';
import { ConsentEventAppendOnly1795346200000 } from './1795346200000-ConsentEventAppendOnly';

export const coreMigrations: (new () => MigrationInterface)[] = [Init1795346151803, ConsentEventAppendOnly1795346200000];

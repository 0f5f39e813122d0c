/**
 * What the schema guards (field-guard.ts, operation-guard.ts) need of a request, and the shape of the
 * clinical read they report: declared here, at the permission layer, so that the guards depend on no
 * layer above them. The request context (src/context/app-context.ts) provides it.
 */
import { Customer } from '../schema/core/customer.entity';
import { Region } from '../schema/core/region.entity';
import { Role } from '../schema/core/role.entity';
import { Store } from '../schema/core/store.entity';
import { User } from '../schema/core/user.entity';
import { Config } from '../config/config';
import { AppAbility, Principal } from './ability';
import { GuardCredential } from './credential-rules';

/** One clinical read (or refusal) to be written to the clinical access log when the request ends. */
export interface ClinicalRead {
  customerId: string;
  storeId: string | null;
  subject: string;
  recordId: string | null;
  field: string;
  granted: boolean;
  /** The `reason`s of the rules that granted the read (src/policies/readable-fields.ts readGrants); empty when denied. */
  grants: readonly string[];
}

export interface ClinicalReadRecorder {
  record(principal: Principal, read: ClinicalRead): void;
}

/** A batched look-up by id (null: no such row visible). */
export interface RowLoader<T> {
  load(id: string): Promise<T | null>;
}

export interface GuardContext {
  principal: Principal | null;
  ability: AppAbility | null;
  /** What the presented session or API token says beyond who (src/policies/credential-rules.ts); null when anonymous. */
  credential: GuardCredential | null;
  /** The re-authentication window for sensitive acts (REAUTH_WINDOW_MINUTES). */
  config: Pick<Config, 'reauthWindowMinutes'>;
  /** Why the presented token was refused, for the UNAUTHENTICATED message. */
  authFailure: string | null;
  accessLog: ClinicalReadRecorder;
  /** The request's batched look-ups of the rows a derived or name field reads its source from. */
  loaders: {
    customer: RowLoader<Customer>;
    user: RowLoader<User>;
    store: RowLoader<Store>;
    role: RowLoader<Role>;
    region: RowLoader<Region>;
  };
}

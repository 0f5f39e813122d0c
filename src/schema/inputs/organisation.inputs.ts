/**
 * Inputs of the organisation writes: createRegion, createStore, updateStore. Checked by
 * src/services/organisation/organisation-validation.ts (BAD_USER_INPUT naming `input.name`, `input.address`,
 * `input.city`, `input.phone` or `input.open`; an unknown `input.regionId` is NOT_FOUND).
 */
import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new region of the caller’s chain.' })
export class CreateRegionInput {
  @Field({ nullable: false, description: 'Name, 1 to 100 characters (trimmed); unique in the chain (case-insensitive).' })
  name: string;
}

@InputType({ description: 'A new store of the caller’s chain, open from the start.' })
export class CreateStoreInput {
  @Field({ nullable: false, description: 'Name, 1 to 100 characters (trimmed); unique in the chain (case-insensitive).' })
  name: string;

  @Field({ nullable: false, description: 'Postal address, 1 to 500 characters (trimmed; line breaks kept).' })
  address: string;

  @Field(() => ID, { nullable: false, description: 'The region it belongs to (a region of the caller’s chain).' })
  regionId: string;

  @Field(() => String, { nullable: true, description: 'Town or city, up to 100 characters (trimmed; empty means none).' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number, up to 40 characters (trimmed; empty means none).' })
  phone?: string | null;
}

@InputType({ description: 'Changes to a store: only the fields given change.' })
export class UpdateStoreInput {
  @Field(() => String, { nullable: true, description: 'Name, 1 to 100 characters (trimmed); unique in the chain (case-insensitive).' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'Postal address, 1 to 500 characters (trimmed; line breaks kept).' })
  address?: string;

  @Field(() => ID, { nullable: true, description: 'Move the store to another region of the chain (needs a chain-wide grant: it changes who sees the store).' })
  regionId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Open (true) or close (false) the store. A closed store keeps its data.' })
  open?: boolean;

  @Field(() => String, { nullable: true, description: 'Town or city, up to 100 characters; null or empty removes it.' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number, up to 40 characters; null or empty removes it.' })
  phone?: string | null;
}

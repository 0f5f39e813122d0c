/**
 * What the security settings history keeps of a region (setting `Region`) and of a store (setting `Store`): their
 * own fields, before and after each change.
 */
import { Region } from '../../schema/core/region.entity';
import { Store } from '../../schema/core/store.entity';

export function regionRecord(region: Region): Record<string, unknown> {
  return { id: region.id, name: region.name };
}

export function storeRecord(store: Store): Record<string, unknown> {
  return {
    id: store.id, name: store.name, address: store.address, city: store.city, phone: store.phone, regionId: store.regionId, open: store.open,
  };
}

/**
 * What the security settings history keeps of a passkey (setting `Passkey`): its id, owner, name, kind and the
 * SHA-256 of its credential id (so a reviewer can match an authenticator without the history holding the id
 * itself); never the public key.
 */
import { createHash } from 'node:crypto';
import { Passkey } from '../../schema/core/passkey.entity';

export function passkeyRecord(passkey: Passkey): Record<string, unknown> {
  return {
    id: passkey.id, userId: passkey.userId, name: passkey.name, deviceType: passkey.deviceType, backedUp: passkey.backedUp,
    credentialIdHash: createHash('sha256').update(passkey.credentialId, 'utf8').digest('hex'),
    createdAt: passkey.createdAt.toISOString(),
  };
}

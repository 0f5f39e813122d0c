/**
 * The keyed contact hashes (src/services/consent/contact-hash-sql.ts): the SQL expressions (pgcrypto, in the
 * real database) agree with the Node mirror and with the contract's definition recomputed here by hand;
 * normalisation (case, spaces, phone formatting); blank values hash to null; another key or chain changes them.
 */
import { createHmac } from 'node:crypto';
import { contactHashes, emailHashSql, phoneHashSql } from '../../src/services/consent/contact-hash-sql';
import { startTestApp, TestApp } from '../support/test-app';

const CHAIN = '6f1c2a7e-0000-4000-8000-000000000001';
const KEY = Buffer.from('11'.repeat(32), 'hex');

describe('contact hashes in SQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  const sqlHashes = async (email: string | null, phone: string | null, key = KEY, chain = CHAIN) => {
    const [row] = await t.core.query(
      `SELECT ${emailHashSql('$1::text', '$3::uuid', '$4')} AS email_hash, ${phoneHashSql('$2::text', '$3::uuid', '$4')} AS phone_hash`,
      [email, phone, chain, key],
    );
    return { emailHash: row.email_hash as Buffer | null, phoneHash: row.phone_hash as Buffer | null };
  };

  it('matches the definition: HMAC-SHA256 over <chainId>:email:<lower(trim(email))> and <chainId>:phone:<digits>', async () => {
    const byHand = (text: string) => createHmac('sha256', KEY).update(text, 'utf8').digest();
    const got = await sqlHashes('  Ann.Smith@Example.COM ', '+44 (0)113 496-0000');
    expect(got.emailHash).toEqual(byHand(`${CHAIN}:email:ann.smith@example.com`));
    expect(got.phoneHash).toEqual(byHand(`${CHAIN}:phone:4401134960000`));
    expect(got).toEqual(contactHashes(CHAIN, { email: '  Ann.Smith@Example.COM ', phone: '+44 (0)113 496-0000' }, KEY));
  });

  it('normalises case, spaces and phone formatting to the same hash', async () => {
    const a = await sqlHashes('ann@example.com', '01134960000');
    const b = await sqlHashes(' ANN@example.com  ', '0113 496 0000');
    expect(b).toEqual(a);
  });

  it('hashes null, blank and digit-less values to null', async () => {
    expect(await sqlHashes(null, null)).toEqual({ emailHash: null, phoneHash: null });
    expect(await sqlHashes('   ', ' - () ')).toEqual({ emailHash: null, phoneHash: null });
    expect(contactHashes(CHAIN, { email: ' ', phone: '()' }, KEY)).toEqual({ emailHash: null, phoneHash: null });
  });

  it('depends on the key and the chain', async () => {
    const base = await sqlHashes('ann@example.com', '0113');
    const otherKey = await sqlHashes('ann@example.com', '0113', Buffer.from('22'.repeat(32), 'hex'));
    const otherChain = await sqlHashes('ann@example.com', '0113', KEY, '6f1c2a7e-0000-4000-8000-000000000002');
    expect(otherKey.emailHash).not.toEqual(base.emailHash);
    expect(otherChain.phoneHash).not.toEqual(base.phoneHash);
  });
});

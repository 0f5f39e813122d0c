/**
 * Attack on the breach register's completeness (Art. 33(5): the controller documents ANY personal data breach):
 * `breaches` silently stopped at 500 entries (overdue first, then the newest), so in a chain with a long register
 * the oldest breaches, notified or not, vanished from the list without any sign that something was left out.
 * Found by putting 505 breaches in one chain's register (the owner's connection, for speed) and counting what
 * `breaches` returns. The list is the whole register.
 */
import { signIn, SignedInClient } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

describe('attack: the breach list leaves none out', () => {
  let t: TestApp;
  let dpo: SignedInClient;
  beforeAll(async () => {
    t = await startTestApp();
    dpo = await signIn(t, 'dpo');
  });
  afterAll(() => t.stop());

  it('lists every breach of the chain, however many, and only the chain’s own', async () => {
    const [{ chain_id: chainId, id: dpoId }] = await t.ownerCore.query(`SELECT chain_id::text, id::text FROM staff_user WHERE email = 'dpo@clearview.example'`);
    await t.ownerCore.query(
      `INSERT INTO breach (chain_id, discovered_at, description, data_categories, risk, risk_assessment, notified_authority_at, recorded_by_id)
       SELECT $1, now() - make_interval(days => 30 + n), 'Old breach ' || n, '{Contact details}', 'RISK', 'Bulk probe.', now() - make_interval(days => 29 + n), $2
         FROM generate_series(1, 505) AS n`, [chainId, dpoId]);
    const [{ n: expected }] = await t.ownerCore.query('SELECT count(*)::int AS n FROM breach WHERE chain_id = $1', [chainId]);
    const res = await dpo.request<{ breaches: { id: string; description: string }[] }>('{ breaches { id description } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.breaches).toHaveLength(expected);
    expect(res.data!.breaches.some((b) => b.description === 'Old breach 505')).toBe(true);
    const other = await signIn(t, 'lakesideManager');
    const theirs = await other.request<{ breaches: { description: string }[] }>('{ breaches { description } }');
    expect(theirs.data!.breaches.some((b) => b.description.startsWith('Old breach'))).toBe(false);
  });
});

/**
 * Consent changes through the API must name a wording version published for their channel (issue 11). Suites
 * written before that record changes under versions of their own ('2026-02', …): `publishWordings` publishes
 * them, for every chain and channel, directly as the owner (the API's `publishConsentWording` is tested in
 * test/consent-proof/), so those suites keep testing what they test.
 */
import type { TestApp } from './test-app';

export async function publishWordings(app: TestApp, versions: readonly string[]): Promise<void> {
  await app.ownerCore.query(
    `INSERT INTO consent_wording (chain_id, channel, version, text)
     SELECT c.id, ch, v, 'Test wording ' || v || ' for ' || ch::text FROM chain c
      CROSS JOIN unnest(enum_range(NULL::consent_channel)) AS ch CROSS JOIN unnest($1::text[]) AS v
     ON CONFLICT (chain_id, channel, version) DO NOTHING`,
    [versions],
  );
}

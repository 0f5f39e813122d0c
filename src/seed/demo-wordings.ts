/**
 * The demo chains' published consent wordings: version `2024-01` for all four channels (the version every seeded
 * consent event names) and a newer `2026-06` for EMAIL, as a chain manager would publish them
 * (publishConsentWording). Published before the first seeded event they prove.
 */
import { EntityManager } from 'typeorm';
import { ConsentWording } from '../schema/core/consent-wording.entity';
import { ConsentChannel } from '../schema/enums';

export const DEMO_WORDING_VERSION = '2024-01';
export const NEWER_EMAIL_WORDING_VERSION = '2026-06';

function texts(chainName: string): Record<ConsentChannel, string> {
  return {
    [ConsentChannel.EMAIL]: `Yes, I would like ${chainName} to email me about offers, new frames and lenses, and eye-care news. I can unsubscribe at any time with the link in every email, by replying, or by asking in store.`,
    [ConsentChannel.SMS]: `Yes, I would like ${chainName} to send me text messages about offers and eye-care news. I can stop them at any time by replying STOP or by asking in store. Appointment reminders are sent whatever I choose here.`,
    [ConsentChannel.MAIL]: `Yes, I would like ${chainName} to post me letters and brochures about offers and new products. I can ask for them to stop at any time in store, by phone or by post.`,
    [ConsentChannel.SOCIAL_MEDIA]: `Yes, ${chainName} may use my email address and phone number to show me its offers on social media platforms (custom audiences). I can withdraw this at any time in store or by email.`,
  };
}

export async function seedWordings(tx: EntityManager, chainId: string, chainName: string, publishedById: string | null, now: Date): Promise<void> {
  const first = new Date(now.getTime() - 900 * 86400_000);
  const rows: Partial<ConsentWording>[] = Object.entries(texts(chainName)).map(([channel, text]) => ({
    chainId, channel: channel as ConsentChannel, version: DEMO_WORDING_VERSION, text, publishedAt: first, publishedById,
  }));
  rows.push({
    chainId, channel: ConsentChannel.EMAIL, version: NEWER_EMAIL_WORDING_VERSION, publishedById, publishedAt: new Date(now.getTime() - 30 * 86400_000),
    text: `Yes, I would like ${chainName} to email me about offers, new frames and lenses, and eye-care news, chosen from my purchases and appointments. I can unsubscribe at any time with the link in every email, by replying, or by asking in store.`,
  });
  await tx.getRepository(ConsentWording).insert(rows);
}

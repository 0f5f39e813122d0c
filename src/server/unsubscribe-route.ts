/**
 * The unsubscribe link's HTTP route, beside /graphql: `/consent/unsubscribe?token=…` (src/services/unsubscribe-links.ts).
 *
 * - GET (and HEAD) only reads: it shows a small confirmation page with a button. Mail scanners and link
 *   previews fetch links, so fetching one must not withdraw anything.
 * - POST with the body `List-Unsubscribe=One-Click` (RFC 8058, as `application/x-www-form-urlencoded` or
 *   `multipart/form-data`) withdraws: what mail clients send for a `List-Unsubscribe-Post` header, and what the
 *   page's button sends. The first use records the withdrawal; every later one answers 200 "already used" and
 *   changes nothing.
 * - A malformed token (or none, or two) is 400; an unknown or expired one 404, with one answer for both; a POST
 *   without the one-click body is 400; a body over 4 KB 413; other methods 405. Pages name the sender and the
 *   channel, never the customer, and are not cached, framed or referred on.
 *
 * The route never authenticates: any session presented with it is dropped before the request's context is made
 * (the change is the link holder's, not a member of staff's), so the only principal is the link.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { ConsentChannel } from '../schema/enums';
import { inspectUnsubscribeLink, UNSUBSCRIBE_PATH, withdrawThroughLink } from '../services/unsubscribe-links';
import { AppContext } from '../context/app-context';
import { logger } from '../logging/logger';
import { safeErrorMessage } from '../logging/safe-error-message';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './database-unavailable';

export { UNSUBSCRIBE_PATH };

const BODY_LIMIT = 4096;

const CHANNEL_NAMES: Record<ConsentChannel, string> = {
  [ConsentChannel.SMS]: 'text message (SMS)',
  [ConsentChannel.EMAIL]: 'email',
  [ConsentChannel.MAIL]: 'postal',
  [ConsentChannel.SOCIAL_MEDIA]: 'social media',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(res: ServerResponse, status: number, title: string, bodyHtml: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-robots-tag', 'noindex');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.25rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${bodyHtml}
</body></html>
`);
}

const notValid = (res: ServerResponse, status: 400 | 404) =>
  page(res, status, 'This link is not valid', `<p>This unsubscribe link is not valid${status === 404 ? ' or has expired' : ''}. To stop marketing messages, use the link in a more recent message or contact your store.</p>`);

const alreadyUsed = (res: ServerResponse) =>
  page(res, 200, 'This link has already been used', '<p>This unsubscribe link has already been used. Nothing was changed.</p>');

/** The one query parameter `token`; null when missing or given more than once. */
function tokenOf(url: URL): string | null {
  const tokens = url.searchParams.getAll('token');
  return tokens.length === 1 ? tokens[0] : null;
}

function readSmallBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let done = false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > BODY_LIMIT) {
        done = true;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** RFC 8058: the POST body is `List-Unsubscribe=One-Click`, form-urlencoded or as one multipart/form-data field. */
export function isOneClickBody(contentType: string | undefined, body: string): boolean {
  if (/^multipart\/form-data/i.test(contentType ?? '')) {
    return /content-disposition:\s*form-data;\s*name="?List-Unsubscribe"?[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(body);
  }
  return new URLSearchParams(body.trim()).getAll('List-Unsubscribe').includes('One-Click');
}

/** The request without the credentials it may carry: the route acts for the link, never for a session. */
function withoutCredentials(req: IncomingMessage): IncomingMessage {
  const headers = { ...req.headers };
  delete headers.authorization;
  delete headers.cookie;
  return Object.create(req, { headers: { value: headers } }) as IncomingMessage;
}

export async function serveUnsubscribe(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  contextFor: (req: IncomingMessage) => Promise<AppContext>,
): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      res.setHeader('allow', 'GET, HEAD, POST');
      return page(res, 405, 'Not allowed', '<p>Open the link in a browser, or send the one-click POST.</p>');
    }
    const token = tokenOf(url);
    if (token === null) return notValid(res, 400);
    const ctx = await contextFor(withoutCredentials(req));

    if (method !== 'POST') {
      const state = await inspectUnsubscribeLink(ctx.core, token);
      if (state.kind === 'malformed') return notValid(res, 400);
      if (state.kind === 'unknown') return notValid(res, 404);
      if (state.kind === 'used') return alreadyUsed(res);
      const channel = CHANNEL_NAMES[state.channel];
      return page(res, 200, 'Unsubscribe', `<p>Stop ${escapeHtml(channel)} marketing from ${escapeHtml(state.chainName)}?</p>
<form method="post" action="${escapeHtml(`${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>
<p>Appointment reminders and other service messages are not affected.</p>`);
    }

    const body = await readSmallBody(req);
    if (body === null) return page(res, 413, 'Request too large', '<p>Nothing was changed.</p>');
    if (!isOneClickBody(req.headers['content-type'], body)) {
      return page(res, 400, 'Nothing was changed', '<p>To unsubscribe, send <code>List-Unsubscribe=One-Click</code> (RFC 8058), or open the link in a browser and press the button.</p>');
    }
    const outcome = await withdrawThroughLink(ctx.core, token, ctx.request);
    if (outcome.kind === 'malformed') return notValid(res, 400);
    if (outcome.kind === 'unknown') return notValid(res, 404);
    if (outcome.kind === 'used') return alreadyUsed(res);
    logger.info({ requestId: ctx.request.requestId, unsubscribeLinkId: outcome.linkId }, 'consent withdrawn through an unsubscribe link');
    return page(res, 200, 'You are unsubscribed', `<p>You will no longer receive ${escapeHtml(CHANNEL_NAMES[outcome.channel])} marketing from ${escapeHtml(outcome.chainName)}.</p>`);
  } catch (error) {
    // Only the server's own failures get here (a database outage, say): nothing the client sent does.
    logger.error({ err: safeErrorMessage(error) }, 'unsubscribe route failed');
    if (res.headersSent) res.end();
    else if (isDatabaseUnavailable(error)) {
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      page(res, 503, 'Please try again in a moment', '<p>Nothing was changed: the service is briefly unavailable. Please try the link again in a few minutes.</p>');
    } else page(res, 500, 'Something went wrong', '<p>Nothing was changed. Please try again later.</p>');
  }
}

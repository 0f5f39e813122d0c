/**
 * Free text that enters the audit trail or a review queue (a declared purpose, an emergency reason, a
 * reviewer's note, a client's User-Agent) must show a reviewer exactly what it says: no control characters
 * (newlines, tabs, ANSI escapes, C1 controls), no bidirectional overrides or isolates (which reorder what a
 * reviewer reads: "U+202E"), no line or paragraph separators, no byte-order marks.
 *
 * What a person types into the API is refused (`unsafeTextProblem`, BAD_USER_INPUT naming the field); what a
 * client program sends on its own (the User-Agent) is neutralised (`neutralised`: each such character
 * becomes U+FFFD), so a request is never refused for its browser. HTTP header values arrive as latin1
 * (Node's parser): `headerText` reads them as the UTF-8 their bytes are, when they are valid UTF-8.
 */
const UNSAFE = /[\p{Cc}\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

/** Why `text` may not enter the trail, or null when it may. */
export function unsafeTextProblem(text: string): string | null {
  return UNSAFE.test(text) ? 'must not contain control characters or text-direction overrides' : null;
}

/** `text` with each unsafe character replaced by U+FFFD. */
export function neutralised(text: string): string {
  return text.replace(UNSAFE_ALL, '\uFFFD');
}

/** A header value as the UTF-8 its bytes are (Node decodes header bytes as latin1), or as given when not valid UTF-8. */
export function headerText(raw: string): string {
  const bytes = Buffer.from(raw, 'latin1');
  const decoded = bytes.toString('utf8');
  return Buffer.from(decoded, 'utf8').equals(bytes) ? decoded : raw;
}

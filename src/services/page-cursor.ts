/**
 * Relay pages and their opaque cursors: a cursor is a row's id, encrypted (AES-256-GCM), so a cursor discloses nothing —
 * not even an id the caller may not read. The key comes from CURSOR_SECRET (set it, the same on every
 * API process, when several serve one chain); without it each process draws its own, so cursors
 * then only work against the process that issued them.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const KEY = process.env.CURSOR_SECRET ? createHash('sha256').update(process.env.CURSOR_SECRET).digest() : randomBytes(32);

export function encodeCursor(id: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv);
  const body = Buffer.concat([cipher.update(id, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The id inside a cursor, or null when the cursor was not issued by this API (or was altered). */
export function decodeCursor(cursor: string): string | null {
  try {
    const raw = Buffer.from(cursor, 'base64url');
    if (raw.length < 29) return null;
    const decipher = createDecipheriv('aes-256-gcm', KEY, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * An edge whose cursor is encrypted only when something reads it (a client selecting `cursor`, or
 * `startCursor`/`endCursor`), once: a page whose query selects no cursor pays no AES-GCM per row.
 */
class LazyEdge<T extends { id: string }> {
  #cursor: string | undefined;
  constructor(readonly node: T) {}
  get cursor(): string {
    this.#cursor ??= encodeCursor(this.node.id);
    return this.#cursor;
  }
}

/** Page information whose start and end cursors are those of the first and last edge, computed when read. */
class LazyPageInfo<T extends { id: string }> {
  constructor(
    private readonly edges: LazyEdge<T>[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}
  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }
  get endCursor(): string | null {
    return this.edges[this.edges.length - 1]?.cursor ?? null;
  }
}

/**
 * A Relay page from `first + 1` fetched rows (the extra row only says that there is a next page).
 * Each row's cursor is computed the first time it is read (see LazyEdge), the same value every time.
 */
export function pageOf<T extends { id: string }>(fetched: T[], first: number, afterGiven: boolean): Page<T> {
  const count = Math.min(fetched.length, first);
  const edges: LazyEdge<T>[] = new Array<LazyEdge<T>>(count);
  for (let i = 0; i < count; i += 1) edges[i] = new LazyEdge(fetched[i]);
  return { edges, pageInfo: new LazyPageInfo(edges, fetched.length > first, afterGiven) };
}

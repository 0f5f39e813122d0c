/**
 * Unit spec of the opaque page cursors and Relay pages (src/services/page-cursor.ts): a cursor gives back
 * the row it was issued for, discloses nothing of it, and an altered or foreign cursor is no cursor.
 */
import { decodeCursor, encodeCursor, pageOf } from '../../../src/services/page-cursor';

const ID = '3f2c8a4e-1b7d-4c9e-8a6f-0d5e4b3a2c1f';
const rows = (n: number) => Array.from({ length: n }, (_v, i) => ({ id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` }));

describe('page cursors', () => {
  it('give back the id they were issued for', () => {
    expect(decodeCursor(encodeCursor(ID))).toBe(ID);
  });

  it('disclose nothing: neither the id nor any part of it is readable, and two cursors for one row differ', () => {
    const cursor = encodeCursor(ID);
    const readable = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(cursor).not.toContain(ID.slice(0, 8));
    expect(readable).not.toContain(ID.slice(0, 8));
    expect(encodeCursor(ID)).not.toBe(cursor);
  });

  it.each([
    ['a flipped byte', (c: string) => { const raw = Buffer.from(c, 'base64url'); raw[raw.length - 1] ^= 1; return raw.toString('base64url'); }],
    ['a truncated cursor', (c: string) => c.slice(0, 20)],
    ['an id in plain base64', () => Buffer.from(ID).toString('base64url')],
    ['not base64 at all', () => 'not a cursor!'],
    ['the empty string', () => ''],
  ])('refuse %s (null, not a guess)', (_label, alter) => {
    expect(decodeCursor(alter(encodeCursor(ID)))).toBeNull();
  });
});

describe('pageOf', () => {
  it.each([
    // fetched rows, first, after given → edges, hasNextPage, hasPreviousPage
    [0, 3, false, 0, false, false],
    [2, 3, false, 2, false, false],
    [3, 3, false, 3, false, false],
    [4, 3, false, 3, true, false],
    [4, 3, true, 3, true, true],
  ])('%i rows fetched for first: %i (after given: %s) → %i edges, next %s, previous %s', (fetched, first, after, edges, next, previous) => {
    const page = pageOf(rows(fetched), first, after);
    expect(page.edges).toHaveLength(edges);
    expect(page.pageInfo).toMatchObject({ hasNextPage: next, hasPreviousPage: previous });
  });

  it('names the first and last row of the page by their cursors; an empty page has none', () => {
    const fetched = rows(4);
    const page = pageOf(fetched, 3, false);
    expect(page.edges.map((e) => decodeCursor(e.cursor))).toEqual(fetched.slice(0, 3).map((r) => r.id));
    expect(decodeCursor(page.pageInfo.startCursor!)).toBe(fetched[0].id);
    expect(decodeCursor(page.pageInfo.endCursor!)).toBe(fetched[2].id);
    expect(pageOf([], 3, false).pageInfo).toMatchObject({ startCursor: null, endCursor: null });
  });
});

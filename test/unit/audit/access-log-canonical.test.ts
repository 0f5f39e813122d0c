/**
 * Unit spec of the clinical access log's canonical form (src/audit/access-log-canonical.ts), from the format
 * its header documents: values are netstrings (NULL `-`, text `<UTF-8 byte length>:<text>,`, arrays in
 * brackets), so no two different entries share bytes; every covered field changes the hash; the chain
 * link is SHA-256 of value(seq), the previous hash and the content hash.
 */
import { createHash } from 'node:crypto';
import {
  canonList, canonValue, ContentV2, contentHashV2, contentV2, LABEL_V2, linkHashV2, ZERO_HASH,
} from '../../../src/hash-chain/access-log-canonical';

const ENTRY: ContentV2 = {
  chain_id: '11111111-1111-4111-8111-111111111111',
  occurred_at_us: '1767225600000000',
  user_id: '22222222-2222-4222-8222-222222222222',
  session_id: '33333333-3333-4333-8333-333333333333',
  request_id: 'req-1',
  client_address: '203.0.113.9',
  user_agent: 'Mozilla/5.0',
  operation_name: 'CustomerExams',
  purpose: 'DIRECT_CARE',
  customer_id: '44444444-4444-4444-8444-444444444444',
  store_id: '55555555-5555-4555-8555-555555555555',
  subject: 'Examination',
  record_ids: ['66666666-6666-4666-8666-666666666666'],
  fields: ['history', 'refractions'],
  outcome: 'GRANTED',
  assignment_ids: ['77777777-7777-4777-8777-777777777777'],
  emergency_access_id: null,
};

describe('access log canonical form', () => {
  it.each([
    ['NULL', null, '-'],
    ['the empty text', '', '0:,'],
    ['ASCII', 'abc', '3:abc,'],
    ['a length in UTF-8 bytes, not characters', 'Zoë', '4:Zoë,'],
    ['text that looks like a netstring', '1:a,', '4:1:a,,'],
  ])('value: %s', (_label, value, expected) => {
    expect(canonValue(value)).toBe(expected);
  });

  it.each([
    ['NULL', null, '-'],
    ['an empty array', [], '[]'],
    ['elements in order, NULL elements kept', ['a', null, 'bc'], '[1:a,-2:bc,]'],
  ])('array: %s', (_label, list, expected) => {
    expect(canonList(list)).toBe(expected);
  });

  it('keeps apart what plain concatenation would merge', () => {
    expect(canonList(['ab'])).not.toBe(canonList(['a', 'b']));
    expect(canonList([''])).not.toBe(canonList([]));
    expect(canonList([null])).not.toBe(canonList(null));
    expect(canonValue('')).not.toBe(canonValue(null));
  });

  it('starts with the version label and covers the fields in the documented order', () => {
    const text = contentV2(ENTRY).toString('utf8');
    expect(text.startsWith(canonValue(LABEL_V2) + canonValue(ENTRY.chain_id) + canonValue(ENTRY.occurred_at_us))).toBe(true);
    expect(text.endsWith(canonList(ENTRY.assignment_ids) + canonValue(null))).toBe(true);
  });

  it.each(Object.keys(ENTRY) as (keyof ContentV2)[])('a change of %s changes the content hash', (field) => {
    const value = ENTRY[field];
    const changed = Array.isArray(value) ? [...value, 'x'] : value === null ? 'x' : `${value}x`;
    expect(contentHashV2({ ...ENTRY, [field]: changed }).equals(contentHashV2(ENTRY))).toBe(false);
  });

  it('links an entry as SHA-256( value(seq) || previous hash || content hash )', () => {
    const content = contentHashV2(ENTRY);
    const expected = createHash('sha256').update(Buffer.from('1:7,', 'utf8')).update(ZERO_HASH).update(content).digest();
    expect(linkHashV2('7', ZERO_HASH, content).equals(expected)).toBe(true);
    expect(linkHashV2('8', ZERO_HASH, content).equals(expected)).toBe(false);
    expect(ZERO_HASH).toHaveLength(32);
  });
});

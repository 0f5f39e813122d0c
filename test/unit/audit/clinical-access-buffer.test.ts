/**
 * How the clinical access buffer (src/hash-chain/clinical-access-buffer.ts) groups one request's reads into log
 * entries: one entry per customer, subject, store, outcome and emergency access, with every record and field read
 * and the role assignments that granted them. The expected entries are written out by hand from that rule; the
 * sequences mix consecutive reads of one row (the buffer's shortcut) with interleaved rows, changed grants and
 * outcomes, so a shortcut that merged what the rule keeps apart fails here.
 */
import { ClinicalAccessBuffer } from '../../../src/hash-chain/clinical-access-buffer';
import { ClinicalRead } from '../../../src/policies/guard-context';

const principal = { userId: 'u-1', chainId: 'c-1', sessionId: 's-1' };
const A1 = '00000000-0000-4000-8000-0000000000a1';
const A2 = '00000000-0000-4000-8000-0000000000a2';
const EMERGENCY = 'emergency:0000e000-0000-4000-8000-000000000001';

function read(customerId: string, recordId: string | null, field: string, grants: string[], overrides: Partial<ClinicalRead> = {}): ClinicalRead {
  return { customerId, storeId: 'store-1', subject: 'Examination', recordId, field, granted: grants.length > 0, grants, ...overrides };
}

/** The entries in a comparable form: sets as sorted arrays. */
function entriesOf(buffer: ClinicalAccessBuffer) {
  return buffer.entries.map((e) => ({
    customerId: e.customerId, storeId: e.storeId, subject: e.subject, granted: e.granted, emergencyAccessId: e.emergencyAccessId,
    recordIds: [...e.recordIds].sort(), fields: [...e.fields].sort(), assignmentIds: [...e.assignmentIds].sort(),
  }));
}

const entry = (customerId: string, over: Partial<ReturnType<typeof entriesOf>[number]>) => ({
  customerId, storeId: 'store-1', subject: 'Examination', granted: true, emergencyAccessId: null,
  recordIds: [] as string[], fields: [] as string[], assignmentIds: [] as string[], ...over,
});

describe('ClinicalAccessBuffer', () => {
  it('puts consecutive fields of one row, and a later row of the same customer, in one entry', () => {
    const buffer = new ClinicalAccessBuffer();
    for (const field of ['sphere', 'cylinder', 'axis']) buffer.record(principal, read('cust-1', 'rec-1', field, [A1]));
    buffer.record(principal, read('cust-1', 'rec-2', 'sphere', [A1]));
    expect(entriesOf(buffer)).toEqual([entry('cust-1', { recordIds: ['rec-1', 'rec-2'], fields: ['axis', 'cylinder', 'sphere'], assignmentIds: [A1] })]);
  });

  it('keeps customers, subjects, stores and outcomes apart, also when one row follows another', () => {
    const buffer = new ClinicalAccessBuffer();
    buffer.record(principal, read('cust-1', 'rec-1', 'sphere', [A1]));
    buffer.record(principal, read('cust-2', 'rec-9', 'sphere', [A1]));
    buffer.record(principal, read('cust-1', 'rec-1', 'sphere', [A1], { subject: 'SpectaclePrescription' }));
    buffer.record(principal, read('cust-1', 'rec-1', 'sphere', [A1], { storeId: 'store-2' }));
    buffer.record(principal, read('cust-1', 'rec-1', 'notes', []));
    buffer.record(principal, read('cust-1', 'rec-1', 'axis', [A1]));
    expect(entriesOf(buffer)).toEqual([
      entry('cust-1', { recordIds: ['rec-1'], fields: ['axis', 'sphere'], assignmentIds: [A1] }),
      entry('cust-2', { recordIds: ['rec-9'], fields: ['sphere'], assignmentIds: [A1] }),
      entry('cust-1', { subject: 'SpectaclePrescription', recordIds: ['rec-1'], fields: ['sphere'], assignmentIds: [A1] }),
      entry('cust-1', { storeId: 'store-2', recordIds: ['rec-1'], fields: ['sphere'], assignmentIds: [A1] }),
      entry('cust-1', { granted: false, recordIds: ['rec-1'], fields: ['notes'] }),
    ]);
  });

  it('adds the assignments of a next field read under other grants, and keeps an emergency read apart', () => {
    const buffer = new ClinicalAccessBuffer();
    buffer.record(principal, read('cust-1', 'rec-1', 'sphere', [A1]));
    buffer.record(principal, read('cust-1', 'rec-1', 'cylinder', [A1, A2]));
    buffer.record(principal, read('cust-1', 'rec-1', 'axis', [EMERGENCY]));
    buffer.record(principal, read('cust-1', 'rec-1', 'add', [EMERGENCY]));
    // An assignment grants it as well: not an emergency read.
    buffer.record(principal, read('cust-1', 'rec-1', 'prism', [A2, EMERGENCY]));
    expect(entriesOf(buffer)).toEqual([
      entry('cust-1', { recordIds: ['rec-1'], fields: ['cylinder', 'prism', 'sphere'], assignmentIds: [A1, A2] }),
      entry('cust-1', { recordIds: ['rec-1'], fields: ['add', 'axis'], emergencyAccessId: '0000e000-0000-4000-8000-000000000001' }),
    ]);
  });

  it('keeps principals apart: an entry names whoever’s rights read it', () => {
    const buffer = new ClinicalAccessBuffer();
    const other = { userId: 'u-2', chainId: 'c-1', sessionId: 's-2' };
    buffer.record(principal, read('cust-1', 'rec-1', 'sphere', [A1]));
    buffer.record(other, read('cust-1', 'rec-1', 'cylinder', [A1]));
    expect(buffer.entries.map((e) => (e as unknown as { principal: { userId: string } }).principal.userId)).toEqual(['u-1', 'u-2']);
    expect(entriesOf(buffer).map((e) => e.fields)).toEqual([['sphere'], ['cylinder']]);
  });
});

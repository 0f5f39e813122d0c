/**
 * bench/peer-normalise.ts: the same-data check of `npm run bench:peers` treats the arms' forms of one value as
 * equal (timestamps in any offset, missing as null), sorts customers and appointments, and names the first
 * real difference.
 */
import { firstDifference, normalisePage, normaliseValue } from '../../../bench/peer-normalise';

describe('bench:peers normalisation', () => {
  it('turns a timestamp in any offset or precision into one UTC form, and keeps other values', () => {
    expect(normaliseValue('2026-03-01T09:30:00+00:00')).toBe('2026-03-01T09:30:00.000Z');
    expect(normaliseValue('2026-03-01T10:30:00.000+01:00')).toBe('2026-03-01T09:30:00.000Z');
    expect(normaliseValue('2026-03-01T09:30:00.000Z')).toBe('2026-03-01T09:30:00.000Z');
    expect(normaliseValue('1980-05-17')).toBe('1980-05-17'); // a date stays a date
    expect(normaliseValue('ACTIVE')).toBe('ACTIVE');
    expect(normaliseValue(undefined)).toBeNull();
    expect(normaliseValue(null)).toBeNull();
    expect(normaliseValue(3)).toBe(3);
  });

  it('sorts customers and appointments by id and keeps only the named fields', () => {
    const page = normalisePage(
      [
        { id: 'b', name: 'B', extra: 1, appts: [{ id: 'y', at: '2026-01-01T00:00:00+00:00' }, { id: 'x', at: '2026-01-02T00:00:00Z' }] },
        { id: 'a', name: 'A', appts: null },
      ],
      ['id', 'name'], 'appts', ['id', 'at'],
    );
    expect(page).toEqual([
      { fields: { id: 'a', name: 'A' }, appointments: [] },
      { fields: { id: 'b', name: 'B' }, appointments: [{ id: 'x', at: '2026-01-02T00:00:00.000Z' }, { id: 'y', at: '2026-01-01T00:00:00.000Z' }] },
    ]);
  });

  it('finds two forms of the same page equal and names the first real difference', () => {
    const fields = ['id', 'city', 'updatedAt'];
    const raw = normalisePage([{ id: 'a', city: 'Leeds', updatedAt: '2026-01-01T00:00:00.000Z', appointments: [{ id: 'x', status: 'BOOKED' }] }], fields, 'appointments', ['id', 'status']);
    const same = normalisePage([{ id: 'a', city: 'Leeds', updatedAt: '2026-01-01T00:00:00+00:00', appts: [{ id: 'x', status: 'BOOKED' }] }], fields, 'appts', ['id', 'status']);
    expect(firstDifference(raw, same)).toBeNull();

    const otherCity = normalisePage([{ id: 'a', city: 'York', updatedAt: '2026-01-01T00:00:00Z', appointments: [{ id: 'x', status: 'BOOKED' }] }], fields, 'appointments', ['id', 'status']);
    expect(firstDifference(raw, otherCity)).toBe('customer a: city is "York" instead of "Leeds"');
    const noAppointments = normalisePage([{ id: 'a', city: 'Leeds', updatedAt: '2026-01-01T00:00:00Z' }], fields, 'appointments', ['id', 'status']);
    expect(firstDifference(raw, noAppointments)).toBe('customer a: 0 appointments instead of 1');
    const otherStatus = normalisePage([{ id: 'a', city: 'Leeds', updatedAt: '2026-01-01T00:00:00Z', appointments: [{ id: 'x', status: 'CANCELLED' }] }], fields, 'appointments', ['id', 'status']);
    expect(firstDifference(raw, otherStatus)).toBe('customer a, appointment x: status is "CANCELLED" instead of "BOOKED"');
    expect(firstDifference(raw, [])).toBe('0 customers instead of 1');
  });
});

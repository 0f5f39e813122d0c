/**
 * Unit table of the audit trail's free-text rules (src/audit/audit-text.ts): which characters may not enter
 * the trail (controls, direction overrides and isolates, line separators, byte-order marks), how a
 * User-Agent is neutralised, and how header bytes are read as UTF-8. (test/audit/audit-text.test.ts checks
 * the same through the API.)
 */
import { headerText, neutralised, unsafeTextProblem } from '../../../src/audit/audit-text';

describe('audit text', () => {
  it.each([
    ['a newline', 'Patient collapsed\nAPPROVED BY DPO'],
    ['a carriage return', 'Patient collapsed\rx'],
    ['a tab', 'Patient\tcollapsed'],
    ['an ANSI escape', 'Patient \u001b[2J'],
    ['a NUL', 'Patient\u0000'],
    ['DEL', 'Patient\u007f'],
    ['a C1 control (NEL)', 'Patient \u0085 next'],
    ['a right-to-left override', 'Patient \u202Edetaler ton'],
    ['a left-to-right embedding', 'Patient \u202Ax'],
    ['a directional isolate', 'Patient \u2067x\u2069'],
    ['a right-to-left mark', 'Patient \u200F'],
    ['an Arabic letter mark', 'Patient \u061C'],
    ['a line separator', 'Patient\u2028second line'],
    ['a paragraph separator', 'Patient\u2029second'],
    ['a byte-order mark', '\uFEFFPatient'],
  ])('refuses %s', (_label, text) => {
    expect(unsafeTextProblem(text)).toMatch(/control characters|direction/);
    expect(unsafeTextProblem(neutralised(text))).toBeNull();
    expect(neutralised(text)).toContain('\uFFFD');
  });

  it.each([
    ['plain English', 'Patient collapsed in store; called 999.'],
    ['accents', 'Zoë Brontë-Müller, São Paulo'],
    ['Welsh', 'Llanfairpwll, ŵ and ŷ'],
    ['Arabic and Hebrew letters (no overrides)', 'مريض שלום'],
    ['CJK and emoji', '患者 👓'],
  ])('keeps %s as typed', (_label, text) => {
    expect(unsafeTextProblem(text)).toBeNull();
    expect(neutralised(text)).toBe(text);
  });

  it('replaces each unsafe character by one U+FFFD and keeps the rest', () => {
    expect(neutralised('a\nb\u202Ec')).toBe('a\uFFFDb\uFFFDc');
  });

  it.each([
    ['UTF-8 bytes read as latin1', Buffer.from('Mozilla/5.0 (Zoë)', 'utf8').toString('latin1'), 'Mozilla/5.0 (Zoë)'],
    ['plain ASCII', 'curl/8.5.0', 'curl/8.5.0'],
    ['bytes that are not UTF-8 stay as given', 'M\u00fcller', 'M\u00fcller'],
  ])('headerText: %s', (_label, raw, expected) => {
    expect(headerText(raw)).toBe(expected);
  });
});

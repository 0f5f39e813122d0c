/**
 * src/crypto/envelope.ts and key-ring.ts without a database: an envelope opens to its text only with its key and
 * in its place (record type, field, record id); a flipped byte, another field or another key fails; a data key
 * wrapped under one master key does not open under another; the master key id is stable and not the key.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { masterKeyId } from '../../../src/config/master-key';
import { fieldAad, isEnvelope, open, parseEnvelope, sealText } from '../../../src/crypto/envelope';
import { KeyRing, newDataKey } from '../../../src/crypto/key-ring';

describe('clinical text envelopes', () => {
  const key = randomBytes(32);
  const keyId = '6f1c1d6e-3c4a-4f0e-9a59-0d2b8f1f7d11';
  const aad = fieldAad('ClinicalNote', 'plan', 'b3a3a0a6-6c43-4f7c-9d0b-1c9e0f6b2a55');

  it('opens to the text in its place only', () => {
    const envelope = sealText(keyId, key, 'Review in 3 months – ünïcode ✓', aad);
    expect(isEnvelope(envelope)).toBe(true);
    expect(envelope).not.toContain('Review');
    const { keyId: named, sealed } = parseEnvelope(envelope);
    expect(named).toBe(keyId);
    expect(open(key, sealed, aad).toString('utf8')).toBe('Review in 3 months – ünïcode ✓');
    expect(() => open(key, sealed, fieldAad('ClinicalNote', 'subjective', 'b3a3a0a6-6c43-4f7c-9d0b-1c9e0f6b2a55'))).toThrow();
    expect(() => open(randomBytes(32), sealed, aad)).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[20] ^= 1;
    expect(() => open(key, flipped, aad)).toThrow();
    // A fresh IV each time: the same text never gives the same envelope.
    expect(sealText(keyId, key, 'same', aad)).not.toBe(sealText(keyId, key, 'same', aad));
  });

  it('wraps data keys under the master key only that master key opens', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-ring-'));
    try {
      const one = randomBytes(32);
      const other = randomBytes(32);
      fs.writeFileSync(path.join(dir, 'a.key'), one.toString('hex'));
      fs.writeFileSync(path.join(dir, 'b.key'), other.toString('hex'));
      const ringA = new KeyRing(path.join(dir, 'a.key'));
      expect(ringA.currentMasterId).toBe(masterKeyId(one));
      expect(masterKeyId(one)).toMatch(/^[0-9a-f]{16}$/);
      expect(one.toString('hex')).not.toContain(masterKeyId(one));
      const dataKey = newDataKey('9d7f8f43-2f0a-4a53-8c1b-1f2e3d4c5b6a');
      const wrapped = ringA.wrap(dataKey, ringA.currentMasterId);
      expect(wrapped.includes(dataKey.key)).toBe(false);
      const ringB = new KeyRing(path.join(dir, 'b.key'));
      expect(() => ringB.wrap(dataKey, ringA.currentMasterId)).toThrow(/not loaded/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

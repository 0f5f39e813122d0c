/**
 * The suppression key (src/config/suppression-key.ts through loadConfig): outside production it is generated
 * once beside the data folder and reused by every later start; VISUS_SUPPRESSION_KEY_FILE names a key file of
 * 64 hex characters; in production a missing or malformed key stops the start with a one-line error naming
 * the variable. And the running test server hashes with the key of the normal configuration path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { asStartupError } from '../../src/errors/startup-error';
import { signIn } from '../support/actors';
import { startTestApp } from '../support/test-app';

const VARIABLES = ['NODE_ENV', 'VISUS_DATA_DIR', 'VISUS_SUPPRESSION_KEY_FILE'];

describe('the suppression key', () => {
  const saved: Record<string, string | undefined> = {};
  let dir: string;
  beforeEach(() => {
    for (const name of VARIABLES) saved[name] = process.env[name];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visus-suppression-'));
    delete process.env.VISUS_SUPPRESSION_KEY_FILE;
    process.env.NODE_ENV = 'development';
    process.env.VISUS_DATA_DIR = path.join(dir, 'postgres');
  });
  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('outside production, unset: generated beside the data folder on first start (owner-only), reused on every later start', () => {
    const file = path.join(dir, 'suppression.key');
    expect(fs.existsSync(file)).toBe(false);
    const first = loadConfig().suppressionKey;
    expect(first).toHaveLength(32);
    expect(fs.readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex')).toEqual(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The data folder itself stays untouched (an initdb needs it absent or empty).
    expect(fs.existsSync(path.join(dir, 'postgres'))).toBe(false);
    expect(loadConfig().suppressionKey).toEqual(first);
    expect(loadConfig().suppressionKey).toEqual(first);
  });

  it('VISUS_SUPPRESSION_KEY_FILE: read from the named file (surrounding whitespace allowed), in production too', () => {
    const file = path.join(dir, 'key.hex');
    fs.writeFileSync(file, `  ${'0f'.repeat(32)}\n`);
    process.env.VISUS_SUPPRESSION_KEY_FILE = file;
    expect(loadConfig().suppressionKey).toEqual(Buffer.from('0f'.repeat(32), 'hex'));
    process.env.NODE_ENV = 'production';
    expect(loadConfig().suppressionKey).toEqual(Buffer.from('0f'.repeat(32), 'hex'));
    expect(fs.existsSync(path.join(dir, 'suppression.key'))).toBe(false);
  });

  it('a malformed or missing key file, or none in production, stops the start with one line naming VISUS_SUPPRESSION_KEY_FILE', () => {
    const file = path.join(dir, 'key.hex');
    for (const content of ['', 'ab'.repeat(31), 'zz'.repeat(32), 'ab'.repeat(33)]) {
      fs.writeFileSync(file, content);
      process.env.VISUS_SUPPRESSION_KEY_FILE = file;
      expect(() => asStartupError(loadConfig)).toThrow(/^VISUS_SUPPRESSION_KEY_FILE: .*64 hex characters/);
    }
    process.env.VISUS_SUPPRESSION_KEY_FILE = path.join(dir, 'absent.hex');
    expect(() => asStartupError(loadConfig)).toThrow(/^VISUS_SUPPRESSION_KEY_FILE: cannot read/);
    delete process.env.VISUS_SUPPRESSION_KEY_FILE;
    process.env.NODE_ENV = 'production';
    let message = '';
    try {
      asStartupError(loadConfig);
    } catch (error) {
      expect((error as Error).name).toBe('StartupError');
      message = (error as Error).message;
    }
    expect(message).toMatch(/^VISUS_SUPPRESSION_KEY_FILE must name a file/);
    expect(message).not.toContain('\n');
    expect(fs.existsSync(path.join(dir, 'suppression.key'))).toBe(false);
  });
});

describe('the running server’s suppression key', () => {
  it('comes through the normal configuration path: the key file generated beside the default data folder', async () => {
    const t = await startTestApp();
    try {
      const file = path.join(path.dirname(t.config.embeddedDataDir), 'suppression.key');
      expect(t.config.suppressionKey).toEqual(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex'));
      // A restart reads the same file: the same key, so stored suppressions keep matching.
      expect(loadConfig().suppressionKey).toEqual(t.config.suppressionKey);
      const dpo = await signIn(t, 'dpo');
      expect((await dpo.request('{ me { email } }')).errors).toBeUndefined();
    } finally {
      await t.stop();
    }
  });
});

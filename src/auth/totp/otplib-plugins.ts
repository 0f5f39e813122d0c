/**
 * The two plugins otplib 13 needs, on node:crypto and RFC 4648 base32. otplib's default plugins (@noble/hashes,
 * @scure/base) are ESM-only packages that jest's CommonJS runtime cannot load, so the server uses otplib's own
 * TOTP engine (@otplib/totp, which the `otplib` package re-exports) with these instead.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Base32Plugin, CryptoPlugin } from '@otplib/core';

export const nodeCrypto: CryptoPlugin = {
  name: 'node:crypto',
  algorithms: ['sha1', 'sha256', 'sha512'],
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
  constantTimeEqual: (a, b) => {
    const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
    const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  },
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const rfc4648Base32: Base32Plugin = {
  name: 'rfc4648',
  encode: (data, options = {}) => {
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
    return options.padding ? out.padEnd(Math.ceil(out.length / 8) * 8, '=') : out;
  },
  decode: (text) => {
    const clean = text.toUpperCase().replace(/[\s=]/g, '');
    const out: number[] = [];
    let bits = 0;
    let value = 0;
    for (const ch of clean) {
      const index = ALPHABET.indexOf(ch);
      if (index < 0) throw new Error('not base32');
      value = ((value << 5) | index) & 0xffff;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return new Uint8Array(out);
  },
};

/**
 * The archive's plaintext (before gzip and age): a sequence of frames, each a type byte, a 4-byte big-endian length
 * and the payload. `B` begins (JSON: format, time, each database's migrations), `T` starts a table (JSON: database,
 * table, columns), `D` is COPY text data of that table, `E` ends it (JSON: rows, bytes, sha256), `M` closes the
 * archive with the manifest (JSON). Written by dump.ts, read by restore.ts.
 */
import { Readable, Writable } from 'node:stream';

export type FrameType = 'B' | 'T' | 'D' | 'E' | 'M';
export interface Frame { type: FrameType; payload: Buffer }

export function frame(type: FrameType, payload: Buffer | string | object): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Writes `chunk` to `out`, waiting when it asks to. */
export async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => { out.off('drain', onDrain); reject(e); };
    const onDrain = (): void => { out.off('error', onError); resolve(); };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

/** The frames of `input`, in order; throws on a truncated or malformed stream. */
export async function* readFrames(input: Readable): AsyncGenerator<Frame> {
  let buffer: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk as Buffer]) : (chunk as Buffer);
    while (buffer.length >= 5) {
      const length = buffer.readUInt32BE(1);
      if (buffer.length < 5 + length) break;
      const type = buffer.toString('latin1', 0, 1);
      if (!'BTDEM'.includes(type)) throw new Error(`the archive is malformed (frame type ${JSON.stringify(type)})`);
      yield { type: type as FrameType, payload: buffer.subarray(5, 5 + length) };
      buffer = buffer.subarray(5 + length);
    }
  }
  if (buffer.length) throw new Error('the archive is truncated (a frame is cut off)');
}

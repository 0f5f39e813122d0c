/**
 * A backup archive's plaintext frames (type byte, 4-byte big-endian length, payload), decoded and encoded
 * here from the documented format (docs/security-operations.md), independently of src/backup: the backup
 * tests use them to read the manifest and to tamper with an archive and re-encrypt it.
 */
export interface ArchiveFrame {
  type: string;
  payload: Buffer;
}

export function parseFrames(plain: Buffer): ArchiveFrame[] {
  const frames: ArchiveFrame[] = [];
  for (let i = 0; i < plain.length;) {
    const length = plain.readUInt32BE(i + 1);
    frames.push({ type: plain.toString('latin1', i, i + 1), payload: plain.subarray(i + 5, i + 5 + length) });
    i += 5 + length;
  }
  return frames;
}

export function unparse(frames: ArchiveFrame[]): Buffer {
  return Buffer.concat(frames.map((f) => {
    const head = Buffer.alloc(5);
    head.write(f.type, 0, 'latin1');
    head.writeUInt32BE(f.payload.length, 1);
    return Buffer.concat([head, f.payload]);
  }));
}

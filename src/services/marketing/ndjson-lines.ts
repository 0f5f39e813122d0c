/**
 * The NDJSON export's lines: a Transform from the COPY text rows of the NDJSON export statement
 * (src/services/marketing/marketing-list-sql.ts: `manifest`, `mask`, then the export columns, tab-separated,
 * `\N` for NULL, backslash escapes) to one JSON object per customer. A field is in the object only where the
 * row's mask has its bit (readable at that customer's store: decided in SQL by the policies, which also left an
 * unreadable value NULL); a readable NULL is written as null. Building the lines here, while PostgreSQL scans,
 * instead of in SQL (to_json per field) is what keeps the NDJSON export near `psql \copy` (npm run bench:marketing).
 */
import { Transform, TransformCallback } from 'node:stream';

const NEWLINE = 0x0a;
const TAB = 0x09;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const HEX = '0123456789abcdef';
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** One COPY text column's value: backslash escapes undone (COPY TO writes only these; never octal or hex). */
export function copyTextValue(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\(.)/g, (_m, ch: string) => ESCAPES[ch] ?? ch) : raw;
}

/** The manifest's JSON from the statement's first row (its first column). */
export function manifestFromCopyText(line: string): string {
  const tab = line.indexOf('\t');
  return copyTextValue(tab === -1 ? line : line.slice(0, tab));
}

/**
 * COPY text rows to JSON lines, byte by byte: COPY's escapes \\ \n \r \t \b \f are JSON's too and are copied
 * as they are; its \v becomes \u000b; a double quote is escaped; any other control character (COPY writes them
 * raw) becomes \u00XX; UTF-8 passes through untouched. Working on bytes, not strings, keeps the server's CPU per
 * row well below PostgreSQL's, so the export runs at the speed of the COPY.
 */
export class NdjsonLines extends Transform {
  private rest: Buffer | null = null;
  private readonly keys: Buffer[];
  /** Bytes of all keys, braces and commas of one object: the part of a line that is not values. */
  private readonly frame: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  /** `fields`: the export columns in statement order; `maskBits`: each one's bit of the row's mask. */
  constructor(private readonly fields: readonly string[], private readonly maskBits: readonly number[]) {
    super();
    this.keys = fields.map((field) => Buffer.from(`${JSON.stringify(field)}:`));
    this.frame = this.keys.reduce((sum, key) => sum + key.length + 7, 3);
    this.starts = new Int32Array(fields.length + 2);
    this.ends = new Int32Array(fields.length + 2);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const last = data.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.rest = data;
      return done();
    }
    this.rest = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : null;
    try {
      done(null, this.lines(data, last + 1));
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.rest && this.rest.length > 0) return done(new Error('the marketing list COPY ended inside a row'));
    done();
  }

  /** The JSON lines of the whole rows in data[0, end). */
  private lines(data: Buffer, end: number): Buffer {
    let out = Buffer.allocUnsafe(Math.max(1024, end * 2));
    let at = 0;
    for (let row = 0; row < end;) {
      const next = data.indexOf(NEWLINE, row);
      // Room for this line whatever it holds: every value byte escaped to six, plus the keys and punctuation.
      const worst = (next - row) * 6 + this.frame;
      if (at + worst > out.length) {
        const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, at + worst));
        out.copy(bigger, 0, 0, at);
        out = bigger;
      }
      at = this.line(data, row, next, out, at);
      row = next + 1;
    }
    return out.subarray(0, at);
  }

  /** Writes the object of the row data[from, to) at out[at]; returns where it ends (after its newline). */
  private line(data: Buffer, from: number, to: number, out: Buffer, at: number): number {
    const { starts, ends } = this;
    let column = 0;
    starts[0] = from;
    for (let i = from; i < to; i += 1) {
      if (data[i] !== TAB) continue;
      if (column + 1 >= starts.length) throw new Error(`a marketing list row has more than ${starts.length} columns`);
      ends[column] = i;
      column += 1;
      starts[column] = i + 1;
    }
    ends[column] = to;
    if (column + 1 !== starts.length) throw new Error(`a marketing list row has ${column + 1} columns, expected ${starts.length}`);
    let mask = 0;
    for (let i = starts[1]; i < ends[1]; i += 1) mask = mask * 10 + (data[i] - 0x30);
    out[at++] = 0x7b; // {
    let first = true;
    for (let f = 0; f < this.fields.length; f += 1) {
      if ((mask & this.maskBits[f]) === 0) continue;
      if (!first) out[at++] = 0x2c; // ,
      first = false;
      at += this.keys[f].copy(out, at);
      const start = starts[f + 2];
      const stop = ends[f + 2];
      if (stop - start === 2 && data[start] === BACKSLASH && data[start + 1] === 0x4e) {
        at += out.write('null', at, 'latin1');
        continue;
      }
      out[at++] = QUOTE;
      for (let i = start; i < stop; i += 1) {
        const byte = data[i];
        if (byte === BACKSLASH) {
          const escaped = data[i + 1];
          i += 1;
          if (escaped === 0x76) at += out.write('\\u000b', at, 'latin1'); // \v
          else {
            out[at++] = BACKSLASH;
            out[at++] = escaped;
          }
        } else if (byte === QUOTE) {
          out[at++] = BACKSLASH;
          out[at++] = QUOTE;
        } else if (byte < 0x20) {
          at += out.write(`\\u00${HEX[byte >> 4]}${HEX[byte & 15]}`, at, 'latin1');
        } else out[at++] = byte;
      }
      out[at++] = QUOTE;
    }
    out[at++] = 0x7d; // }
    out[at++] = NEWLINE;
    return at;
  }
}

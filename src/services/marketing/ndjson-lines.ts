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
const NULL = '\\N';
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

export class NdjsonLines extends Transform {
  private rest: Buffer | null = null;
  private readonly keys: string[];

  /** `fields`: the export columns in statement order; `maskBits`: each one's bit of the row's mask. */
  constructor(private readonly fields: readonly string[], private readonly maskBits: readonly number[]) {
    super();
    this.keys = fields.map((field) => `${JSON.stringify(field)}:`);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const last = data.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.rest = data;
      return done();
    }
    this.rest = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : null;
    let out = '';
    try {
      for (const line of data.toString('utf8', 0, last).split('\n')) out += `${this.line(line)}\n`;
    } catch (error) {
      return done(error as Error);
    }
    done(null, out);
  }

  override _flush(done: TransformCallback): void {
    if (this.rest && this.rest.length > 0) return done(new Error('the marketing list COPY ended inside a row'));
    done();
  }

  private line(row: string): string {
    const columns = row.split('\t');
    if (columns.length !== this.fields.length + 2) throw new Error(`a marketing list row has ${columns.length} columns, expected ${this.fields.length + 2}`);
    const mask = Number(columns[1]);
    let line = '{';
    for (let i = 0; i < this.fields.length; i += 1) {
      if ((mask & this.maskBits[i]) === 0) continue;
      const raw = columns[i + 2];
      if (line.length > 1) line += ',';
      line += this.keys[i] + (raw === NULL ? 'null' : JSON.stringify(copyTextValue(raw)));
    }
    return `${line}}`;
  }
}

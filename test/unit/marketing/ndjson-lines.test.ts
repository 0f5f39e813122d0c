/**
 * NdjsonLines: COPY text rows (PostgreSQL's text format: tab-separated, `\N` for NULL, backslash escapes for
 * backslash, newline, carriage return, tab, backspace, form feed and vertical tab) to JSON lines, with the
 * row's mask deciding which fields are in each object. Expected lines are written by hand from that format.
 */
import { Readable } from 'node:stream';
import { copyTextValue, manifestFromCopyText, NdjsonLines } from '../../../src/services/marketing/ndjson-lines';

async function run(input: Buffer[], fields: string[], bits: number[]): Promise<string> {
  const out: Buffer[] = [];
  const lines = Readable.from(input).pipe(new NdjsonLines(fields, bits));
  for await (const chunk of lines) out.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(out).toString('utf8');
}

describe('NdjsonLines', () => {
  const fields = ['id', 'firstName', 'email'];

  it('writes every field whose bit is set, a readable NULL as null, and leaves the others out', async () => {
    const copy = '\\N\t3\tc1\tAnn\t\\N\n\\N\t1\tc2\t\\N\t\\N\n\\N\t2\t\\N\tBob\tb@x.example\n\\N\t0\t\\N\t\\N\t\\N\n';
    const text = await run([Buffer.from(copy)], fields, [1, 1, 2]);
    expect(text.split('\n')).toEqual([
      '{"id":"c1","firstName":"Ann","email":null}',
      '{"id":"c2","firstName":null}',
      '{"email":"b@x.example"}',
      '{}',
      '',
    ]);
  });

  it('undoes COPY’s backslash escapes and writes JSON escapes', async () => {
    const copy = '\\N\t1\tc1\tA\\tB\\nC\\\\D\\rE "q" \\b\\f\\v\t\\N\n';
    const [line] = (await run([Buffer.from(copy)], fields, [1, 1, 1])).split('\n');
    expect(JSON.parse(line)).toEqual({ id: 'c1', firstName: 'A\tB\nC\\D\rE "q" \b\f\v', email: null });
    expect(line).toBe('{"id":"c1","firstName":"A\\tB\\nC\\\\D\\rE \\"q\\" \\b\\f\\u000b","email":null}');
  });

  it('writes every value as JSON would, whatever COPY escaped (vertical tab, raw control characters, quotes, UTF-8)', async () => {
    const values = ['plain', 'A\tB', 'line\nbreak', 'back\\slash', 'cr\r', '"quoted"', 'bell\u0007', 'vt\u000b', 'ff\f bs\b', 'Zoë 北'];
    // COPY text of each value: backslash, newline, carriage return, tab, backspace, form feed, vertical tab escaped; other control characters raw.
    const copyText = (v: string) => v.replace(/[\\\n\r\t\b\f\v]/g, (ch) => `\\${({ '\\': '\\', '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f', '\v': 'v' } as Record<string, string>)[ch]}`);
    for (const value of values) {
      const text = await run([Buffer.from(`\\N\t1\tc1\t${copyText(value)}\t\\N\n`)], fields, [1, 1, 1]);
      expect(text).toBe(`${JSON.stringify({ id: 'c1', firstName: value, email: null })}\n`);
    }
  });

  it('keeps a row (and a character) split across chunks whole', async () => {
    const copy = Buffer.from('\\N\t1\tc1\tZoë 北\tz@x.example\n\\N\t1\tc2\tÅsa\t\\N\n');
    for (let cut = 1; cut < copy.length; cut += 1) {
      const text = await run([copy.subarray(0, cut), copy.subarray(cut)], fields, [1, 1, 1]);
      expect(text).toBe('{"id":"c1","firstName":"Zoë 北","email":"z@x.example"}\n{"id":"c2","firstName":"Åsa","email":null}\n');
    }
  });

  it('fails on a row with the wrong number of columns or a COPY that ends inside a row', async () => {
    await expect(run([Buffer.from('\\N\t1\tc1\n')], fields, [1, 1, 1])).rejects.toThrow(/columns/);
    await expect(run([Buffer.from('\\N\t1\tc1\tA\tB')], fields, [1, 1, 1])).rejects.toThrow(/inside a row/);
  });

  it('reads the manifest from the first column of the first row', () => {
    expect(manifestFromCopyText('{"included":2,"note":"a\\\\b"}\t\\N\t\\N')).toBe('{"included":2,"note":"a\\b"}');
    expect(copyTextValue('plain')).toBe('plain');
  });
});

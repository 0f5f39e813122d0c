/**
 * Reading and checking the streamed marketing list export (GET /exports/marketing-list, issue 11 item 9) for
 * the property suite: a small CSV reader that keeps a quoted empty string apart from an empty (NULL) cell,
 * and the comparison of one CSV or NDJSON answer with the oracle's list: status (403 without export
 * MarketingList, 404 for a storeId outside the list scope), the CSV header (the Customer fields the caller
 * may read anywhere), every row in id order with each field's value where readable at that row's store
 * (empty in CSV, absent in NDJSON where not), and the manifest (X-Visus-Manifest, and NDJSON's last line).
 */
import { checkManifest, Manifest, sameValue } from './checks';
import { ListExpectation, MCustomer, MWorld, Permissions } from './oracle';

export interface Cell {
  text: string;
  quoted: boolean;
}

/** RFC 4180 as PostgreSQL's COPY writes it: quotes doubled inside quoted cells; a quoted "" is an empty string. */
export function parseCsv(text: string): Cell[][] {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted cell');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        cell += text[i];
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    }
    row.push({ text: cell, quoted });
    if (text[i] === ',') i += 1;
    else {
      if (text[i] === '\r') i += 1;
      if (text[i] === '\n') i += 1;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

export interface ExportAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** The fields an export's columns carry: the Customer fields readable at some store of the chain. */
export function expectedColumns(perms: Permissions, world: MWorld, fields: string[]): string[] {
  return fields.filter((f) => world.stores.some((_s, i) => perms.mayReadField(f, i)));
}

export function checkExport(
  where: string,
  format: 'csv' | 'ndjson',
  answer: ExportAnswer,
  expected: ListExpectation,
  perms: Permissions,
  columns: string[],
  channel: string,
  window: [number, number],
): string[] {
  const out: string[] = [];
  if (expected.outcome !== 'OK') {
    const want = expected.outcome === 'FORBIDDEN' ? 403 : 404;
    if (answer.status !== want) out.push(`${where}: expected HTTP ${want} (${expected.outcome}), got ${answer.status}: ${answer.body.slice(0, 200)}`);
    return out;
  }
  if (answer.status !== 200) return [`${where}: expected HTTP 200, got ${answer.status}: ${answer.body.slice(0, 200)}`];
  const header = answer.headers.get('x-visus-manifest');
  if (!header) out.push(`${where}: no X-Visus-Manifest header`);
  else out.push(...checkManifest(`${where} X-Visus-Manifest`, JSON.parse(header) as Manifest, expected, channel, window));

  const value = (m: MCustomer, f: string) => m.values[f];
  if (format === 'csv') {
    const rows = parseCsv(answer.body);
    const head = (rows.shift() ?? []).map((c) => c.text);
    // With no readable field at all the header is a lone `id` column (and the scope, hence the list, is empty).
    const wantHead = columns.length ? columns : ['id'];
    if (head.join(',') !== wantHead.join(',')) out.push(`${where}: CSV header expected ${wantHead.join(',')}, got ${head.join(',')}`);
    if (rows.length !== expected.included.length) {
      out.push(`${where}: expected ${expected.included.length} CSV rows, got ${rows.length}`);
      return out;
    }
    expected.included.forEach((m, k) => {
      head.forEach((f, j) => {
        const cell = rows[k][j];
        if (!cell) return void out.push(`${where} row ${k}: no cell for ${f}`);
        const readable = columns.includes(f) && perms.mayReadField(f, m.store);
        const want = readable ? value(m, f) : null;
        // PostgreSQL's CSV: NULL is an empty unquoted cell, an empty string a quoted one.
        const got = !cell.quoted && cell.text === '' ? null : cell.text;
        if (!sameValue(f, want ?? null, got)) out.push(`${where} row ${k} (${m.id}) ${f}: expected ${JSON.stringify(want)}${readable ? '' : ' (not readable)'}, got ${JSON.stringify(got)}`);
      });
    });
    return out;
  }

  const lines = answer.body.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const trailer = lines.pop();
  let manifest: Manifest | undefined;
  try {
    manifest = (JSON.parse(trailer ?? 'null') as { manifest?: Manifest } | null)?.manifest;
  } catch {
    manifest = undefined;
  }
  if (!manifest) out.push(`${where}: NDJSON last line is not {"manifest":…}: ${trailer?.slice(0, 200)}`);
  else {
    out.push(...checkManifest(`${where} NDJSON manifest`, manifest, expected, channel, window));
    if (header && JSON.stringify(JSON.parse(header)) !== JSON.stringify(manifest)) out.push(`${where}: the NDJSON trailer and X-Visus-Manifest differ`);
  }
  if (lines.length !== expected.included.length) {
    out.push(`${where}: expected ${expected.included.length} NDJSON rows, got ${lines.length}`);
    return out;
  }
  expected.included.forEach((m, k) => {
    const row = JSON.parse(lines[k]) as Record<string, unknown>;
    const readable = columns.filter((f) => perms.mayReadField(f, m.store));
    const keys = Object.keys(row);
    if (keys.sort().join(',') !== [...readable].sort().join(',')) out.push(`${where} row ${k} (${m.id}): fields expected ${readable.join(',')}, got ${Object.keys(row).join(',')}`);
    for (const f of readable) {
      if (!sameValue(f, value(m, f) ?? null, row[f] ?? null)) out.push(`${where} row ${k} (${m.id}) ${f}: expected ${JSON.stringify(value(m, f))}, got ${JSON.stringify(row[f])}`);
    }
  });
  return out;
}

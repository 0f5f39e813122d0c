/**
 * The two encodings of the customer data export, written piece by piece to a sink (nothing is built whole):
 * - XML in the namespace `urn:visus:customer-export:1` (schemas/customer-export.xsd), through xmlbuilder2's
 *   callback API (`createCB`): each record becomes elements in its keys' order, a null is left out, an array
 *   is a container of ITEM_NAMES items, an object a nested element; xmlbuilder2 (with its DOM library, about 3 MB of
 *   heap) is loaded on the first XML export, not in every API worker at start;
 * - JSON: one object whose members are written as they come (`JSON.stringify` per record), nulls kept.
 */
import type { XMLBuilderCB } from 'xmlbuilder2/lib/interfaces';
import { ITEM_NAMES } from './export-parts';

type XmlLibrary = typeof import('xmlbuilder2');

export type Row = Record<string, unknown>;
export type ExportFormat = 'xml' | 'json';

export const EXPORT_NAMESPACE = 'urn:visus:customer-export:1';
export const FORMAT_VERSION = '1';

export interface DocumentWriter {
  begin(header: Row): void;
  /** One record as a member (the customer). */
  record(name: string, row: Row): void;
  /** A list; `wrapper` (JSON only) puts the list in an object's `entry` (a FHIR Bundle). */
  openList(name: string, wrapper?: Row): void;
  item(itemName: string, row: Row): void;
  closeList(): void;
  end(): void;
}

/** Characters XML 1.0 cannot carry (C0 controls but tab, newline and return; U+FFFE, U+FFFF; lone surrogates). */
// eslint-disable-next-line no-control-regex -- matching exactly those control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A scalar as element text; a character XML cannot carry becomes U+FFFD (the JSON keeps it as it is). */
function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value).replace(NOT_XML, '\uFFFD');
}

class XmlWriter implements DocumentWriter {
  private readonly xml: XMLBuilderCB;

  constructor(createCB: XmlLibrary['createCB'], sink: (chunk: string) => void) {
    this.xml = createCB({ data: (chunk: string) => sink(chunk), prettyPrint: false });
  }

  begin(header: Row): void {
    this.xml.dec({ version: '1.0', encoding: 'UTF-8' }).ele(EXPORT_NAMESPACE, 'customerExport', { formatVersion: FORMAT_VERSION });
    this.record('header', header);
  }

  record(name: string, row: Row): void {
    this.xml.ele(name);
    this.members(row);
    this.xml.up();
  }

  private members(row: Row): void {
    for (const [key, value] of Object.entries(row)) this.value(key, value);
  }

  private value(key: string, value: unknown): void {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      this.xml.ele(key);
      const item = ITEM_NAMES[key] ?? 'item';
      for (const element of value) this.value(item, element);
      this.xml.up();
    } else if (typeof value === 'object') {
      this.record(key, value as Row);
    } else {
      this.xml.ele(key).txt(scalarText(value)).up();
    }
  }

  openList(name: string): void {
    this.xml.ele(name);
  }

  item(itemName: string, row: Row): void {
    this.record(itemName, row);
  }

  closeList(): void {
    this.xml.up();
  }

  end(): void {
    this.xml.up();
    this.xml.end();
  }
}

class JsonWriter implements DocumentWriter {
  private first = true;
  private firstItem = true;
  private closing = ']';

  constructor(private readonly sink: (chunk: string) => void) {}

  private member(name: string): void {
    this.sink(`${this.first ? '' : ','}${JSON.stringify(name)}:`);
    this.first = false;
  }

  begin(header: Row): void {
    this.sink('{');
    this.record('header', header);
  }

  record(name: string, row: Row): void {
    this.member(name);
    this.sink(JSON.stringify(row));
  }

  openList(name: string, wrapper?: Row): void {
    this.member(name);
    if (wrapper) {
      const open = JSON.stringify({ ...wrapper, entry: [] });
      this.sink(open.slice(0, -2)); // …"entry":[
      this.closing = ']}';
    } else {
      this.sink('[');
      this.closing = ']';
    }
    this.firstItem = true;
  }

  item(_itemName: string, row: Row): void {
    this.sink(`${this.firstItem ? '' : ','}${JSON.stringify(row)}`);
    this.firstItem = false;
  }

  closeList(): void {
    this.sink(this.closing);
  }

  end(): void {
    this.sink('}\n');
  }
}

export async function documentWriter(format: ExportFormat, sink: (chunk: string) => void): Promise<DocumentWriter> {
  if (format === 'json') return new JsonWriter(sink);
  const { createCB } = await import('xmlbuilder2');
  return new XmlWriter(createCB, sink);
}

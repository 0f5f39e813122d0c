/**
 * Turns the ability's rules for (action, subject[, field]) into a SQL condition with named parameters, so
 * lists are filtered in the database: a user never receives, counts or pages through rows outside
 * their scope. Rules are read in CASL's priority order; an inverted rule bounds every rule below it.
 * Only the operators the ability builder emits are supported ($eq, $in, plain equality); anything
 * else throws, so an unexpected rule denies instead of widening access.
 */
import { AppAbility } from './ability';

/** Named parameters (TypeORM query-builder style, `:acl1`), collected while rendering. */
export class SqlParams {
  readonly values: Record<string, unknown> = {};
  private next = 0;

  place(value: unknown): string {
    this.next += 1;
    const name = `acl${this.next}`;
    this.values[name] = value;
    return `:${name}`;
  }

  /** Rewrites the named parameters of `sql` as positional ones ($n) appended to `values`, for raw queries. */
  positional(sql: string, values: unknown[]): string {
    return sql.replace(/:(acl\d+)/g, (_match, name: string) => {
      values.push(this.values[name]);
      return `$${values.length}`;
    });
  }

  /**
   * Writes the named parameters of `sql` as SQL literals, for a statement that takes no parameters (COPY).
   * Only strings, finite numbers, booleans and arrays of strings (ids, enum values) are written; anything
   * else throws rather than guess a rendering.
   */
  inlined(sql: string): string {
    return sql.replace(/:(acl\d+)/g, (_match, name: string) => sqlLiteral(this.values[name]));
  }
}

/** A string as a SQL literal (like pg's escapeLiteral: quotes doubled, an E'' literal when it holds a backslash). */
function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new Error('a SQL literal cannot hold NUL');
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

function sqlLiteral(value: unknown): string {
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return quoteLiteral(`{${(value as string[]).map((item) => `"${item.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`).join(',')}}`);
  }
  throw new Error(`cannot write ${typeof value} as a SQL literal`);
}

/** Maps condition attributes (chainId, storeId, id, …) to SQL column expressions. */
export type ColumnMap = Record<string, string>;

const FALSE = 'FALSE';
const TRUE = 'TRUE';

function conditionToSql(conditions: Record<string, unknown> | undefined, columns: ColumnMap, params: SqlParams): string {
  if (!conditions) return TRUE;
  const parts: string[] = [];
  for (const [attribute, expected] of Object.entries(conditions)) {
    const column = columns[attribute];
    if (!column) throw new Error(`no SQL column for condition attribute "${attribute}"`);
    if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && !(expected instanceof Date)) {
      for (const [operator, operand] of Object.entries(expected as Record<string, unknown>)) {
        if (operator === '$in') {
          const list = operand as unknown[];
          parts.push(list.length === 0 ? FALSE : `${column} = ANY(${params.place(list)})`);
        } else if (operator === '$eq') {
          parts.push(`${column} = ${params.place(operand)}`);
        } else {
          throw new Error(`unsupported condition operator ${operator}`);
        }
      }
    } else {
      parts.push(`${column} = ${params.place(expected)}`);
    }
  }
  return parts.length === 0 ? TRUE : `(${parts.join(' AND ')})`;
}

export function accessibleSql(
  ability: AppAbility,
  action: string,
  subjectName: string,
  columns: ColumnMap,
  params: SqlParams,
  field?: string,
): string {
  const rules = ability.rulesFor(action as never, subjectName, field);
  const branches: string[] = [];
  const bounds: string[] = [];
  for (const rule of rules) {
    const sql = conditionToSql(rule.conditions as Record<string, unknown> | undefined, columns, params);
    if (rule.inverted) {
      if (sql === TRUE) break;
      bounds.push(`NOT ${sql}`);
      continue;
    }
    branches.push(bounds.length ? `(${[sql, ...bounds].join(' AND ')})` : sql);
    if (sql === TRUE) break;
  }
  return branches.length === 0 ? FALSE : `(${branches.join(' OR ')})`;
}

/**
 * The documentation stays true to the code. docs/api.md lists every root Query and Mutation field of
 * src/schema/schema.graphql and nothing else, each with the permission the operation guard checks and the
 * demo roles that hold it; the README lists every demo user and every doc, and its demo users sign in to the
 * real server with the password it gives and hold the role it names where it says; every relative link in
 * README.md and docs/*.md points to a file that exists, and every #anchor to a heading of that file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType } from 'graphql';
import { allow, deny } from 'graphql-shield';
import { OPERATION_RULES } from '../../src/policies/operation-guard';
import { DEMO_PASSWORD, DEMO_CHAINS } from '../../src/seed/demo-seed';
import { DEMO_ROLES } from '../../src/seed/demo-roles';
import { totpNow } from '../mfa/mfa-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (relative: string): string => fs.readFileSync(path.join(ROOT, relative), 'utf8');

const DOC_FILES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** Markdown without fenced code blocks (links and headings in examples are not links or headings). */
function withoutFences(markdown: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      out.push('');
      continue;
    }
    out.push(fenced ? '' : line);
  }
  return out.join('\n');
}

/** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1].toLowerCase().replace(/<[^>]*>/g, '').replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

interface Link { doc: string; target: string }

function relativeLinks(doc: string): Link[] {
  // Inline code is not a link (`[a](b)` in a code span), but a link's text may be code: keep the brackets.
  const text = withoutFences(read(doc)).replace(/`[^`\n]*`/g, 'code');
  const links: Link[] = [];
  for (const match of text.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    links.push({ doc, target });
  }
  return links;
}

/** A problem with one link, or null when it resolves. */
function brokenLink({ doc, target }: Link): string | null {
  const [file, anchor] = target.split('#', 2);
  const absolute = file === '' ? path.join(ROOT, doc) : path.resolve(path.dirname(path.join(ROOT, doc)), decodeURIComponent(file));
  const relative = path.relative(ROOT, absolute).split(path.sep).join('/');
  if (relative.startsWith('..')) return `${doc}: ${target} points outside the repository`;
  if (!fs.existsSync(absolute)) {
    return `${doc}: ${target}: no file ${relative}`;
  }
  if (anchor === undefined) return null;
  if (!relative.endsWith('.md')) return `${doc}: ${target}: an anchor into a file that is not Markdown`;
  return headingAnchors(fs.readFileSync(absolute, 'utf8')).has(anchor) ? null : `${doc}: ${target}: no heading #${anchor} in ${relative}`;
}

interface ApiRow { field: string; needs: string; roles: string }

/** The rows of the table under `### <heading>` in docs/api.md. */
function apiRows(heading: string): ApiRow[] {
  const lines = read('docs/api.md').split('\n');
  const start = lines.indexOf(`### ${heading}`);
  if (start < 0) throw new Error(`docs/api.md has no "### ${heading}" heading`);
  const rows: ApiRow[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,3}\s/.test(line)) break;
    if (!line.startsWith('| `')) continue;
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const field = /^`(\w+)/.exec(cells[0]);
    if (!field || cells.length !== 4) throw new Error(`docs/api.md, ${heading}: malformed row: ${line}`);
    rows.push({ field: field[1], needs: cells[1], roles: cells[2] });
  }
  return rows;
}

/** What a root field's operation rule needs, in the table's words. */
function expectedNeeds(rule: unknown): { needs: string; action?: string; subject?: string } {
  if (rule === allow) return { needs: 'none (public)' };
  if (rule === deny) return { needs: 'nobody' };
  const name = (rule as { name?: unknown }).name;
  const may = typeof name === 'string' ? /^may-(\w+)-(\w+)$/.exec(name) : null;
  if (may) return { needs: `\`${may[1]} ${may[2]}\``, action: may[1], subject: may[2] };
  return { needs: 'signed in' };
}

interface DemoUserRow { email: string; name: string; role: string; where: string }

/** The README's demo users table: | Email | Name | Role | Store / region | What they are for |. */
function readmeDemoUsers(): DemoUserRow[] {
  const lines = read('README.md').split('\n');
  const start = lines.indexOf('## Demo users');
  const rows: DemoUserRow[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const email = /^`([^`]+@[^`]+)`$/.exec(cells[0] ?? '');
    if (email) rows.push({ email: email[1], name: cells[1], role: cells[2], where: cells[3] });
  }
  return rows;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const rolesNamedIn = (cell: string): string[] =>
  DEMO_ROLES.map((role) => role.name).filter((name) => new RegExp(`(^|[^\\w])${escapeRegExp(name)}([^\\w]|$)`).test(cell)).sort();

describe('documentation', () => {
  const schema = buildSchema(read('src/schema/schema.graphql'));

  describe.each([
    ['Query', 'Queries'],
    ['Mutation', 'Mutations'],
  ] as const)('docs/api.md lists every %s field', (rootType, heading) => {
    const rows = apiRows(heading);
    const rules = OPERATION_RULES[rootType] as Record<string, unknown>;

    it('exactly the schema\'s root fields, once each', () => {
      const type = schema.getType(rootType);
      if (!isObjectType(type)) throw new Error(`src/schema/schema.graphql has no type ${rootType}`);
      const inSchema = Object.keys(type.getFields()).sort();
      const listed = rows.map((row) => row.field);
      expect(listed.filter((field, i) => listed.indexOf(field) !== i)).toEqual([]);
      expect({ missingFromTheTable: inSchema.filter((f) => !listed.includes(f)), notInTheSchema: listed.filter((f) => !inSchema.includes(f)) })
        .toEqual({ missingFromTheTable: [], notInTheSchema: [] });
    });

    it('with the permission the operation guard checks, and the demo roles that hold it', () => {
      const wrong: string[] = [];
      for (const row of rows) {
        const expected = expectedNeeds(rules[row.field]);
        if (!row.needs.startsWith(expected.needs)) wrong.push(`${row.field}: Needs "${row.needs}", the guard checks ${expected.needs}`);
        const named = rolesNamedIn(row.roles);
        const holders = expected.action
          ? DEMO_ROLES.filter((role) => role.entries.some((entry) => entry.subject === expected.subject && (entry.action === expected.action || entry.action === 'manage')))
            .map((role) => role.name).sort()
          : []; // signed in, or public: no role to name
        if (named.join(', ') !== holders.join(', ')) wrong.push(`${row.field}: roles named ${JSON.stringify(named)}, holders ${JSON.stringify(holders)}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  it('every relative link in README.md and docs/*.md points to a file that exists, and every #anchor to a heading in it', () => {
    const links = DOC_FILES.flatMap(relativeLinks);
    expect(links.length).toBeGreaterThan(50);
    expect(links.map(brokenLink).filter((problem) => problem !== null)).toEqual([]);
  });

  it('the README\'s map links every doc', () => {
    const linked = new Set(relativeLinks('README.md').map((link) => link.target.split('#')[0]));
    const docs = DOC_FILES.filter((doc) => doc !== 'README.md');
    expect(docs.filter((doc) => !linked.has(doc))).toEqual([]);
  });

  describe('the README\'s demo users, on the real server', () => {
    let app: TestApp;
    beforeAll(async () => { app = await startTestApp(); });
    afterAll(async () => { await app?.stop(); });

    it('sign in with the password it gives, under the names it gives, and hold the role it names where it says', async () => {
      const password = /password \*\*`([^`]+)`\*\*/.exec(read('README.md'))?.[1];
      expect(password).toBeDefined();
      const rows = readmeDemoUsers();
      expect(rows.length).toBeGreaterThanOrEqual(10);
      type Assignment = { role: { name: string }; scopeType: string; storeId: string | null; regionId: string | null };
      type Directory = { users: { email: string; roleAssignments: Assignment[] }[]; stores: { id: string; name: string; regionId: string }[] };
      const directories = new Map<string, Directory>();
      const problems: string[] = [];
      for (const row of rows) {
        const signIn = await app.request<{ login: { token: string | null; mfaRequired: boolean; challenge: string | null } }>(
          'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token mfaRequired challenge } }', { e: row.email, p: password });
        let token = signIn.data?.login?.token;
        // A user with TOTP on (the MFA demo user) completes the sign-in with a code of the secret her row gives.
        if (signIn.data?.login?.mfaRequired) {
          const secret = /secret `([A-Z2-7]+)`/.exec(read('README.md').split('\n').find((line) => line.includes(`| \`${row.email}\` |`)) ?? '')?.[1];
          if (!secret) { problems.push(`${row.email}: MFA is on, and the README gives no TOTP secret`); continue; }
          const verified = await app.request<{ verifyMfa: { token: string } }>('mutation($c: String!, $code: String!) { verifyMfa(challenge: $c, code: $code) { token } }',
            { c: signIn.data.login.challenge, code: totpNow(secret) });
          token = verified.data?.verifyMfa?.token;
        }
        // A service account (the BI user) never signs in with a password: it is refused, and acts through an API token.
        const [account] = (await app.ownerCore.query('SELECT kind FROM staff_user WHERE email = $1', [row.email])) as { kind: string }[];
        if (account?.kind === 'SERVICE') {
          if (token) problems.push(`${row.email}: a service account signed in with a password`);
          token = await app.login(row.email);
        }
        if (!token) { problems.push(`${row.email}: sign-in refused: ${JSON.stringify(signIn.errors)}`); continue; }
        const me = await app.request<{ me: { name: string } }>('{ me { name } }', {}, token);
        if (me.data?.me?.name !== row.name) problems.push(`${row.email}: named ${JSON.stringify(me.data?.me?.name)}, the README says ${row.name}`);
        // Each chain manager reads their chain's staff and stores: whom the README's rows describe.
        if (/^Chain manager/.test(row.role)) {
          const directory = await app.request<Directory>('{ users { email roleAssignments { role { name } scopeType storeId regionId } } stores { id name regionId } }', {}, token);
          if (directory.errors || !directory.data) throw new Error(`${row.email}: ${JSON.stringify(directory.errors)}`);
          for (const user of directory.data.users) directories.set(user.email, directory.data);
        }
      }
      for (const row of rows) {
        const directory = directories.get(row.email);
        const user = directory?.users.find((candidate) => candidate.email === row.email);
        if (!directory || !user) { problems.push(`${row.email}: no chain manager of the README lists this user`); continue; }
        if (user.roleAssignments.length === 0) problems.push(`${row.email}: holds no role`);
        for (const assignment of user.roleAssignments) {
          if (!row.role.includes(assignment.role.name)) problems.push(`${row.email}: holds ${assignment.role.name}, the README says ${row.role}`);
          const stores = directory.stores.filter((store) => assignment.scopeType === 'STORE' ? store.id === assignment.storeId : store.regionId === assignment.regionId);
          const expected = assignment.scopeType === 'CHAIN' ? ['whole chain'] : stores.map((store) => store.name);
          if (expected.length === 0 || expected.some((place) => !row.where.includes(place))) {
            problems.push(`${row.email}: ${assignment.role.name} at ${assignment.scopeType} ${JSON.stringify(expected)}, the README says ${row.where}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  });

  it('the README lists every demo user and the demo password', () => {
    const readme = read('README.md');
    expect(readme).toContain(DEMO_PASSWORD);
    const users = DEMO_CHAINS.flatMap((chain) => chain.users.map((user) => user.email));
    expect(users.filter((email) => !readme.includes(`| \`${email}\` |`))).toEqual([]);
  });
});

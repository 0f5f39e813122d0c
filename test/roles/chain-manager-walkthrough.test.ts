/**
 * Keeps docs/chain-managers.md runnable: extracts every ```sh block of the walkthrough and runs them, in
 * order, in one bash (with -e and pipefail, PORT set to a real test server), after each block printing a
 * marker. Every block must succeed (its GraphQL answers carry no errors: the page's `gql` helper fails
 * otherwise), and the answers must say what the page says they say: the receptionist is refused a date of
 * birth, then granted it, the preview names her and the locum, the assignment reaches York. Afterwards the
 * demo data is as it was (the walkthrough's last step puts it back). A failure prints the script's output.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';

const DOC = path.join(__dirname, '..', '..', 'docs', 'chain-managers.md');

/** The page's ```sh blocks, in order (other fences, e.g. ```console for starting the server, are not run). */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

function run(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('docs/chain-managers.md', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.stop());

  it('runs, block by block, against a real server, and says what it claims', async () => {
    const blocks = shellBlocks(fs.readFileSync(DOC, 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    const script = blocks.map((block, i) => `${block}\necho "@@ block ${i + 1} done"\n`).join('\n');
    const port = new URL(app.url).port;
    // The role's entries as a set (a saved entry's fields are stored sorted).
    const receptionistEntries = () => app.ownerCore.query(`SELECT p.action, p.subject, ARRAY(SELECT unnest(p.fields) ORDER BY 1) AS fields
      FROM role_permission p JOIN role r ON r.id = p.role_id WHERE r.name = 'Receptionist' ORDER BY 1, 2`);
    const before = await receptionistEntries();
    const assignmentsBefore = await app.ownerCore.query('SELECT count(*)::int AS n FROM role_assignment');

    const { code, output } = await run(script, { PATH: process.env.PATH, HOME: process.env.HOME, PORT: port });
    if (code !== 0) console.log(output);
    expect(code).toBe(0);
    // Every block ran to its end.
    for (let i = 1; i <= blocks.length; i++) expect(output).toContain(`@@ block ${i} done`);

    // What the page claims, in its order.
    const claims = [
      '"name": "Catherine Hale"',
      'Rita Okafor is ',
      '"city": "York"',
      '"name": "North"',
      'not granted, as expected',
      '"permissionsGained": [\n          "read dateOfBirth"',
      '"email": "locum@clearview.example"',
      'granted now',
      'reads prescriptions at York',
      '"action": "ASSIGNMENT_CREATED"',
    ];
    let at = 0;
    for (const claim of claims) {
      const found = output.indexOf(claim, at);
      expect(found === -1 ? `missing after offset ${at}: ${claim}` : 'found').toBe('found');
      at = found;
    }
    // The last step put the demo back: the Receptionist role's entries and the assignments as before.
    expect(await receptionistEntries()).toEqual(before);
    expect(await app.ownerCore.query('SELECT count(*)::int AS n FROM role_assignment')).toEqual(assignmentsBefore);
  });
});

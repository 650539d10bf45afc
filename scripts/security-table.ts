import * as fs from 'fs';
import * as path from 'path';
import { AIR_GAPPED_ROWS, CENTRAL_VAULT_READER_ROWS, EXAMPLE_ROWS } from '../simulation/access-rows';

/** Every row simulated against the bundled example (which uses centralVault.kind both). */
const ROWS = [...EXAMPLE_ROWS, ...CENTRAL_VAULT_READER_ROWS, ...AIR_GAPPED_ROWS];

/**
 * The "Who can do what to the backups" table of docs/security.md, generated from the rows the IAM
 * simulation suite evaluates against the synthesized policies (so the table cannot drift from what
 * is tested).
 *   npm run security-table             # print it
 *   npm run security-table -- --write  # replace it in docs/security.md
 */
export const SECURITY_TABLE_FILE = path.join(__dirname, '..', 'docs', 'security.md');

const START = '<!-- security-table:start -->';
const END = '<!-- security-table:end -->';

const short = (arn: string) => arn.replace(/^arn:aws:/, '').replace(/^key-of:arn:aws:backup:[^:]+:(\d+):backup-vault:(.*)$/, 'key of vault $2 ($1)');

export function securityTable(): string {
  const lines = ['| expectation | principal | action | resource | result |', '|---|---|---|---|---|'];
  for (const row of ROWS) {
    const r = row.request;
    lines.push(`| ${row.description} | \`${short(r.principalArn)}\` | \`${r.action}\` | \`${short(r.resourceArn)}\` | ${row.expected === 'Allowed' ? '✅ allowed' : '⛔ denied'} |`);
  }
  return `${START}\n${lines.join('\n')}\n${END}`;
}

if (require.main === module) {
  const table = securityTable();
  if (process.argv.includes('--write')) {
    const file = SECURITY_TABLE_FILE;
    const name = path.relative(path.join(__dirname, '..'), file);
    const text = fs.readFileSync(file, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    if (start < 0 || end < 0) throw new Error(`${name} has no ${START} ... ${END} section`);
    fs.writeFileSync(file, text.slice(0, start) + table + text.slice(end + END.length));
    process.stdout.write(`${name}: ${ROWS.length} rows\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
}

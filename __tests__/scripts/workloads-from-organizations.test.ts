import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../../config/load';
import {
  DEFAULT_RULES,
  MAX_WORKLOAD_NAME_LENGTH,
  OrganizationsInputError,
  baseWorkloadName,
  parseDetails,
  parseListAccounts,
  parseTagFilter,
  uniqueName,
  validateRules,
  workloadsFromOrganizations,
  type OrganizationsAccount,
} from '../../scripts/organizations/workloads';
import { runScript } from '../helpers/run-script';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'organizations');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const accounts = parseListAccounts(readJson(path.join(FIXTURES, 'list-accounts.json')));
const details = parseDetails(readJson(path.join(FIXTURES, 'details.json')));
/** Backup-vault, DR and management accounts of the fixture (and of the example estate). */
const ESTATE_ACCOUNTS = ['111111111111', '222222222222', '999999999999'];
const NAME = /^[a-z][a-z0-9-]*$/;

const names = (ws: { name: string }[]) => ws.map((w) => w.name);
const ids = (ws: { accountId: string }[]) => ws.map((w) => w.accountId).sort();

function exampleWith(workloads: unknown[]): Record<string, unknown> {
  const raw = readJson(EXAMPLE_CONFIG_PATH) as Record<string, unknown>;
  return { ...raw, workloads };
}

describe('workloadsFromOrganizations: filtering', () => {
  it('keeps ACTIVE accounts only (State wins over the deprecated Status) and drops excluded ones', () => {
    const { workloads, skipped } = workloadsFromOrganizations(accounts, undefined, { exclude: ESTATE_ACCOUNTS });
    expect(ids(workloads)).toEqual(['101010101010', '121212121212', '333333333333', '444444444444', '555555555555', '666666666666', '888888888888']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.id, s.reason]));
    expect(reasons).toEqual({
      '111111111111': 'excluded',
      '222222222222': 'excluded',
      '999999999999': 'excluded',
      '777777777777': 'not ACTIVE (SUSPENDED)',
      '131313131313': 'not ACTIVE (CLOSED)',
      '141414141414': 'not ACTIVE (PENDING_CLOSURE)',
    });
  });

  it('never makes a workload of the backup-vault, DR or management account when they are excluded', () => {
    const { workloads } = workloadsFromOrganizations(accounts, details, { exclude: ESTATE_ACCOUNTS, tags: [{ key: 'env', value: 'prod' }] });
    for (const id of ESTATE_ACCOUNTS) expect(ids(workloads)).not.toContain(id);
  });

  it('filters by direct parent OU (any of several)', () => {
    expect(ids(workloadsFromOrganizations(accounts, details, { ous: ['ou-ab12-11111111'] }).workloads)).toEqual(['333333333333', '444444444444', '555555555555', '666666666666']);
    expect(ids(workloadsFromOrganizations(accounts, details, { ous: ['ou-ab12-11111111', 'ou-ab12-22222222'] }).workloads)).toEqual([
      '101010101010',
      '333333333333',
      '444444444444',
      '555555555555',
      '666666666666',
      '888888888888',
    ]);
    const { skipped } = workloadsFromOrganizations(accounts, details, { ous: ['ou-ab12-22222222'] });
    expect(skipped.find((s) => s.id === '333333333333')?.reason).toBe('not in ou-ab12-22222222 (parent ou-ab12-11111111)');
  });

  it('filters by tags (all of them; object or Key/Value list form; key alone = any value)', () => {
    const backup = workloadsFromOrganizations(accounts, details, { tags: [parseTagFilter('dr-backup=yes')] }).workloads;
    expect(ids(backup)).toEqual(['333333333333', '444444444444', '555555555555', '666666666666', '888888888888']);
    const prodBackup = workloadsFromOrganizations(accounts, details, { tags: [parseTagFilter('dr-backup=yes'), parseTagFilter('env=prod')] }).workloads;
    expect(ids(prodBackup)).toEqual(['333333333333', '444444444444', '555555555555', '888888888888']);
    const anyRole = workloadsFromOrganizations(accounts, details, { tags: [parseTagFilter('dr-role')] }).workloads;
    expect(ids(anyRole)).toEqual(['111111111111', '222222222222']);
    const both = workloadsFromOrganizations(accounts, details, { ous: ['ou-ab12-22222222'], tags: [parseTagFilter('dr-backup=yes')] }).workloads;
    expect(ids(both)).toEqual(['888888888888']);
  });

  it('refuses an OU or tag filter without the details file, and bad options', () => {
    expect(() => workloadsFromOrganizations(accounts, undefined, { ous: ['ou-ab12-11111111'] })).toThrow(/needs the details file/);
    expect(() => workloadsFromOrganizations(accounts, undefined, { tags: [{ key: 'env' }] })).toThrow(/needs the details file/);
    expect(() => workloadsFromOrganizations(accounts, undefined, { region: 'ap-northeast-9' })).toThrow(OrganizationsInputError);
    expect(() => workloadsFromOrganizations(accounts, undefined, { roleName: 'bad role' })).toThrow(/--role-name/);
    expect(() => workloadsFromOrganizations(accounts, undefined, { exclude: ['1234'] })).toThrow(/--exclude "1234"/);
    expect(() => parseTagFilter('=x')).toThrow(/key=value/);
    expect(parseTagFilter('a=b=c')).toEqual({ key: 'a', value: 'b=c' });
    expect(parseTagFilter('a=')).toEqual({ key: 'a', value: '' });
  });

  it('rejects malformed exports with a clear message', () => {
    expect(() => parseListAccounts([])).toThrow(/list-accounts/);
    expect(() => parseListAccounts({ Accounts: [{ Id: '12' }] })).toThrow(/Accounts\[0\]\.Id/);
    expect(() => parseListAccounts({ Accounts: [{ Id: '123456789012', Name: 5 }] })).toThrow(/Accounts\[0\]\.Name/);
    expect(() => parseDetails({ abc: {} })).toThrow(/12-digit/);
    expect(() => parseDetails({ '123456789012': { tags: [{ Key: 'a' }] } })).toThrow(/tags/);
    expect(() => parseDetails({ '123456789012': { parentId: 7 } })).toThrow(/parentId/);
  });
});

describe('workload names', () => {
  it('derives names from the fixture accounts: Unicode, long, leading digit, collisions', () => {
    const { workloads } = workloadsFromOrganizations(accounts, undefined, { exclude: ESTATE_ACCOUNTS });
    const byId = Object.fromEntries(workloads.map((w) => [w.accountId, w.name]));
    expect(byId).toEqual({
      '333333333333': 'shop-production',
      '666666666666': 'shop-production-2',
      '444444444444': 'billing',
      '555555555555': 'cafe-analytics-prod',
      '888888888888': 'account-888888888888',
      '101010101010': 'customer-experience-pl',
      '121212121212': 'acct-2024-migration',
    });
    expect(names(workloads)).toEqual([...names(workloads)].sort());
  });

  it.each([
    ['Shop', 'shop'],
    ['  --Shop__Prod!!  ', 'shop-prod'],
    ['Ünïcödé Ünit', 'unicode-unit'],
    ['Straße Œuvre Ærø Łódź', 'strasse-oeuvre-aero-lo'],
    ['İstanbul', 'istanbul'],
    ['东京 Tokyo 🚀', 'tokyo'],
    ['데이터 플랫폼', 'account-123456789012'],
    ['🚀🚀🚀', 'account-123456789012'],
    ['', 'account-123456789012'],
    ['42', 'acct-42'],
    ['9 Lives Of A Very Long Account Name', 'acct-9-lives-of-a-very'],
    ['A Very Long Account Name For Production Workloads', 'a-very-long-account-na'],
    ['abcdefghijklmnopqrstu-vwxyz', 'abcdefghijklmnopqrstu'],
  ])('%j → %s', (accountName, expected) => {
    const name = baseWorkloadName(accountName, '123456789012');
    expect(name).toBe(expected);
    expect(name).toMatch(NAME);
    expect(name.length).toBeLessThanOrEqual(MAX_WORKLOAD_NAME_LENGTH);
    expect(name.endsWith('-')).toBe(false);
  });

  it('adds a numeric suffix on collision, keeping the limit', () => {
    const taken = new Set(['shop', 'shop-2']);
    expect(uniqueName('shop', taken)).toBe('shop-3');
    expect(uniqueName('billing', taken)).toBe('billing');
    const long = 'customer-experience-pl';
    const takenLong = new Set([long]);
    for (let n = 2; n <= 12; n++) {
      const next = uniqueName(long, takenLong);
      expect(next.length).toBeLessThanOrEqual(MAX_WORKLOAD_NAME_LENGTH);
      expect(next).toMatch(NAME);
      expect(next.endsWith(`-${n}`)).toBe(true);
      takenLong.add(next);
    }
    expect(takenLong.size).toBe(12);
    // A truncation that ends in "-" does not give "--".
    expect(uniqueName('abcdefghijklmnopqrs-uv', new Set(['abcdefghijklmnopqrs-uv']))).toBe('abcdefghijklmnopqrs-2');
  });

  it('avoids reserved names (e.g. the workloads already in the configuration)', () => {
    const { workloads } = workloadsFromOrganizations([{ Id: '123456789012', Name: 'Shop', Status: 'ACTIVE' }], undefined, { reservedNames: ['shop'] });
    expect(names(workloads)).toEqual(['shop-2']);
  });
});

describe('the produced workloads', () => {
  it('have the configuration shape: role ARN, region, selection tag = name, default daily rule', () => {
    const { workloads } = workloadsFromOrganizations(accounts, undefined, { exclude: ESTATE_ACCOUNTS, region: 'ap-northeast-2', roleName: 'dr-deployer', selectionTagKey: 'dr' });
    expect(workloads.find((w) => w.accountId === '444444444444')).toEqual({
      name: 'billing',
      accountId: '444444444444',
      roleArn: 'arn:aws:iam::444444444444:role/dr-deployer',
      region: 'ap-northeast-2',
      backup: { selectionTag: { key: 'dr', value: 'billing' }, rules: [{ name: 'daily', schedule: 'cron(0 17 * * ? *)', retentionDays: 35, copyRetentionDays: 90 }] },
    });
    const noRegion = workloadsFromOrganizations(accounts, undefined, { exclude: ESTATE_ACCOUNTS }).workloads;
    expect(noRegion.every((w) => !('region' in w))).toBe(true);
    expect(noRegion[0].roleArn).toMatch(/^arn:aws:iam::\d{12}:role\/terraform-dr$/);
    expect(noRegion[0].backup.selectionTag.key).toBe('backup-plan');
    expect(noRegion[0].backup.rules).toEqual(DEFAULT_RULES);
    expect(noRegion[0].backup.rules).not.toBe(DEFAULT_RULES);
  });

  it('use a validated rule template', () => {
    const template = [
      { name: 'daily', schedule: 'cron(0 17 * * ? *)', retentionDays: 35, copyRetentionDays: 90 },
      { name: 'monthly', schedule: 'cron(0 18 1 * ? *)', retentionDays: 365, copyRetentionDays: 730, coldStorageAfterDays: 30 },
    ];
    const rules = validateRules(template);
    const { workloads } = workloadsFromOrganizations(accounts, undefined, { exclude: ESTATE_ACCOUNTS, rules });
    expect(workloads[0].backup.rules).toEqual(template);
    expect(() => validateRules([{ name: 'x', schedule: 'cron(0 17 * * * *)', retentionDays: 1, copyRetentionDays: 1 }])).toThrow(/rules\[0\]\.schedule/);
    expect(() => validateRules([])).toThrow(/at least one backup rule/);
    expect(() => validateRules({ name: 'daily' })).toThrow(/invalid backup rules/);
  });

  it('pass parseConfig in the example estate, for the fixture export', () => {
    const { workloads } = workloadsFromOrganizations(accounts, details, { exclude: ESTATE_ACCOUNTS, region: 'ap-northeast-2' });
    const config = parseConfig(exampleWith(workloads));
    expect(config.workloads).toHaveLength(7);
  });

  it('pass parseConfig in the example estate for 200 generated accounts (names colliding, long, Unicode)', () => {
    const stems = ['Shop', 'Shop!', 'SHOP', 'Café Analytics – Production Platform', '데이터', 'Billing & Payments', '2025 Data Lake', 'shop-2'];
    const generated: OrganizationsAccount[] = Array.from({ length: 230 }, (_, i) => ({
      Id: String(300000000000 + i * 7919),
      Arn: `arn:aws:organizations::999999999999:account/o-a1b2c3d4e5/${300000000000 + i * 7919}`,
      Name: `${stems[i % stems.length]}${i % 3 === 0 ? '' : ` ${Math.floor(i / stems.length)}`}`,
      Status: i >= 200 ? 'SUSPENDED' : 'ACTIVE',
    }));
    // The estate's own accounts are in the export too and must not become workloads.
    const all = [...generated, ...accounts.filter((a) => ESTATE_ACCOUNTS.includes(a.Id))];
    const { workloads, skipped } = workloadsFromOrganizations(all, undefined, { exclude: ESTATE_ACCOUNTS, region: 'ap-northeast-2' });
    expect(workloads).toHaveLength(200);
    expect(skipped).toHaveLength(33);
    expect(new Set(names(workloads)).size).toBe(200);
    for (const w of workloads) {
      expect(w.name).toMatch(NAME);
      expect(w.name.length).toBeLessThanOrEqual(MAX_WORKLOAD_NAME_LENGTH);
    }
    // The longest estate name and workspace prefix: every derived name must still fit.
    const raw = exampleWith(workloads);
    raw.name = 'a'.repeat(20);
    raw.terraformCloud = { organization: 'acme', workspacePrefix: 'p'.repeat(40) };
    expect(parseConfig(raw).workloads).toHaveLength(200);
    expect(() => parseConfig(exampleWith(workloads))).not.toThrow();
    // Deterministic whatever the order of the export.
    expect(workloadsFromOrganizations([...all].reverse(), undefined, { exclude: ESTATE_ACCOUNTS, region: 'ap-northeast-2' }).workloads).toEqual(workloads);
  });
});

describe('npm run workloads-from-organizations', () => {
  const run = (args: string[]) => runScript('scripts/workloads-from-organizations.ts', args);

  it('prints the workloads JSON for the fixture export, excluding the example estate accounts via --config', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-orgs-'));
    const template = path.join(dir, 'rules.json');
    fs.writeFileSync(template, JSON.stringify([{ name: 'nightly', schedule: 'cron(0 18 * * ? *)', retentionDays: 14, copyRetentionDays: 30 }]));
    const r = run([
      '--accounts', path.join(FIXTURES, 'list-accounts.json'),
      '--details', path.join(FIXTURES, 'details.json'),
      '--ou', 'ou-ab12-11111111,ou-ab12-22222222',
      '--tag', 'dr-backup=yes',
      '--exclude', '999999999999',
      '--config', EXAMPLE_CONFIG_PATH,
      '--region', 'ap-northeast-2',
      '--rule-template', template,
    ]);
    expect(r.status).toBe(0);
    const workloads = JSON.parse(r.stdout) as { name: string; accountId: string; backup: { rules: { name: string }[] } }[];
    // 333333333333 is already the example's "shop" workload: skipped.
    expect(workloads.map((w) => [w.accountId, w.name])).toEqual([
      ['888888888888', 'account-888888888888'],
      ['444444444444', 'billing'],
      ['555555555555', 'cafe-analytics-prod'],
      ['666666666666', 'shop-production'],
    ]);
    expect(workloads[0].backup.rules.map((x) => x.name)).toEqual(['nightly']);
    expect(r.stderr).toContain('skipped 333333333333 "Shop (Production)": excluded');
    expect(r.stderr).toContain('13 accounts: 4 workloads, 9 skipped');
    // Appending the output to the example's workloads gives a valid configuration.
    const raw = readJson(EXAMPLE_CONFIG_PATH) as { workloads: unknown[] };
    expect(parseConfig({ ...raw, workloads: [...raw.workloads, ...workloads] }).workloads).toHaveLength(5);
  });

  it('exits 1 with a message on bad input', () => {
    const missing = run([]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('--accounts FILE is required');
    const noDetails = run(['--accounts', path.join(FIXTURES, 'list-accounts.json'), '--ou', 'ou-ab12-11111111']);
    expect(noDetails.status).toBe(1);
    expect(noDetails.stderr).toContain('needs the details file');
    const unknown = run(['--acounts', 'x']);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
  });
});

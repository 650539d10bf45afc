import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, parseConfig } from '../../config/load';
import { buildReadinessReport, type ReadinessReport, type WorkloadReadiness } from '../../scripts/readiness/report';
import { renderText, table } from '../../scripts/readiness/render';
import { runReadiness } from '../../scripts/readiness/run';
import { parseReadinessArgs, UsageError } from '../../scripts/readiness/options';
import { readSynthesized } from '../../scripts/readiness/synthesized';
import { loadConfigForReadiness } from '../../scripts/readiness/load';
import { estimateCost } from '../../cost';
import { failbackInput, noFailbackInput } from '../helpers/failback';
import { EXAMPLE_CONFIG, FIXTURES, ROOT, exampleInput, readJson, synthEstate, tempDir } from '../helpers/synth';

const THREE = path.join(FIXTURES, 'three-workloads.json');

function writeConfig(raw: unknown): string {
  const file = path.join(tempDir(), 'estate.json');
  fs.writeFileSync(file, JSON.stringify(raw));
  return file;
}

const codes = (findings: { code: string; severity: string }[]) => findings.map((f) => `${f.severity}:${f.code}`);

/** A report from a configuration alone (no synthesized output read). */
function reportFor(raw: Record<string, any>): ReadinessReport {
  const file = writeConfig(raw);
  const { config, issues } = loadConfigForReadiness(file);
  return buildReadinessReport({ config, configPath: file, issues, synthesized: { missing: 'not synthesized in this test' } });
}

/** The example with an RPO its daily schedule cannot meet: the synth refuses it, readiness reports it. */
function rpoViolating(): Record<string, any> {
  const raw = exampleInput() as Record<string, any>;
  raw.workloads[0].targets = { rtoMinutes: 60, rpoMinutes: 60 };
  return raw;
}

let exampleOut: string;
let threeOut: string;

beforeAll(() => {
  exampleOut = synthEstate(exampleInput());
  threeOut = synthEstate(readJson(THREE));
});

describe('npm run readiness on the bundled example', () => {
  let run: ReturnType<typeof runReadiness>;
  let shop: WorkloadReadiness;
  beforeAll(() => {
    run = runReadiness({ config: EXAMPLE_CONFIG, out: exampleOut, synth: false, json: false });
    shop = run.report.workloads[0];
  });

  it('is ready (exit 0), with the warnings a real account needs attention for', () => {
    expect(run.exitCode).toBe(0);
    // The example uses centralVault.kind both with restore testing.
    expect(run.report.summary).toEqual({ errors: 0, warnings: 5, ready: true });
    expect(codes(run.report.findings)).toEqual(['warning:cross-account-opt-in', 'warning:air-gapped-always-compliance']);
    expect(codes(shop.findings)).toEqual(['warning:cmk-required-for-copy', 'warning:dynamodb-advanced-backup', 'warning:air-gapped-resource-support']);
    expect(shop.findings[0].message).toMatch(/^EBS, EC2, RDS, Aurora recovery points keep the source resource's KMS key: .*customer managed key.*111111111111/);
  });

  it('prints a table per workload: targets, worst-case RPO, copy path, vault, restore testing, servers, state machine', () => {
    const rows = Object.fromEntries(
      run.output
        .split('\n')
        .filter((l) => l.startsWith('| '))
        .map((l) => l.slice(2, -2).split(' | ').map((c) => c.trim()) as [string, string]),
    );
    expect(rows).toMatchObject({
      targets: 'RTO 4 h (240 min) · RPO 24 h (1440 min)',
      'backup rules': 'daily cron(0 17 * * ? *): at worst every 24 h',
      'worst-case RPO': '24 h (1440 min), rule daily: meets RPO 24 h',
      'copy path': 'acme-shop-local (333333333333, ap-northeast-2) → acme-central (111111111111, ap-northeast-1) + acme-air-gapped (111111111111, ap-northeast-1, air-gapped, shared with the DR account) → acme-dr-restore (222222222222, ap-northeast-1, at recovery)',
      vault: 'kind both: locked acme-central (ap-northeast-1): Vault Lock governance, retention 7-3650 days + air-gapped acme-air-gapped (ap-northeast-1): always compliance, retention 7-3650 days, shared with the DR account',
      'restore testing': 'on: cron(0 5 ? * SUN *), EBS, RDS, DynamoDB, S3, points of the last 7 days from acme-air-gapped or acme-dr-restore, kept 4 h; plan acme_shop_restore_test present in the synthesized output',
      servers: 'app: 2 × m7g.large, AMI parameter /acme/dr/ami/shop/app (ami-0123456789abcdef0), launch template acme-shop-app present in stack dr',
      'recovery state machine': 'acme-recovery present in stack dr',
      'Resilience Hub': 'off (readiness.resilienceHubPolicies)',
    });
    expect(run.output).toContain('Workload shop · account 333333333333 · ap-northeast-2 · stack workload-shop');
    expect(run.output).toContain('  WARNING [cross-account-opt-in] accounts.management: is not set');
    expect(run.output.trimEnd().split('\n').pop()).toBe('READY: 0 errors, 5 warnings');
  });

  it('shows the monthly cost beside the targets and the worst-case RPO, per workload and for the estate', () => {
    const estimate = estimateCost(parseConfig(exampleInput()));
    expect(shop.monthlyCost).toEqual({ usd: estimate.workloads[0].totalMonthlyUsd, priceDate: estimate.priceDate });
    expect(run.report.monthlyCost).toEqual({ usd: estimate.totalMonthlyUsd, priceDate: estimate.priceDate });
    expect(estimate.totalMonthlyUsd).toBeGreaterThan(estimate.workloads[0].totalMonthlyUsd);
    const rows = renderText(run.report).split('\n');
    const rpoRow = rows.findIndex((l) => l.startsWith('| worst-case RPO'));
    expect(rows[rpoRow + 1]).toContain(`| monthly cost `);
    expect(rows[rpoRow + 1]).toContain(`$${estimate.workloads[0].totalMonthlyUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} a month (estimate, prices of ${estimate.priceDate}`);
  });

  it('says why there is no cost estimate when a price is missing, and still reports the rest', () => {
    const raw = exampleInput() as Record<string, any>;
    raw.regions.primary = 'eu-north-1';
    raw.workloads[0].region = undefined;
    const report = reportFor(raw);
    expect(report.workloads[0].monthlyCost).toEqual({ error: expect.stringMatching(/eu-north-1/) });
    expect(renderText(report)).toMatch(/\| monthly cost +\| no estimate: .*eu-north-1/);
    expect(report.workloads[0].schedule.mostFrequentRule).toBe('daily');
  });

  it('shows whether failback is configured, and what configuring it needs', () => {
    // The example configures failback for its workload (scale down to 0, no DNS record, 72 h grace period).
    expect(shop.failback).toEqual({ configured: true, freeze: 'scale server groups to 0', dnsSwitch: false, graceHours: 72, roleName: 'acme-shop-failback' });
    expect(renderText(run.report)).toMatch(/\| failback +\| configured: role acme-shop-failback, freeze scale server groups to 0, no DNS switch, DR cleanup after 72 h and a second approval/);
    const without = reportFor(noFailbackInput());
    expect(without.workloads[0].failback).toEqual({ configured: false, needs: expect.arrayContaining([expect.stringMatching(/^subnetIds and securityGroupIds/), expect.stringMatching(/^kmsKeyArn/)]) });
    expect(renderText(without)).toMatch(/\| failback +\| not configured \(workloads\[\]\.failback needs: subnetIds/);
    const configured = reportFor(failbackInput({ freeze: { kind: 'runbook', documentName: 'acme-stop-writers' }, graceHours: 24 }));
    expect(configured.workloads[0].failback).toEqual({ configured: true, freeze: 'runbook acme-stop-writers', dnsSwitch: false, graceHours: 24, roleName: 'acme-shop-failback' });
    expect(renderText(configured)).toContain('| failback ');
    expect(renderText(configured)).toContain('configured: role acme-shop-failback, freeze runbook acme-stop-writers, no DNS switch, DR cleanup after 24 h and a second approval');
  });

  it('reads the server roles and the state machine from the synthesized DR stack', () => {
    const read = readSynthesized(exampleOut);
    if (!read.ok) throw new Error(read.reason);
    expect(read.estate.servers).toEqual([{ workload: 'shop', role: 'app', launchTemplateName: 'acme-shop-app', amiParameter: '/acme/dr/ami/shop/app', amiId: 'ami-0123456789abcdef0' }]);
    expect(read.estate.drStateMachines).toEqual(['acme-failback', 'acme-recovery']);
    expect(read.estate.drAccountIds).toEqual(['222222222222']);
    expect(read.estate.stacks).toEqual(['backup-vault', 'dr', 'workload-shop']);
  });

  it('prints machine-readable JSON with --json', () => {
    const json = runReadiness({ config: EXAMPLE_CONFIG, out: exampleOut, synth: false, json: true });
    const parsed = JSON.parse(json.output);
    expect(parsed.summary).toEqual({ errors: 0, warnings: 5, ready: true });
    expect(parsed.workloads[0]).toMatchObject({
      name: 'shop',
      targets: { rtoMinutes: 240, rpoMinutes: 1440 },
      schedule: { mostFrequentRule: 'daily', continuousRule: null, workloadRegionRpoMinutes: 1440, recoveryRegionRpoMinutes: 1440, meetsTarget: true, rules: [{ name: 'daily', worstCaseIntervalMinutes: 1440, continuous: false }] },
      copyPath: [{ kind: 'local' }, { kind: 'central', accountId: '111111111111', region: 'ap-northeast-1' }, { kind: 'air-gapped', accountId: '111111111111', region: 'ap-northeast-1' }, { kind: 'dr-restore', accountId: '222222222222' }],
      restoreTesting: { planName: 'acme_shop_restore_test', vaults: ['acme-air-gapped', 'acme-dr-restore'], synthesized: true },
      servers: [{ role: 'app', amiParameter: '/acme/dr/ami/shop/app', launchTemplateName: 'acme-shop-app', synthesized: true }],
      recoveryStateMachine: { name: 'acme-recovery', synthesized: true },
    });
    expect(parsed.workloads[0].findings.map((f: { code: string }) => f.code)).toEqual(['cmk-required-for-copy', 'dynamodb-advanced-backup', 'air-gapped-resource-support']);
  });

  it('synthesizes into a temporary directory itself with --synth, leaving nothing behind', () => {
    const synth = runReadiness({ config: EXAMPLE_CONFIG, out: path.join(tempDir(), 'unused'), synth: true, json: false });
    expect(synth.exitCode).toBe(0);
    expect(synth.report.outDir).toBe('(temporary synth)');
    expect(synth.report.workloads[0].servers[0].synthesized).toBe(true);
  });
});

describe('an RPO the schedule cannot meet', () => {
  it('is an error finding naming both fields and both numbers; exit 1', () => {
    const run = runReadiness({ config: writeConfig(rpoViolating()), out: exampleOut, synth: false, json: false });
    expect(run.exitCode).toBe(1);
    const [finding] = run.report.workloads[0].findings;
    expect(finding).toEqual({
      severity: 'error',
      code: 'rpo-not-met',
      path: 'workloads[0].targets.rpoMinutes',
      message: expect.stringMatching(/^is 60 minutes but the most frequent backup rule, workloads\[0\]\.backup\.rules\[0\]\.schedule "cron\(0 17 \* \* \? \*\)", runs at worst every 1440 minutes \(24 h\).*raise targets\.rpoMinutes to at least 1440$/),
    });
    expect(run.report.workloads[0].schedule.meetsTarget).toBe(false);
    expect(run.output).toContain('| worst-case RPO         | 24 h (1440 min), rule daily: DOES NOT meet RPO 1 h |');
    expect(run.output).toContain('  ERROR   [rpo-not-met] workloads[0].targets.rpoMinutes: is 60 minutes');
    expect(run.output.trimEnd().split('\n').pop()).toBe('NOT READY: 1 error, 5 warnings (errors would break a recovery; fix them first)');
  });

  it('is what the synth refuses: the same configuration fails loadConfig', () => {
    expect(() => parseConfig(rpoViolating())).toThrow(ConfigError);
  });

  it('through the CLI: prints the finding, text and JSON, and exits 1', () => {
    const file = writeConfig(rpoViolating());
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const text = spawnSync(tsx, ['scripts/readiness.ts', '--out', exampleOut], { cwd: ROOT, env: { ...process.env, DR_CONFIG: file }, encoding: 'utf8' });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('ERROR   [rpo-not-met] workloads[0].targets.rpoMinutes');
    const json = spawnSync(tsx, ['scripts/readiness.ts', '--config', file, '--out', exampleOut, '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.summary).toMatchObject({ errors: 1, ready: false });
    expect(report.workloads[0].findings[0]).toMatchObject({ severity: 'error', code: 'rpo-not-met' });
  });
});

describe('the synthesized output', () => {
  it('missing: an error saying to run npm run synth first; the rest is still reported', () => {
    const run = runReadiness({ config: EXAMPLE_CONFIG, out: path.join(tempDir(), 'cdktf.out'), synth: false, json: false });
    expect(run.exitCode).toBe(1);
    expect(run.report.findings[0]).toMatchObject({ severity: 'error', code: 'synth-missing', message: expect.stringMatching(/does not exist\. Run `npm run synth` first/) });
    expect(run.report.workloads[0].servers[0].synthesized).toBeNull();
    expect(run.output).toContain('launch template acme-shop-app not checked (no synthesized output)');
  });

  it('from another configuration: stale stacks are warnings, missing server roles errors', () => {
    const run = runReadiness({ config: THREE, out: exampleOut, synth: false, json: false });
    expect(run.exitCode).toBe(1);
    const byName = Object.fromEntries(run.report.workloads.map((w) => [w.name, w]));
    expect(codes(byName.billing.findings)).toContain('warning:synth-stale');
    expect(codes(byName.shop.findings)).toContain('error:server-not-synthesized');
    expect(byName.shop.findings.find((f) => f.code === 'server-not-synthesized')!.message).toMatch(/^server role web has no launch template acme-shop-web in the synthesized DR stack/);
    expect(codes(byName.analytics.findings)).toContain('error:server-not-synthesized');
  });
});

describe('the three-workload fixture', () => {
  let report: ReadinessReport;
  beforeAll(() => {
    report = runReadiness({ config: THREE, out: threeOut, synth: false, json: false }).report;
  });

  it('is ready: the organization stack switches on cross-account backup', () => {
    expect(report.summary.ready).toBe(true);
    expect(report.crossAccountOptIn).toEqual({ managedByStack: true, regions: ['ap-northeast-1', 'ap-northeast-2', 'us-east-1'] });
    expect(codes(report.findings)).toEqual([]);
  });

  it('shop: a continuous rule meets the RPO locally, but the copies in the recovery region are hourly snapshots', () => {
    const shop = report.workloads.find((w) => w.name === 'shop')!;
    expect(shop.schedule).toMatchObject({ continuousRule: 'pitr', mostFrequentRule: 'pitr', workloadRegionRpoMinutes: 5, recoveryRegionRpoMinutes: 60, meetsTarget: true });
    expect(shop.findings.find((f) => f.code === 'continuous-copy-is-snapshot')).toMatchObject({
      severity: 'warning',
      path: 'workloads[0].backup.rules[1].continuous',
      message: expect.stringMatching(/after the loss of ap-northeast-2 the RPO is 1 h \(rule pitr\)\.$/),
    });
    expect(shop.copyPath.map((h) => `${h.vault}@${h.region}`)).toEqual(['acme-shop-local@ap-northeast-2', 'acme-central@ap-northeast-1', 'acme-central@ap-northeast-2', 'acme-dr-restore@ap-northeast-1']);
    expect(shop.servers.map((s) => [s.role, s.launchTemplateName, s.synthesized])).toEqual([
      ['web', 'acme-shop-web', true],
      ['app', 'acme-shop-app', true],
    ]);
  });

  it('analytics: weekly backups meet its stated 7-day RPO; billing: rate(12 hours)', () => {
    const analytics = report.workloads.find((w) => w.name === 'analytics')!;
    expect(analytics.schedule).toMatchObject({ workloadRegionRpoMinutes: 10080, meetsTarget: true });
    expect(report.workloads.find((w) => w.name === 'billing')!.schedule).toMatchObject({ workloadRegionRpoMinutes: 720, meetsTarget: true });
    expect(codes(report.workloads.find((w) => w.name === 'billing')!.findings)).toEqual(['warning:cmk-required-for-copy', 'warning:dynamodb-advanced-backup']);
  });
});

describe('findings from the configuration', () => {
  it('restore testing with a locked central vault only sees the DR restore vault', () => {
    const raw = exampleInput() as Record<string, any>;
    raw.centralVault = { kind: 'locked' };
    raw.workloads[0].restoreTesting = {};
    const w = reportFor(raw).workloads[0];
    expect(w.restoreTesting).toMatchObject({ planName: 'acme_shop_restore_test', vaults: ['acme-dr-restore'], resourceTypes: ['EBS', 'RDS', 'DynamoDB', 'S3'] });
    expect(w.findings.find((f) => f.code === 'restore-testing-locked-only')).toMatchObject({ severity: 'warning', path: 'workloads[0].restoreTesting', message: expect.stringMatching(/can pick only recovery points in the DR restore vault acme-dr-restore/) });
  });

  it('the air-gapped vault: always compliance, resource support and cold storage to check, copies shared with the DR account', () => {
    const raw = exampleInput() as Record<string, any>;
    raw.centralVault = { kind: 'airGapped' };
    raw.workloads[0].backup.rules[0].copyRetentionDays = 120;
    raw.workloads[0].backup.rules[0].copyColdStorageAfterDays = 30;
    raw.workloads[0].restoreTesting = { resourceTypes: ['EBS'] };
    const report = reportFor(raw);
    expect(codes(report.findings)).toEqual(['error:synth-missing', 'warning:cross-account-opt-in', 'warning:air-gapped-always-compliance']);
    expect(report.findings[2].message).toMatch(/always locked in compliance mode.*With centralVault\.kind "airGapped" there is no vault the governance mode applies to/);
    const w = report.workloads[0];
    expect(w.copyPath.map((h) => h.kind)).toEqual(['local', 'air-gapped']);
    expect(w.restoreTesting!.vaults).toEqual(['acme-air-gapped']);
    expect(codes(w.findings)).toEqual(['warning:cmk-required-for-copy', 'warning:dynamodb-advanced-backup', 'warning:air-gapped-resource-support', 'warning:air-gapped-cold-storage']);
    expect(w.findings[0].message).toMatch(/every copy to acme-air-gapped \(ap-northeast-1\) fails \(the air-gapped vault accepts them only from customer managed keys too\)/);
    expect(w.vault.airGapped).toMatchObject({ name: 'acme-air-gapped', lock: { mode: 'compliance', minRetentionDays: 7, maxRetentionDays: 3650 }, shareWith: 'drAccount' });
  });

  it('cross-field violations become error findings at their path, estate-wide ones in the estate findings', () => {
    const raw = exampleInput() as Record<string, any>;
    raw.vaultLock.minRetentionDays = 100;
    raw.workloads[0].backup.resourceTypes = ['S3'];
    raw.workloads[0].restoreTesting = { resourceTypes: ['EBS'] };
    const report = reportFor(raw);
    expect(codes(report.workloads[0].findings).filter((c) => c.startsWith('error'))).toEqual(['error:copy-retention-outside-lock', 'error:restore-testing-type-not-backed-up']);
    expect(report.summary.ready).toBe(false);
  });

  it('a Resilience Hub policy per workload, with its tier', () => {
    const raw = exampleInput() as Record<string, any>;
    raw.readiness = { resilienceHubPolicies: true };
    expect(reportFor(raw).workloads[0].resilienceHubPolicy).toEqual({ name: 'acme-shop-dr', tier: 'Critical', synthesized: null });
  });
});

describe('the CLI', () => {
  it('rejects a configuration whose shape is invalid, listing every problem, exit 2', () => {
    const raw = exampleInput() as Record<string, any>;
    raw.accounts.dr.id = 'abc';
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/readiness.ts', '--config', writeConfig(raw), '--out', exampleOut], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('accounts.dr.id: must be a 12-digit AWS account ID');
    expect(r.stdout).toBe('');
  });

  it('parses its options like the other scripts', () => {
    expect(parseReadinessArgs([], { DR_CONFIG: 'estate.json' }, 'example.json')).toMatchObject({ config: path.resolve('estate.json'), out: path.resolve('cdktf.out'), synth: false, json: false });
    expect(parseReadinessArgs(['--config', 'a.json', '--json'], { DR_CONFIG: 'estate.json' }, 'example.json')).toMatchObject({ config: path.resolve('a.json'), json: true });
    expect(() => parseReadinessArgs(['--synth', '--out', 'x'], {}, 'e.json')).toThrow(UsageError);
    expect(() => parseReadinessArgs(['--bogus'], {}, 'e.json')).toThrow(UsageError);
  });

  it('renders Markdown tables with padded keys and escaped pipes', () => {
    expect(table(['check', 'value'], [['a|b', 'x'], ['long key', 'y | z']])).toBe(
      ['| check    | value |', '|----------|--------|', '| a\\|b     | x |', '| long key | y \\| z |'].join('\n'),
    );
    expect(renderText(reportFor(exampleInput()))).toMatch(/^DR readiness of estate acme\n/);
  });
});

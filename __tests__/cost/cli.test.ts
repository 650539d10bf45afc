import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCost } from '../../cost/cli';
import { EXAMPLE, PRICE_LIST_FIXTURE, ROOT, exampleRaw } from './helpers';

const cost = (...argv: string[]) => runCost(argv, {}, EXAMPLE);

function tempConfig(mutate: (raw: ReturnType<typeof exampleRaw>) => void): string {
  const raw = exampleRaw();
  mutate(raw);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-cost-'));
  const file = path.join(dir, 'estate.json');
  fs.writeFileSync(file, JSON.stringify(raw));
  return file;
}

describe('npm run cost', () => {
  it('prints a table per workload, per account and the estate total', () => {
    const r = cost();
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^### Workload shop: \$\d+\.\d\d a month \(worst-case RPO 24 h/);
    expect(r.stdout).toContain('| storage: local vault, warm | workload:shop | ap-northeast-2 |');
    expect(r.stdout).toContain('### Per account');
    expect(r.stdout).toMatch(/\*\*Estate total: \$\d+\.\d\d a month\*\* \(prices of 2026-12-02/);
  });

  it('--json prints totalMonthlyUsd, workloads and lines that add up', () => {
    const r = cost('--json');
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toEqual(expect.objectContaining({ totalMonthlyUsd: expect.any(Number), workloads: [expect.objectContaining({ name: 'shop', totalMonthlyUsd: expect.any(Number) })], lines: expect.any(Array) }));
    const sum = json.lines.reduce((t: number, l: { monthlyUsd: number }) => t + l.monthlyUsd, 0);
    expect(json.totalMonthlyUsd).toBeCloseTo(sum, 2);
    expect(json.lines[0]).toEqual(expect.objectContaining({ price: expect.objectContaining({ key: expect.any(String), usd: expect.any(Number) }), usage: expect.objectContaining({ quantity: expect.any(Number) }) }));
  });

  it('--what-if on the schedule (hourly) raises the cost and lowers the worst-case RPO', () => {
    const r = cost('--json', '--what-if', 'workloads[0].backup.rules[0].schedule=cron(0 * * * ? *)');
    expect(r.exitCode).toBe(0);
    const { before, after, changes } = JSON.parse(r.stdout);
    expect(changes).toEqual([{ path: 'workloads[0].backup.rules[0].schedule', value: 'cron(0 * * * ? *)' }]);
    expect(after.totalMonthlyUsd).toBeGreaterThan(before.totalMonthlyUsd);
    expect(before.workloads[0].worstCaseRpoMinutes).toBe(1440);
    expect(after.workloads[0].worstCaseRpoMinutes).toBe(60);
    const text = cost('--what-if', 'workloads[0].backup.rules[0].schedule=cron(0 * * * ? *)', '--what-if', 'workloads[0].targets={"rpoMinutes":60}');
    expect(text.stdout).toMatch(/\| shop \| \$[\d.]+ \| \$[\d.]+ \| 24 h \| 1 h \|/);
  });

  it('--what-if parses JSON values: a bigger estimate costs more', () => {
    const { before, after } = JSON.parse(cost('--json', '--what-if', 'workloads[0].estimate.EBS.gib=5000').stdout);
    expect(after.totalMonthlyUsd).toBeGreaterThan(before.totalMonthlyUsd);
  });

  it('--prices reads a Price List file and changes the result', () => {
    const base = JSON.parse(cost('--json').stdout).totalMonthlyUsd;
    const priced = JSON.parse(cost('--json', '--prices', PRICE_LIST_FIXTURE).stdout).totalMonthlyUsd;
    expect(priced).not.toBeCloseTo(base, 2);
  });

  it.each([
    [['--what-if', 'workloads[3].name=x'], /--what-if workloads\[3\]\.name=?.*workloads\[3\] does not exist/],
    [['--what-if', 'workloads[0].backup.rules[0].retentionDays="ten"'], /workloads\[0\]\.backup\.rules\[0\]\.retentionDays: must be a number of days/],
    [['--prices', '/nonexistent/prices.json'], /Price List \/nonexistent\/prices\.json: cannot be read/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('exits 1 with a clear message on %j', (argv, message) => {
    const r = cost(...(argv as string[]));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it('exits 1 through the real command for a Region without a price, naming it', () => {
    // Without failback: its key is one of the example's workload region (ap-northeast-2).
    const config = tempConfig((raw) => {
      raw.workloads[0].region = 'us-west-2';
      delete raw.workloads[0].failback;
    });
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/cost.ts'], { cwd: ROOT, env: { ...process.env, DR_CONFIG: config }, encoding: 'utf8', timeout: 60000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no price for \S+ \(AWS usage type [^)]+\) in region us-west-2/);
    expect(r.stdout).toBe('');
  });
});

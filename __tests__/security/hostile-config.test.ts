import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, parseConfig } from '../../config/load';
import { synthesizeEstate } from '../../app';
import { exampleInput, tempDir } from '../helpers/synth';

/**
 * Malformed and adversarial configurations: each is rejected with a message naming the JSON path, the
 * process exits non-zero (main.ts sets exitCode 1 on ConfigError), and the output folder is untouched.
 * And the opposite: whatever the configuration accepts yields names valid for every AWS resource.
 */
type Cfg = Record<string, any>;
const base = (): Cfg => exampleInput() as Cfg;

function rejected(cfg: unknown): { path: string; message: string }[] {
  try {
    parseConfig(cfg);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

const HOSTILE: [string, (c: Cfg) => unknown, string | RegExp][] = [
  ['the whole config is an array', () => [], ''],
  ['the whole config is a string', () => 'acme', ''],
  ['null config', () => null, ''],
  ['workloads is an object', (c) => ({ ...c, workloads: { shop: c.workloads[0] } }), 'workloads'],
  ['a workload is a string', (c) => ({ ...c, workloads: ['shop'] }), 'workloads[0]'],
  ['retentionDays is a string', (c) => ((c.workloads[0].backup.rules[0].retentionDays = '120'), c), 'workloads[0].backup.rules[0].retentionDays'],
  ['retentionDays is negative', (c) => ((c.workloads[0].backup.rules[0].retentionDays = -1), c), 'workloads[0].backup.rules[0].retentionDays'],
  ['retentionDays is fractional', (c) => ((c.workloads[0].backup.rules[0].retentionDays = 120.5), c), 'workloads[0].backup.rules[0].retentionDays'],
  ['retentionDays is NaN-like', (c) => ((c.workloads[0].backup.rules[0].retentionDays = null), c), 'workloads[0].backup.rules[0].retentionDays'],
  ['account ID with letters', (c) => ((c.accounts.backupVault.id = '11111111111a'), c), 'accounts.backupVault.id'],
  ['account ID as a number', (c) => ((c.accounts.backupVault.id = 111111111111), c), 'accounts.backupVault.id'],
  ['the workload account is the DR account', (c) => ((c.workloads[0].accountId = '222222222222'), (c.workloads[0].roleArn = 'arn:aws:iam::222222222222:role/terraform-dr'), c), 'workloads[0].accountId'],
  ['the management account is a workload account', (c) => ((c.accounts.management = { id: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/terraform-dr' }), c), 'workloads[0].accountId'],
  ['a region in upper case', (c) => ((c.regions.primary = 'AP-NORTHEAST-2'), c), 'regions.primary'],
  ['a region that does not exist', (c) => ((c.workloads[0].region = 'mars-north-1'), c), 'workloads[0].region'],
  ['cron with seven fields', (c) => ((c.workloads[0].backup.rules[0].schedule = 'cron(0 17 * * ? * *)'), c), 'workloads[0].backup.rules[0].schedule'],
  ['cron with a typo in the weekday', (c) => ((c.workloads[0].backup.rules[0].schedule = 'cron(0 17 ? * MNO *)'), c), 'workloads[0].backup.rules[0].schedule'],
  ['cron every minute', (c) => ((c.workloads[0].backup.rules[0].schedule = 'cron(* * * * ? *)'), c), 'workloads[0].backup.rules[0].schedule'],
  ['Unicode workload name', (c) => ((c.workloads[0].name = 'shöp'), c), 'workloads[0].name'],
  ['workload name with an emoji', (c) => ((c.workloads[0].name = 'shop🔥'), c), 'workloads[0].name'],
  ['estate name with a slash (path injection into KMS aliases)', (c) => ((c.name = 'acme/../x'), c), 'name'],
  ['tag key with a newline', (c) => ((c.workloads[0].backup.selectionTag.key = 'backup\nplan'), c), 'workloads[0].backup.selectionTag.key'],
  ['break-glass role name with a wildcard (would widen the deny exception)', (c) => ((c.breakGlassRoleName = 'admin*'), c), 'breakGlassRoleName'],
  ['role ARN of another partition format', (c) => ((c.accounts.dr.roleArn = 'arn:aws:iam::222222222222:user/terraform'), c), 'accounts.dr.roleArn'],
  ['an organization ID that is too short', (c) => ((c.organizationId = 'o-abc'), c), 'organizationId'],
  ['a health service key that makes the rule name too long', (c) => ((c.detection = { health: { globalServices: { ['X'.repeat(60)]: ['AWS_X_OPERATIONAL_ISSUE'] } } }), c), /^detection\.health\.globalServices\.X+$/],
  ['a vault lock that allows nothing', (c) => ((c.vaultLock = { mode: 'governance', minRetentionDays: 100, maxRetentionDays: 10 }), c), 'vaultLock.maxRetentionDays'],
  ['copy retention of 0 days', (c) => ((c.workloads[0].backup.rules[0].copyRetentionDays = 0), c), 'workloads[0].backup.rules[0].copyRetentionDays'],
  ['prototype pollution attempt', (c) => JSON.parse(JSON.stringify(c).replace('"name":"acme"', '"name":"acme","__proto__":{"admin":true}')), '(root)|^$'],
  ['duplicate server roles across workloads', (c) => {
    c.workloads.push({ ...structuredClone(c.workloads[0]), name: 'shop2', accountId: '444444444444', roleArn: 'arn:aws:iam::444444444444:role/terraform-dr' });
    return c;
  }, 'workloads[1].servers[0].role'],
  ['servers without availability zones', (c) => ((c.recovery = {}), c), 'recovery.network.availabilityZones'],
  ['an availability zone of another region', (c) => ((c.recovery.network.availabilityZones = ['ap-northeast-1a', 'us-east-1a']), c), 'recovery.network.availabilityZones[1]'],
  ['a VPC CIDR with an octet over 255', (c) => ((c.recovery.network.vpcCidr = '10.300.0.0/16'), c), 'recovery.network.vpcCidr'],
  ['an AMI ID with capitals', (c) => ((c.workloads[0].servers[0].amiId = 'ami-0123ABC'), c), 'workloads[0].servers[0].amiId'],
];

describe('hostile configuration input', () => {
  it('has at least 30 cases', () => expect(HOSTILE.length).toBeGreaterThanOrEqual(30));

  it.each(HOSTILE)('rejects %s, naming the path, with the output folder untouched', (_name, mutate, expectedPath) => {
    const cfg = mutate(base());
    const issues = rejected(cfg);
    expect(issues.length).toBeGreaterThan(0);
    const pattern = typeof expectedPath === 'string' ? new RegExp(`^${expectedPath.replace(/[.[\]]/g, (m) => `\\${m}`)}$`) : expectedPath;
    if (expectedPath === '' || expectedPath === '(root)|^$') expect(issues.map((i) => i.path).some((p) => p === '' || !p.includes('.'))).toBe(true);
    else expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);

    const dir = tempDir();
    const file = path.join(dir, 'estate.json');
    fs.writeFileSync(file, JSON.stringify(cfg));
    const outdir = path.join(dir, 'out');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'marker'), 'before');
    expect(() => synthesizeEstate(file, outdir)).toThrow(ConfigError);
    expect(fs.readdirSync(outdir)).toEqual(['marker']);
  });

  it('rejects random corruptions of valid configs (seeded), always naming a path', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const junk = [null, -1, 1e9, '', 'x', [], {}, true, '😀'.repeat(3), 'a'.repeat(300)];
    const leaves = (o: unknown, p: (string | number)[] = []): (string | number)[][] =>
      o !== null && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => leaves(v, [...p, Array.isArray(o) ? Number(k) : k])) : [p];
    let rejectedCount = 0;
    for (let i = 0; i < 60; i++) {
      const cfg = base();
      const all = leaves(cfg).filter((p) => p[0] !== '$schema' && p[0] !== 'terraformCloud');
      const target = all[Math.floor(random() * all.length)];
      let parent: any = cfg;
      for (const k of target.slice(0, -1)) parent = parent[k];
      parent[target[target.length - 1]] = junk[Math.floor(random() * junk.length)];
      const issues = (() => {
        try {
          parseConfig(cfg);
          return null;
        } catch (e) {
          return (e as ConfigError).issues;
        }
      })();
      if (issues === null) continue; // some junk is valid there (e.g. "x" as a tag value)
      rejectedCount++;
      expect(issues.every((iss) => typeof iss.path === 'string' && iss.message.length > 0)).toBe(true);
    }
    expect(rejectedCount).toBeGreaterThan(40);
  });
});

/** AWS name limits of every named resource the estate creates: [type, attribute, max length, pattern]. */
const NAME_LIMITS: [string, string, number, RegExp][] = [
  ['aws_backup_vault', 'name', 50, /^[A-Za-z0-9_-]+$/],
  ['aws_backup_plan', 'name', 50, /^[A-Za-z0-9_.-]+$/],
  ['aws_backup_selection', 'name', 50, /^[A-Za-z0-9_.-]+$/],
  ['aws_backup_restore_testing_plan', 'name', 50, /^[A-Za-z0-9_]+$/],
  ['aws_backup_restore_testing_selection', 'name', 50, /^[A-Za-z0-9_]+$/],
  ['aws_backup_framework', 'name', 256, /^[A-Za-z][A-Za-z0-9_]*$/],
  ['aws_iam_role', 'name', 64, /^[\w+=,.@-]+$/],
  ['aws_iam_instance_profile', 'name', 128, /^[\w+=,.@-]+$/],
  ['aws_lambda_function', 'function_name', 64, /^[A-Za-z0-9_-]+$/],
  ['aws_sqs_queue', 'name', 80, /^[A-Za-z0-9_-]+$/],
  ['aws_sns_topic', 'name', 256, /^[A-Za-z0-9_-]+$/],
  ['aws_cloudwatch_event_rule', 'name', 64, /^[.\-_A-Za-z0-9]+$/],
  ['aws_cloudwatch_event_bus', 'name', 256, /^[/.\-_A-Za-z0-9]+$/],
  ['aws_cloudwatch_event_archive', 'name', 48, /^[.\-_A-Za-z0-9]+$/],
  ['aws_kms_alias', 'name', 256, /^alias\/[A-Za-z0-9/_-]+$/],
  ['aws_cloudwatch_metric_alarm', 'alarm_name', 255, /^[^\s].*$/],
  ['aws_scheduler_schedule', 'name', 64, /^[0-9A-Za-z_.-]+$/],
  ['aws_autoscaling_group', 'name', 255, /^[^:]+$/],
  ['aws_launch_template', 'name', 128, /^[A-Za-z0-9().\/_-]+$/],
  ['aws_ssm_document', 'name', 128, /^[A-Za-z0-9_.-]+$/],
  ['aws_ssm_parameter', 'name', 1011, /^[A-Za-z0-9_.\/-]+$/],
  ['aws_config_config_rule', 'name', 128, /^[A-Za-z0-9_-]+$/],
  ['aws_sfn_state_machine', 'name', 80, /^[A-Za-z0-9_-]+$/],
  ['aws_security_group', 'name', 255, /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/],
  ['aws_cloudwatch_log_group', 'name', 512, /^[.\-_/#A-Za-z0-9]+$/],
];

function checkNames(outdir: string): string[] {
  const problems: string[] = [];
  for (const stack of fs.readdirSync(path.join(outdir, 'stacks'))) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    for (const [type, attribute, max, pattern] of NAME_LIMITS) {
      for (const resource of Object.values(json.resource?.[type] ?? {}) as Record<string, unknown>[]) {
        const name = resource[attribute];
        if (typeof name !== 'string') continue;
        if (name.length > max || !pattern.test(name)) problems.push(`${stack}: ${type}.${attribute} "${name}" (${name.length} > ${max} or bad characters)`);
      }
    }
  }
  return problems;
}

describe('names are valid for every AWS resource they end up in', () => {
  it('with the longest estate name and the longest workload name the config accepts', () => {
    const cfg = base();
    cfg.name = 'a'.repeat(20);
    let longest = '';
    for (let n = 32; n >= 1; n--) {
      const candidate = { ...structuredClone(cfg) };
      candidate.workloads[0].name = `w${'x'.repeat(n - 1)}`;
      candidate.workloads[0].alarms = [{ name: 'z'.repeat(100), namespace: 'AWS/EC2', metricName: 'CPUUtilization', threshold: { value: 90, comparison: 'GreaterThanThreshold' }, triggersRecovery: true }];
      candidate.workloads[0].guardrails = { awsConfigRules: true, auditFramework: true };
      candidate.workloads[0].recovery = { drillSchedule: 'cron(0 3 ? * SUN#1 *)' };
      // The backup selection name bounds a workload without restore testing (see the next test for one with it).
      delete candidate.workloads[0].restoreTesting;
      if (rejected(candidate).length === 0) {
        longest = candidate.workloads[0].name;
        const dir = tempDir();
        const file = path.join(dir, 'estate.json');
        fs.writeFileSync(file, JSON.stringify(candidate));
        synthesizeEstate(file, path.join(dir, 'out'));
        expect(checkNames(path.join(dir, 'out'))).toEqual([]);
        break;
      }
    }
    // 20 + "-" + workload + "-tagged" must fit the 50-character backup selection name.
    expect(longest).toHaveLength(22);
    const tooLong = { ...structuredClone(cfg) };
    tooLong.workloads[0].name = `${longest}x`;
    expect(rejected(tooLong)).toEqual(expect.arrayContaining([{ path: 'workloads[0].name', message: expect.stringMatching(/AWS Backup plan\/selection name .*-tagged" \(51 characters, at most 50\)/) }]));
  });

  it('with restore testing, the restore testing plan name bounds the workload name (letters, digits and "_", 50 characters)', () => {
    const cfg = base();
    cfg.name = 'a'.repeat(20);
    cfg.workloads[0].restoreTesting = { resourceTypes: ['EBS', 'S3'] };
    const named = (n: number) => {
      const candidate = structuredClone(cfg);
      candidate.workloads[0].name = `w${'-'.repeat(n - 1)}`;
      return candidate;
    };
    // 20 + "_" + workload + "_restore_test" must fit 50 characters; "-" becomes "_".
    expect(rejected(named(16))).toEqual([]);
    expect(rejected(named(17))).toEqual(expect.arrayContaining([{ path: 'workloads[0].name', message: expect.stringContaining(`restore testing plan name (1-50 letters, digits or "_") "${'a'.repeat(20)}_w${'_'.repeat(16)}_restore_test" (51 characters, at most 50)`) }]));
    const dir = tempDir();
    const file = path.join(dir, 'estate.json');
    fs.writeFileSync(file, JSON.stringify(named(16)));
    synthesizeEstate(file, path.join(dir, 'out'));
    expect(checkNames(path.join(dir, 'out'))).toEqual([]);
  });

  it('for a very large estate (200 workload accounts)', () => {
    const cfg = base();
    const template = cfg.workloads[0];
    cfg.workloads = Array.from({ length: 200 }, (_, i) => ({
      ...structuredClone(template),
      name: `app${String(i).padStart(3, '0')}`,
      accountId: String(400000000000 + i),
      roleArn: `arn:aws:iam::${400000000000 + i}:role/terraform-dr`,
      servers: [{ role: `srv${String(i).padStart(3, '0')}`, amiId: 'ami-0123456789abcdef0', instanceType: 'm7g.large' }],
      failback: undefined, // the example's failback names shop's own key, subnets and security groups
    }));
    const dir = tempDir();
    const file = path.join(dir, 'estate.json');
    fs.writeFileSync(file, JSON.stringify(cfg));
    const estate = synthesizeEstate(file, path.join(dir, 'out'));
    expect(estate.workloads).toHaveLength(200);
    expect(checkNames(path.join(dir, 'out'))).toEqual([]);
  });
});

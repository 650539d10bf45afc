import {
  BackupClient,
  GetRestoreTestingPlanCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  type RecoveryPointByBackupVault,
  type RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DescribeImagesCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeExecutionCommand, DescribeStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CHECKS,
  InvalidInputError,
  LATEST_REPORT_KEY,
  ReadinessError,
  checkReadiness,
  dailyReportKey,
  formatAge,
  type AssumedCredentials,
  type CheckName,
  type CheckResult,
  type Logger,
  type ReadinessClients,
  type ReadinessReport,
} from '../../../functions/check-readiness/logic';
import { CENTRAL_ACCOUNT as VAULT, DR_ACCOUNT as DR, DR_REGION as REGION, WORKLOAD_ACCOUNT as SHOP } from '../../helpers/functions/estate-ids';
import { mockEach } from '../../helpers/functions/mock-each';

const BILLING = '444444444444';
const NOW = new Date('2026-11-20T06:00:00Z');
const READER_ARN = `arn:aws:iam::${VAULT}:role/acme-central-vault-reader`;
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${DR}:stateMachine:acme-recovery`;
const PLAN_ARN = `arn:aws:backup:${REGION}:${DR}:restore-testing-plan:acme_shop_restore_test-1a2b3c4d`;
const BUCKET = `acme-dr-readiness-${DR}-${REGION}`;

const EBS = `arn:aws:ec2:ap-northeast-2:${SHOP}:volume/vol-0aaaaaaaaaaaaaaa1`;
const RDS = `arn:aws:rds:ap-northeast-2:${SHOP}:db:shop-db`;
const BILLING_EBS = `arn:aws:ec2:ap-northeast-2:${BILLING}:volume/vol-0bbbbbbbbbbbbbbb2`;

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const rp = (resourceArn: string, type: string, created: Date, id: string, status: RecoveryPointByBackupVault['Status'] = 'COMPLETED'): RecoveryPointByBackupVault => ({
  ResourceArn: resourceArn,
  ResourceType: type,
  RecoveryPointArn: `arn:aws:backup:${REGION}:${VAULT}:recovery-point:${id}`,
  CreationDate: created,
  Status: status,
});

const SERVER = { role: 'app', amiParameterName: '/acme/dr/ami/shop/app', launchTemplateName: 'acme-shop-app', autoScalingGroupName: 'acme-shop-app' };
const SHOP_WORKLOAD = {
  name: 'shop',
  accountId: SHOP,
  rpoMinutes: 1440,
  rtoMinutes: 240,
  resourceTypes: ['EBS', 'RDS'],
  servers: [SERVER],
  restoreTesting: { planName: 'acme_shop_restore_test', windowHours: 197 },
};
const input = (overrides: Record<string, unknown> = {}) => ({
  estate: 'acme',
  region: REGION,
  reportBucket: BUCKET,
  metricNamespace: 'DisasterRecovery/Readiness',
  recoveryMetricNamespace: 'DisasterRecovery',
  restoreVault: { name: 'acme-dr-restore', accountId: DR },
  centralVault: { name: 'acme-central', accountId: VAULT, readerRoleArn: READER_ARN },
  stateMachineArn: STATE_MACHINE_ARN,
  recoveryPointLookbackDays: 35,
  drillLookbackDays: 40,
  workloads: [SHOP_WORKLOAD],
  ...overrides,
});

const CREDENTIALS = { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date('2026-11-20T06:15:00Z') };

const backup = new BackupClient({ region: REGION });
const central = new BackupClient({ region: REGION });
const sts = new STSClient({ region: REGION });
const ssm = new SSMClient({ region: REGION });
const ec2 = new EC2Client({ region: REGION });
const autoscaling = new AutoScalingClient({ region: REGION });
const sfn = new SFNClient({ region: REGION });
const cloudwatch = new CloudWatchClient({ region: REGION });
const s3 = new S3Client({ region: REGION });
const [backupMock, centralMock, stsMock, ssmMock, ec2Mock, asgMock, sfnMock, cwMock, s3Mock] = mockEach(backup, central, sts, ssm, ec2, autoscaling, sfn, cloudwatch, s3);

const logger: Logger & { lines: { level: string; message: string; attrs: Record<string, unknown> }[] } = {
  lines: [],
  info(message, ...attrs) {
    this.lines.push({ level: 'INFO', message, attrs: Object.assign({}, ...attrs) });
  },
  warn(message, ...attrs) {
    this.lines.push({ level: 'WARN', message, attrs: Object.assign({}, ...attrs) });
  },
  error(message, ...attrs) {
    this.lines.push({ level: 'ERROR', message, attrs: Object.assign({}, ...attrs) });
  },
};

let factoryCalls: { credentials: AssumedCredentials; region: string }[];
const sleeps: number[] = [];
const clients = (options: ReadinessClients['options'] = {}): ReadinessClients => ({
  backup,
  sts,
  centralBackup: (credentials, region) => {
    factoryCalls.push({ credentials, region });
    return central;
  },
  ssm,
  ec2,
  autoscaling,
  sfn,
  cloudwatch,
  s3,
  logger,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  random: () => 0.5,
  options,
});

const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

function job(resource: string, created: Date, status: RestoreJobsListMember['Status'], validation?: RestoreJobsListMember['ValidationStatus'], message?: string): RestoreJobsListMember {
  return {
    RestoreJobId: `job-${resource.slice(-4)}-${created.getTime()}`,
    SourceResourceArn: resource,
    CreationDate: created,
    Status: status,
    ...(validation ? { ValidationStatus: validation } : {}),
    ...(message ? { ValidationStatusMessage: message } : {}),
  };
}

/** Every check passes: fresh central points, an available AMI, idle groups, a fast drill, a passed restore test. */
function healthy() {
  for (const m of [backupMock, centralMock, stsMock, ssmMock, ec2Mock, asgMock, sfnMock, cwMock, s3Mock]) m.reset();
  backupMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
  centralMock
    .on(ListRecoveryPointsByBackupVaultCommand)
    .resolvesOnce({ RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(30), 'old-ebs'), rp(EBS, 'EBS', hoursAgo(5), 'ebs')], NextToken: 'page-2' })
    .resolves({ RecoveryPoints: [rp(RDS, 'RDS', hoursAgo(7), 'rds'), rp(BILLING_EBS, 'EBS', hoursAgo(900), 'billing'), rp('arn:aws:s3:::shop-assets', 'S3', hoursAgo(900), 's3')] });
  ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: SERVER.amiParameterName, Value: 'ami-0123456789abcdef0' } });
  ec2Mock.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-0123456789abcdef0', State: 'available' }] });
  ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [{ LaunchTemplateName: 'acme-shop-app' }] });
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'acme-shop-app', DesiredCapacity: 0, MinSize: 0, MaxSize: 2 } as never] });
  sfnMock.on(DescribeStateMachineCommand).resolves({ status: 'ACTIVE' } as never);
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
  cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'rto', Timestamps: [hoursAgo(24 * 10)], Values: [5400] }] });
  cwMock.on(PutMetricDataCommand).resolves({});
  backupMock.on(GetRestoreTestingPlanCommand).resolves({ RestoreTestingPlan: { RestoreTestingPlanArn: PLAN_ARN } as never });
  backupMock.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [job(EBS, hoursAgo(25), 'COMPLETED', 'SUCCESSFUL'), job(RDS, hoursAgo(25), 'COMPLETED')] });
  s3Mock.on(PutObjectCommand).resolves({});
}

beforeEach(() => {
  healthy();
  logger.lines = [];
  factoryCalls = [];
  sleeps.length = 0;
});

/** The report written to reports/latest.json. */
function writtenReport(): ReadinessReport {
  const put = s3Mock.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === LATEST_REPORT_KEY)!;
  return JSON.parse(String(put.args[0].input.Body));
}

function checkOf(report: ReadinessReport, check: CheckName, workload = 'shop'): CheckResult {
  const result = report.workloads.find((w) => w.workload === workload)!.checks.find((c) => c.check === check);
  if (!result) throw new Error(`no ${check} check for ${workload}`);
  return result;
}

/** The published `Ready` value of a check (or of the workload, without a check). */
function published(workload: string, check?: CheckName): number | undefined {
  const data: MetricDatum[] = cwMock.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
  const wanted = check ? [{ Name: 'Workload', Value: workload }, { Name: 'Check', Value: check }] : [{ Name: 'Workload', Value: workload }];
  return data.find((d) => d.MetricName === 'Ready' && JSON.stringify(d.Dimensions) === JSON.stringify(wanted))?.Value;
}

/** Runs the checker and asserts that exactly `failing` checks of shop are not ready. */
async function expectOnlyFailing(failing: CheckName[], raw: unknown = input()): Promise<ReadinessReport> {
  const result = await checkReadiness(raw, clients(), NOW);
  const report = writtenReport();
  const shop = report.workloads.find((w) => w.workload === 'shop')!;
  expect(shop.checks.filter((c) => !c.ready).map((c) => c.check)).toEqual(failing);
  expect(result.ready).toBe(failing.length === 0);
  expect(published('shop')).toBe(failing.length === 0 ? 1 : 0);
  for (const c of shop.checks) expect(published('shop', c.check)).toBe(failing.includes(c.check) ? 0 : 1);
  for (const c of shop.checks.filter((x) => !x.ready)) expect(c.fix).toEqual(expect.any(String));
  return report;
}

describe('checkReadiness: a ready workload', () => {
  it('runs every check, all ready, publishes Ready=1 per check and overall, and writes the dated and latest report', async () => {
    const result = await checkReadiness(input(), clients(), NOW);
    expect(result).toMatchObject({ ready: true, generatedAt: NOW.toISOString(), reportBucket: BUCKET, reportKeys: ['reports/2026-11-20/readiness.json', 'reports/latest.json'], notReady: [] });
    const report = writtenReport();
    expect(report.workloads[0].checks.map((c) => [c.check, c.ready])).toEqual(CHECKS.map((c) => [c, true]));
    expect(report).toMatchObject({ schemaVersion: 1, estate: 'acme', region: REGION, ready: true, summary: { workloads: 1, readyWorkloads: 1, failedChecks: 0 }, failedChecks: [] });
    const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.ContentType])).toEqual([
      [BUCKET, 'reports/2026-11-20/readiness.json', 'application/json'],
      [BUCKET, 'reports/latest.json', 'application/json'],
    ]);
    expect(puts[0].Body).toBe(puts[1].Body);
    const [metrics] = cwMock.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(metrics.Namespace).toBe('DisasterRecovery/Readiness');
    expect(metrics.MetricData).toHaveLength(CHECKS.length + 1);
    for (const check of CHECKS) expect(published('shop', check)).toBe(1);
    expect(published('shop')).toBe(1);
    expect(result.metricsPublished).toBe(CHECKS.length + 1);
  });

  it('lists the central vault as the reader role, page by page, since the lookback, and attributes resources by the workload account in their ARN', async () => {
    await checkReadiness(input(), clients(), NOW);
    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleArn: READER_ARN, RoleSessionName: 'readiness-checker', DurationSeconds: 900 }]);
    expect(factoryCalls).toEqual([{ credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: CREDENTIALS.Expiration }, region: REGION }]);
    const calls = centralMock.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { BackupVaultName: 'acme-central', ByCreatedAfter: new Date(NOW.getTime() - 35 * 86_400_000), MaxResults: 1000 },
      { BackupVaultName: 'acme-central', ByCreatedAfter: new Date(NOW.getTime() - 35 * 86_400_000), MaxResults: 1000, NextToken: 'page-2' },
    ]);
    expect(backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input.BackupVaultName)).toEqual(['acme-dr-restore']);
    const points = checkOf(writtenReport(), 'RecoveryPoints');
    // The billing account's volume and the S3 bucket (whose ARN names no account) are not shop's.
    expect((points.details!.resources as { resourceArn: string; ageMinutes: number; newestIn: string }[]).map((r) => [r.resourceArn, r.ageMinutes, r.newestIn])).toEqual([
      [EBS, 300, 'central'],
      [RDS, 420, 'central'],
    ]);
    expect(points.reason).toBe('all 2 protected resources have a recovery point within the RPO of 1 d (the oldest of them is 7 h old)');
  });

  it('attributes an S3 copy (its bucket ARN names no account) to the workload whose local vault it was copied from', async () => {
    const bucket = 'arn:aws:s3:::shop-assets';
    const s3Copy = { ...rp(bucket, 'S3', hoursAgo(3), 's3-copy'), SourceBackupVaultArn: `arn:aws:backup:ap-northeast-2:${SHOP}:backup-vault:acme-shop-local` };
    const foreignCopy = { ...rp('arn:aws:s3:::other-assets', 'S3', hoursAgo(3), 's3-other'), SourceBackupVaultArn: 'arn:aws:backup:ap-northeast-2:444444444444:backup-vault:other-local' };
    centralMock.reset();
    centralMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(5), 'ebs'), s3Copy, foreignCopy] });
    const withS3 = input();
    withS3.workloads[0] = { ...withS3.workloads[0], resourceTypes: ['EBS', 'RDS', 'S3'] };
    await checkReadiness(withS3, clients(), NOW);
    const points = checkOf(writtenReport(), 'RecoveryPoints');
    // Sorted by ARN ("ec2" before "s3"); the other account's bucket is not shop's.
    expect((points.details!.resources as { resourceArn: string; ageMinutes: number }[]).map((r) => [r.resourceArn, r.ageMinutes])).toEqual([
      [EBS, 300],
      [bucket, 180],
    ]);
  });

  it('checks the state machine, the drill metric and the restore test plan with the right requests', async () => {
    await checkReadiness(input(), clients(), NOW);
    expect(sfnMock.commandCalls(DescribeStateMachineCommand)[0].args[0].input).toEqual({ stateMachineArn: STATE_MACHINE_ARN });
    const query = cwMock.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(query.MetricDataQueries![0].MetricStat).toEqual({
      Metric: { Namespace: 'DisasterRecovery', MetricName: 'RecoveryTimeSeconds', Dimensions: [{ Name: 'Workload', Value: 'shop' }, { Name: 'Mode', Value: 'drill' }] },
      Period: 3600,
      Stat: 'Maximum',
    });
    expect(query.EndTime).toEqual(NOW);
    expect(query.StartTime).toEqual(new Date(NOW.getTime() - 40 * 86_400_000));
    expect(backupMock.commandCalls(GetRestoreTestingPlanCommand)[0].args[0].input).toEqual({ RestoreTestingPlanName: 'acme_shop_restore_test' });
    expect(backupMock.commandCalls(ListRestoreJobsCommand)[0].args[0].input).toEqual({ ByRestoreTestingPlanArn: PLAN_ARN, ByCreatedAfter: new Date(NOW.getTime() - 197 * 3_600_000), MaxResults: 1000 });
    expect(ssmMock.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: '/acme/dr/ami/shop/app' });
    expect(ec2Mock.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({ ImageIds: ['ami-0123456789abcdef0'] });
    expect(asgMock.commandCalls(DescribeAutoScalingGroupsCommand)[0].args[0].input).toEqual({ AutoScalingGroupNames: ['acme-shop-app'] });
    // Nothing is scaled up: running executions are not even listed.
    expect(sfnMock.commandCalls(ListExecutionsCommand)).toHaveLength(0);
  });

  it('runs only the checks that apply: no server checks without servers, no restore test without restoreTesting', async () => {
    const { servers: _s, restoreTesting: _r, ...bare } = SHOP_WORKLOAD;
    await checkReadiness(input({ workloads: [{ ...bare }] }), clients(), NOW);
    expect(writtenReport().workloads[0].checks.map((c) => c.check)).toEqual(['RecoveryPoints', 'StateMachine', 'DrillRto']);
    expect(ssmMock.calls()).toHaveLength(0);
    expect(asgMock.calls()).toHaveLength(0);
    expect(backupMock.commandCalls(ListRestoreJobsCommand)).toHaveLength(0);
  });
});

describe('RecoveryPoints', () => {
  it('is not ready when a resource\'s newest point in every vault is older than the RPO, naming it', async () => {
    centralMock.reset();
    centralMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(5), 'ebs'), rp(RDS, 'RDS', hoursAgo(50), 'rds')] });
    const report = await expectOnlyFailing(['RecoveryPoints']);
    const c = checkOf(report, 'RecoveryPoints');
    expect(c.reason).toBe(`1 of 2 protected resources have no recovery point within the RPO of 1 d: ${RDS} (newest 2 d 2 h old, in the central vault)`);
    expect(c.fix).toContain(`\`aws backup list-copy-jobs --by-state FAILED\` in account ${SHOP}`);
    expect(report.failedChecks).toEqual([{ workload: 'shop', check: 'RecoveryPoints', reason: c.reason, fix: c.fix }]);
  });

  it('takes the newest point across vaults: a fresh copy in the DR restore vault makes a stale central one ready', async () => {
    centralMock.reset();
    centralMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(50), 'ebs'), rp(RDS, 'RDS', hoursAgo(2), 'rds')] });
    backupMock.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'acme-dr-restore' }).resolves({ RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(3), 'dr-ebs')] });
    const report = await expectOnlyFailing([]);
    const resources = checkOf(report, 'RecoveryPoints').details!.resources as { resourceArn: string; newestIn: string; perVault: Record<string, string> }[];
    expect(resources[0]).toMatchObject({ resourceArn: EBS, newestIn: 'restore', perVault: { restore: hoursAgo(3).toISOString(), central: hoursAgo(50).toISOString() } });
  });

  it('ignores points that are not COMPLETED and types outside the workload\'s selection', async () => {
    centralMock.reset();
    centralMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(1), 'partial', 'PARTIAL'), rp(EBS, 'EBS', hoursAgo(40), 'ebs'), rp(RDS, 'RDS', hoursAgo(2), 'rds'), rp(`arn:aws:dynamodb:ap-northeast-2:${SHOP}:table/t`, 'DynamoDB', hoursAgo(90), 'ddb')],
    });
    const report = await expectOnlyFailing(['RecoveryPoints']);
    expect(checkOf(report, 'RecoveryPoints').reason).toContain(`1 of 2 protected resources`);
  });

  it('is not ready when the workload has no recovery point at all', async () => {
    centralMock.reset();
    centralMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp(BILLING_EBS, 'EBS', hoursAgo(1), 'billing')] });
    const report = await expectOnlyFailing(['RecoveryPoints']);
    expect(checkOf(report, 'RecoveryPoints').reason).toBe(
      `no completed recovery point of the workload (account ${SHOP}, region ${REGION}; EBS, RDS) created in the last 35 days in the DR restore vault acme-dr-restore, central vault acme-central`,
    );
  });

  it('is not ready, with the error, when the reader role cannot be assumed; every other check still runs', async () => {
    stsMock.reset();
    stsMock.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform sts:AssumeRole'));
    const report = await expectOnlyFailing(['RecoveryPoints']);
    const c = checkOf(report, 'RecoveryPoints');
    expect(c.reason).toBe(`the central vault acme-central could not be listed: AssumeRole(${READER_ARN}) failed: AccessDenied: not authorized to perform sts:AssumeRole`);
    expect(c.fix).toMatch(/was denied/);
    expect(centralMock.calls()).toHaveLength(0);
  });

  it('lists the shared air-gapped vault with the function\'s own client, naming its owner account', async () => {
    const { centralVault: _c, ...rest } = input();
    centralMock.reset();
    backupMock.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'acme-air-gapped' }).resolves({ RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(4), 'ag-ebs'), rp(RDS, 'RDS', hoursAgo(4), 'ag-rds')] });
    const report = await expectOnlyFailing([], { ...rest, airGappedVault: { name: 'acme-air-gapped', accountId: VAULT } });
    expect(stsMock.calls()).toHaveLength(0);
    const airGapped = backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input).find((i) => i.BackupVaultName === 'acme-air-gapped');
    expect(airGapped).toMatchObject({ BackupVaultAccountId: VAULT });
    expect(checkOf(report, 'RecoveryPoints').details!.vaults).toEqual(['DR restore vault acme-dr-restore', 'air-gapped vault acme-air-gapped']);
  });

  it('lists each vault once for the whole estate, not once per workload', async () => {
    const second = { ...SHOP_WORKLOAD, name: 'billing', accountId: BILLING, servers: [], restoreTesting: undefined };
    centralMock.reset();
    centralMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [rp(EBS, 'EBS', hoursAgo(1), 'ebs'), rp(RDS, 'RDS', hoursAgo(1), 'rds'), rp(BILLING_EBS, 'EBS', hoursAgo(100), 'billing')] });
    const result = await checkReadiness(input({ workloads: [SHOP_WORKLOAD, second] }), clients(), NOW);
    expect(centralMock.commandCalls(ListRecoveryPointsByBackupVaultCommand)).toHaveLength(1);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(sfnMock.commandCalls(DescribeStateMachineCommand)).toHaveLength(1);
    expect(result.notReady).toEqual([{ workload: 'billing', check: 'RecoveryPoints', reason: expect.stringContaining(BILLING_EBS) }]);
    expect(published('billing')).toBe(0);
    expect(published('shop')).toBe(1);
  });
});

describe('GoldenAmis', () => {
  it('is not ready when the AMI parameter does not exist', async () => {
    ssmMock.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
    const report = await expectOnlyFailing(['GoldenAmis']);
    expect(checkOf(report, 'GoldenAmis').reason).toBe('app: the AMI parameter /acme/dr/ami/shop/app does not exist');
    expect(ec2Mock.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });

  it('is not ready when the AMI does not exist in the recovery region', async () => {
    ec2Mock.on(DescribeImagesCommand).rejects(awsError('InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist"));
    const report = await expectOnlyFailing(['GoldenAmis']);
    expect(checkOf(report, 'GoldenAmis').reason).toBe(`app: AMI ami-0123456789abcdef0 (from /acme/dr/ami/shop/app) does not exist in ${REGION}`);
    expect(checkOf(report, 'GoldenAmis').fix).toContain('aws ec2 copy-image');
  });

  it('is not ready when the AMI is not available (e.g. deregistered or pending)', async () => {
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-0123456789abcdef0', State: 'deregistered' }] });
    const report = await expectOnlyFailing(['GoldenAmis']);
    expect(checkOf(report, 'GoldenAmis').reason).toContain('is deregistered, not available');
  });

  it('checks every server role even when one cannot be checked', async () => {
    const web = { role: 'web', amiParameterName: '/acme/dr/ami/shop/web', launchTemplateName: 'acme-shop-web', autoScalingGroupName: 'acme-shop-web' };
    ssmMock.on(GetParameterCommand, { Name: '/acme/dr/ami/shop/app' }).rejects(awsError('AccessDeniedException', 'no'));
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [{ LaunchTemplateName: 'acme-shop-app' }, { LaunchTemplateName: 'acme-shop-web' }] });
    asgMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'acme-shop-app', DesiredCapacity: 0 }, { AutoScalingGroupName: 'acme-shop-web', DesiredCapacity: 0 }] as never });
    const report = await expectOnlyFailing(['GoldenAmis'], input({ workloads: [{ ...SHOP_WORKLOAD, servers: [SERVER, web] }] }));
    const c = checkOf(report, 'GoldenAmis');
    expect(c.reason).toBe('app: could not be checked: GetParameter(/acme/dr/ami/shop/app) failed: AccessDeniedException: no');
    expect(c.details!.servers).toEqual([expect.objectContaining({ role: 'app', error: expect.any(String) }), { role: 'web', parameter: '/acme/dr/ami/shop/web', amiId: 'ami-0123456789abcdef0', state: 'available' }]);
  });
});

describe('LaunchTemplates and ServerGroups', () => {
  it('is not ready when a launch template is missing', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [] });
    const report = await expectOnlyFailing(['LaunchTemplates']);
    expect(checkOf(report, 'LaunchTemplates').reason).toBe('launch templates missing: acme-shop-app');
    expect(ec2Mock.commandCalls(DescribeLaunchTemplatesCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'launch-template-name', Values: ['acme-shop-app'] }] });
  });

  it('is not ready when an Auto Scaling group is missing', async () => {
    asgMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const report = await expectOnlyFailing(['ServerGroups']);
    expect(checkOf(report, 'ServerGroups').reason).toBe('Auto Scaling groups missing: acme-shop-app');
  });

  it('is not ready when a group is scaled up and no recovery of the workload is running', async () => {
    asgMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'acme-shop-app', DesiredCapacity: 2 }] as never });
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: 'arn:aws:states:ap-northeast-1:222222222222:execution:acme-recovery:billing-drill' } as never] });
    sfnMock.on(DescribeExecutionCommand).resolves({ input: JSON.stringify({ workload: 'billing', mode: 'drill' }) } as never);
    const report = await expectOnlyFailing(['ServerGroups']);
    const c = checkOf(report, 'ServerGroups');
    expect(c.reason).toBe('acme-shop-app (desired capacity 2) above 0 with no recovery of the workload running');
    expect(c.fix).toContain('aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --min-size 0 --desired-capacity 0');
    expect(sfnMock.commandCalls(ListExecutionsCommand)[0].args[0].input).toEqual({ stateMachineArn: STATE_MACHINE_ARN, statusFilter: 'RUNNING', maxResults: 100 });
  });

  it('accepts a scaled-up group while a recovery of the workload is running (named, or through the incident account)', async () => {
    asgMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'acme-shop-app', DesiredCapacity: 2 }] as never });
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: 'arn:aws:states:ap-northeast-1:222222222222:execution:acme-recovery:incident-1' } as never] });
    sfnMock.on(DescribeExecutionCommand).resolves({ input: JSON.stringify({ mode: 'failover', trigger: 'event', incident: { account: SHOP } }) } as never);
    const report = await expectOnlyFailing([]);
    expect(checkOf(report, 'ServerGroups').reason).toBe('all 1 Auto Scaling groups exist; acme-shop-app scaled up while a recovery of shop is running');
  });

  it('is not ready, with the error, when the groups cannot be described (throttled on every attempt)', async () => {
    asgMock.on(DescribeAutoScalingGroupsCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const report = await expectOnlyFailing(['ServerGroups']);
    const c = checkOf(report, 'ServerGroups');
    expect(c.reason).toBe('could not be checked: DescribeAutoScalingGroups(acme-shop-app) was throttled (Throttling) on all 6 attempts; giving up');
    expect(c.fix).toMatch(/throttled/);
    expect(sleeps).toHaveLength(5);
  });
});

describe('StateMachine', () => {
  it('is not ready when the recovery state machine does not exist', async () => {
    sfnMock.on(DescribeStateMachineCommand).rejects(awsError('StateMachineDoesNotExist', 'State Machine Does Not Exist'));
    const report = await expectOnlyFailing(['StateMachine']);
    expect(checkOf(report, 'StateMachine')).toMatchObject({ reason: `the recovery state machine ${STATE_MACHINE_ARN} does not exist`, fix: 'Apply the dr stack: it creates the recovery state machine.' });
  });

  it('is not ready when it is being deleted', async () => {
    sfnMock.on(DescribeStateMachineCommand).resolves({ status: 'DELETING' } as never);
    await expectOnlyFailing(['StateMachine']);
  });
});

describe('DrillRto', () => {
  it('is not ready with "no drill measured" when no drill published an RTO in the lookback', async () => {
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'rto', Timestamps: [], Values: [] }] });
    const report = await expectOnlyFailing(['DrillRto']);
    const c = checkOf(report, 'DrillRto');
    expect(c.reason).toBe('no drill measured: no RecoveryTimeSeconds (Mode drill) of shop in the last 40 days');
    expect(c.fix).toContain(`aws stepfunctions start-execution --state-machine-arn ${STATE_MACHINE_ARN} --input '{"workload":"shop","mode":"drill"}'`);
  });

  it('is not ready when the last drill took longer than the RTO (the newest drill counts, not the fastest)', async () => {
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'rto', Timestamps: [hoursAgo(24 * 3), hoursAgo(24 * 30)], Values: [5 * 3600, 1800] }] });
    const report = await expectOnlyFailing(['DrillRto']);
    expect(checkOf(report, 'DrillRto').reason).toBe(`the last drill (${hoursAgo(72).toISOString()}) took 5 h, over the RTO of 4 h`);
  });

  it('is ready when the last drill met the RTO', async () => {
    const report = await expectOnlyFailing([]);
    expect(checkOf(report, 'DrillRto').reason).toBe(`the last drill (${hoursAgo(240).toISOString()}) recovered in 1 h 30 min, within the RTO of 4 h`);
  });
});

describe('RestoreTest', () => {
  it('is not ready when the newest restore test of a resource failed validation, naming the message', async () => {
    backupMock.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [job(EBS, hoursAgo(200), 'COMPLETED', 'SUCCESSFUL'), job(EBS, hoursAgo(25), 'COMPLETED', 'FAILED', 'volume size 8 GiB, expected 100 GiB'), job(RDS, hoursAgo(25), 'COMPLETED', 'SUCCESSFUL')],
    });
    const report = await expectOnlyFailing(['RestoreTest']);
    expect(checkOf(report, 'RestoreTest').reason).toBe(`1 of 2 resources failed their last restore test: ${EBS}: COMPLETED, validation FAILED (volume size 8 GiB, expected 100 GiB)`);
    // Selections are not scoped to the workload: the failed resource may be another workload's.
    expect(checkOf(report, 'RestoreTest').fix).toMatch(/may be another workload's/);
  });

  it('is not ready when a restore job failed', async () => {
    backupMock.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [job(RDS, hoursAgo(25), 'FAILED')] });
    await expectOnlyFailing(['RestoreTest']);
  });

  it('is not ready when no restore test finished within the window', async () => {
    backupMock.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
    const report = await expectOnlyFailing(['RestoreTest']);
    const c = checkOf(report, 'RestoreTest');
    expect(c.reason).toBe('no restore test of plan acme_shop_restore_test finished in the last 8 d 5 h');
    // The fix describes the selections as synthesized (every recovery point of the type in the plan's
    // vaults), not a tag condition, which they no longer have.
    expect(c.fix).toContain('aws backup list-restore-jobs --by-restore-testing-plan-arn ');
    expect(c.fix).toContain('ProtectedResourceArns ["*"], no tag condition');
    expect(c.fix).toContain('aws backup list-recovery-points-by-backup-vault');
    expect(c.fix).not.toMatch(/tag condition that matches|unverified/i);
  });

  it('judges a resource whose newest test is still running or validating by its previous test', async () => {
    backupMock.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [job(EBS, hoursAgo(1), 'RUNNING'), job(EBS, hoursAgo(160), 'COMPLETED', 'SUCCESSFUL'), job(RDS, hoursAgo(1), 'COMPLETED', 'VALIDATING'), job(RDS, hoursAgo(160), 'COMPLETED', 'SUCCESSFUL')],
    });
    const report = await expectOnlyFailing([]);
    expect(checkOf(report, 'RestoreTest').details).toMatchObject({ pending: 2 });
  });

  it('is not ready, with the error, when the plan does not exist', async () => {
    backupMock.on(GetRestoreTestingPlanCommand).rejects(awsError('ResourceNotFoundException', 'Restore testing plan not found'));
    const report = await expectOnlyFailing(['RestoreTest']);
    expect(checkOf(report, 'RestoreTest').reason).toBe('could not be checked: GetRestoreTestingPlan(acme_shop_restore_test) failed: ResourceNotFoundException: Restore testing plan not found');
  });
});

describe('reporting', () => {
  it('names every failed check with its fix at the top of the report', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [] });
    cwMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const result = await checkReadiness(input(), clients(), NOW);
    const report = writtenReport();
    expect(report.failedChecks.map((f) => f.check)).toEqual(['LaunchTemplates', 'DrillRto']);
    for (const f of report.failedChecks) expect(f.fix.length).toBeGreaterThan(20);
    expect(report.summary).toEqual({ workloads: 1, readyWorkloads: 0, failedChecks: 2 });
    expect(result.notReady.map((n) => n.check)).toEqual(['LaunchTemplates', 'DrillRto']);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Workload not ready' }));
  });

  it('publishes metrics in batches', async () => {
    await checkReadiness(input(), clients({ metricsPerCall: 3 }), NOW);
    expect(cwMock.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData!.length)).toEqual([3, 3, 2]);
  });

  it('still writes the report when the metrics cannot be published, then fails naming what was not done', async () => {
    cwMock.on(PutMetricDataCommand).rejects(awsError('AccessDenied', 'no'));
    await expect(checkReadiness(input(), clients(), NOW)).rejects.toThrow(
      new ReadinessError('readiness checked (ready) but not fully reported: metrics not published: PutMetricData(DisasterRecovery/Readiness) failed: AccessDenied: no; report written'),
    );
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(2);
  });

  it('fails when the report cannot be written', async () => {
    s3Mock.on(PutObjectCommand).rejects(awsError('AccessDenied', 'no'));
    await expect(checkReadiness(input(), clients(), NOW)).rejects.toThrow(/report not written: PutObject\(s3:\/\/acme-dr-readiness-222222222222-ap-northeast-1\/reports\/2026-11-20\/readiness.json\) failed/);
    expect(cwMock.commandCalls(PutMetricDataCommand)).toHaveLength(1);
  });

  it('rejects an invalid input, naming the field, before any AWS call', async () => {
    await expect(checkReadiness(input({ workloads: [{ ...SHOP_WORKLOAD, rpoMinutes: '1440' }] }), clients(), NOW)).rejects.toThrow(
      new InvalidInputError('workloads[0].rpoMinutes', 'must be a number, got string'),
    );
    await expect(checkReadiness(input({ centralVault: { name: 'acme-central', accountId: VAULT, readerRoleArn: `arn:aws:iam::${DR}:role/x` } }), clients(), NOW)).rejects.toThrow(
      /centralVault.readerRoleArn must be a role of the central vault's account/,
    );
    await expect(checkReadiness(null, clients(), NOW)).rejects.toThrow('Invalid input: input must be an object, got null');
    for (const m of [backupMock, centralMock, stsMock, ssmMock, ec2Mock, asgMock, sfnMock, cwMock, s3Mock]) expect(m.calls()).toHaveLength(0);
  });

  it('dates the report by the UTC day of the run', () => {
    expect(dailyReportKey(new Date('2026-01-02T23:59:59Z'))).toBe('reports/2026-01-02/readiness.json');
    expect(formatAge(59)).toBe('59 min');
    expect(formatAge(1500)).toBe('1 d 1 h');
  });
});

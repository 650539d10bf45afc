import { BackupClient, DescribeRestoreJobCommand, GetRecoveryPointRestoreMetadataCommand, StartRestoreJobCommand } from '@aws-sdk/client-backup';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  ALLOWED_OPERATIONS,
  REQUIRED_ACTIONS,
  SESSION_SECONDS,
  callInWorkloadRegion,
  parseWorkloadTargets,
  sessionName,
} from '../../../functions/workload-region-call/logic';
import { CREDENTIALS, recordingClients, rejection, SHOP_REGION, SHOP_ROLE, targetsJson } from './fixture';
import { expectRefusedBeforeAssuming } from '../../helpers/functions/workload-refusal';
import { mockEach } from '../../helpers/functions/mock-each';

const TARGETS = targetsJson();

const [stsMock, backupMock, ec2Mock, cwMock] = mockEach(STSClient, BackupClient, EC2Client, CloudWatchClient);

/** Records which credentials and region each client was built with. */
function world() {
  const { built, clients } = recordingClients();
  const logs: { level: string; message: string; attributes: Record<string, unknown>[] }[] = [];
  const logger = {
    info: (message: string, ...attributes: Record<string, unknown>[]) => logs.push({ level: 'info', message, attributes }),
    warn: (message: string, ...attributes: Record<string, unknown>[]) => logs.push({ level: 'warn', message, attributes }),
    error: (message: string, ...attributes: Record<string, unknown>[]) => logs.push({ level: 'error', message, attributes }),
  };
  const deps = { sts: new STSClient({ region: 'ap-northeast-1' }), clients, targetsJson: TARGETS, logger };
  return { built, logs, deps };
}

const call = (extra: Record<string, unknown> = {}) => ({
  operation: 'backup:DescribeRestoreJob',
  workload: 'shop',
  roleArn: SHOP_ROLE,
  region: SHOP_REGION,
  executionName: 'failback-shop-2026-11-20',
  parameters: { RestoreJobId: 'restore-1' },
  ...extra,
});


beforeEach(() => {
  for (const m of [stsMock, backupMock, ec2Mock, cwMock]) m.reset();
  stsMock.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
});

describe('workload-region-call', () => {
  it('needs only sts:AssumeRole itself, and allows exactly the thirteen failback calls (reconnect: __tests__/functions/workload-region-call/reconnect.test.ts, fsx.test.ts)', () => {
    expect(REQUIRED_ACTIONS).toEqual(['sts:AssumeRole']);
    expect([...ALLOWED_OPERATIONS].sort()).toEqual([
      'backup:DescribeRestoreJob',
      'backup:GetRecoveryPointRestoreMetadata',
      'backup:StartRestoreJob',
      'cloudwatch:DescribeAlarms',
      'ec2:AttachRestoredVolume',
      'ec2:DescribeSubnets',
      'elasticfilesystem:CreateMountTarget',
      'elasticfilesystem:DescribeMountTargets',
      'fsx:DescribeFileSystems',
      'fsx:DescribeStorageVirtualMachines',
      'fsx:DescribeVolumes',
      'ssm:GetAutomationExecution',
      'ssm:StartAutomationExecution',
    ]);
  });

  it('assumes the configured failback role for a short session named after the execution, and calls in the workload region with its credentials', async () => {
    const w = world();
    backupMock.on(DescribeRestoreJobCommand).resolves({ $metadata: { httpStatusCode: 200 }, RestoreJobId: 'restore-1', Status: 'COMPLETED', CreatedResourceArn: 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-1', CreationDate: new Date('2026-11-20T10:00:00Z') });
    const out = await callInWorkloadRegion(call(), w.deps);
    // The API's fields as the SDK integration returned them: no $metadata, dates as strings.
    expect(out).toEqual({ RestoreJobId: 'restore-1', Status: 'COMPLETED', CreatedResourceArn: 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-1', CreationDate: '2026-11-20T10:00:00.000Z' });
    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleArn: SHOP_ROLE, RoleSessionName: 'failback-failback-shop-2026-11-20', DurationSeconds: SESSION_SECONDS }]);
    expect(SESSION_SECONDS).toBe(900);
    expect(w.built).toEqual([{ service: 'backup', region: SHOP_REGION, credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: CREDENTIALS.Expiration } }]);
    expect(backupMock.commandCalls(DescribeRestoreJobCommand).map((c) => c.args[0].input)).toEqual([{ RestoreJobId: 'restore-1' }]);
  });

  it('passes the parameters of each allowed operation to its SDK command and returns what the ASL reads', async () => {
    backupMock.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { InstanceType: 'm7g.large' }, BackupVaultArn: 'v' });
    backupMock.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'restore-2' });
    ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-1', AvailabilityZone: 'ap-northeast-2a', VpcId: 'vpc-1' }] });
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'acme-shop-healthy', StateValue: 'OK' }] });
    const w = world();
    const metadata = await callInWorkloadRegion(call({ operation: 'backup:GetRecoveryPointRestoreMetadata', parameters: { BackupVaultName: 'acme-shop-local', RecoveryPointArn: 'rp' } }), w.deps);
    expect(metadata.RestoreMetadata).toEqual({ InstanceType: 'm7g.large' });
    const start = { RecoveryPointArn: 'rp', ResourceType: 'EC2', Metadata: { InstanceType: 'm7g.large' }, IamRoleArn: 'arn:aws:iam::333333333333:role/acme-shop-backup', IdempotencyToken: 't' };
    expect(await callInWorkloadRegion(call({ operation: 'backup:StartRestoreJob', parameters: start }), w.deps)).toEqual({ RestoreJobId: 'restore-2' });
    expect(backupMock.commandCalls(StartRestoreJobCommand)[0].args[0].input).toEqual(start);
    expect((await callInWorkloadRegion(call({ operation: 'ec2:DescribeSubnets', parameters: { SubnetIds: ['subnet-1'] } }), w.deps)).Subnets).toEqual([{ SubnetId: 'subnet-1', AvailabilityZone: 'ap-northeast-2a', VpcId: 'vpc-1' }]);
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)[0].args[0].input).toEqual({ SubnetIds: ['subnet-1'] });
    expect(await callInWorkloadRegion(call({ operation: 'cloudwatch:DescribeAlarms', parameters: { AlarmNames: ['acme-shop-healthy'] } }), w.deps)).toEqual({ MetricAlarms: [{ AlarmName: 'acme-shop-healthy', StateValue: 'OK' }] });
    expect(w.built.map((b) => [b.service, b.region])).toEqual([['backup', SHOP_REGION], ['backup', SHOP_REGION], ['ec2', SHOP_REGION], ['cloudwatch', SHOP_REGION]]);
  });

  it.each([
    ['another operation', { operation: 'backup:DeleteRecoveryPoint' }, /operation backup:DeleteRecoveryPoint is not allowed/],
    ['another service', { operation: 'iam:CreateRole' }, /operation iam:CreateRole is not allowed/],
    ['a workload it is not configured for', { workload: 'admin' }, /workload "admin" is not one this function calls for/],
    ['another role of the workload account', { roleArn: 'arn:aws:iam::333333333333:role/admin' }, /role arn:aws:iam::333333333333:role\/admin is not the failback role configured for workload shop/],
    ["another workload's role", { roleArn: 'arn:aws:iam::444444444444:role/acme-blog-failback' }, /is not the failback role configured for workload shop/],
    ['another region', { region: 'us-east-1' }, /region us-east-1 is not the region configured for workload shop \(ap-northeast-2\)/],
  ])('refuses %s before assuming anything', async (_what, extra, message) => {
    const w = world();
    await expectRefusedBeforeAssuming(callInWorkloadRegion(call(extra), w.deps), message, stsMock);
    expect(w.built).toEqual([]);
    expect(w.logs.find((l) => l.level === 'error')!.attributes[0]).toMatchObject({ errorName: 'WorkloadRegionCall.Refused' });
  });

  it.each([
    ['no operation', { operation: undefined }, /Invalid input: operation is missing/],
    ['parameters that are not an object', { parameters: 'x' }, /Invalid input: parameters must be an object, got string/],
    ['an execution name STS cannot carry', { executionName: 'a b' }, /Invalid input: executionName must be a Step Functions execution name/],
    ['a role that is no role ARN', { roleArn: 'acme-shop-failback' }, /Invalid input: roleArn must be an IAM role ARN/],
  ])('rejects an input with %s', async (_what, extra, message) => {
    const error = await rejection(callInWorkloadRegion(call(extra), world().deps));
    expect(error.name).toBe('InvalidInputError');
    expect(error.message).toMatch(message);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('refuses every call when its configuration is missing or wrong', async () => {
    for (const [targetsJson, message] of [
      [undefined, /environment WORKLOAD_TARGETS is missing/],
      ['[]', /environment WORKLOAD_TARGETS must list at least one workload/],
      ['[{"workload":"shop","roleArn":"x","region":"ap-northeast-2"}]', /environment WORKLOAD_TARGETS\[0\]\.roleArn must be an IAM role ARN/],
    ] as const) {
      const error = await rejection(callInWorkloadRegion(call(), { ...world().deps, targetsJson }));
      expect(error.message).toMatch(message);
    }
    expect(parseWorkloadTargets(TARGETS).map((t) => t.workload)).toEqual(['shop', 'blog']);
  });

  it("passes AWS errors through with the SDK integration's names, so that the ASL's Retry and Catch match them", async () => {
    const w = world();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    backupMock.on(DescribeRestoreJobCommand).rejects(throttled);
    const error = await rejection(callInWorkloadRegion(call(), w.deps));
    expect(error.name).toBe('Backup.ThrottlingException');
    expect(error.message).toBe('backup:DescribeRestoreJob failed: ThrottlingException: Rate exceeded');

    ec2Mock.on(DescribeSubnetsCommand).rejects(Object.assign(new Error('The subnet ID does not exist'), { name: 'InvalidSubnetID.NotFound' }));
    expect((await rejection(callInWorkloadRegion(call({ operation: 'ec2:DescribeSubnets', parameters: { SubnetIds: ['subnet-x'] } }), w.deps))).name).toBe('Ec2.InvalidSubnetID.NotFound');

    cwMock.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('slow down'), { name: 'Throttling' }));
    expect((await rejection(callInWorkloadRegion(call({ operation: 'cloudwatch:DescribeAlarms', parameters: { AlarmNames: ['a'] } }), w.deps))).name).toBe('CloudWatch.Throttling');
  });

  it('names a refused or failed AssumeRole after STS, and never calls the workload then', async () => {
    const w = world();
    stsMock.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' }));
    const error = await rejection(callInWorkloadRegion(call(), w.deps));
    expect(error.name).toBe('Sts.AccessDenied');
    expect(error.message).toContain(`AssumeRole(${SHOP_ROLE})`);
    expect(w.built).toEqual([]);
    stsMock.on(AssumeRoleCommand).resolves({});
    expect((await rejection(callInWorkloadRegion(call(), w.deps))).name).toBe('Sts.NoCredentials');
  });

  it('keeps session names within what STS accepts', () => {
    expect(sessionName('x'.repeat(80))).toHaveLength(64);
    expect(sessionName('x'.repeat(80))).toMatch(/^failback-[\w+=,.@-]+$/);
  });
});

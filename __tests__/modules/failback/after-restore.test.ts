/**
 * The failback machine after the restore, EXECUTED in the local Step Functions interpreter
 * (rehearsal/interpreter.ts) with every Task replaced by a local handler: locate by tag, the switch
 * back, verify, the release of the freeze, the grace period, the second approval and the cleanup, and
 * what happens when one of them fails.
 */
import { ExecutionAbortedError, StateMachine } from '../../../rehearsal/interpreter';
import { allStates, type StateMachineDefinition, type TaskState, type WaitState } from '../../../modules/recovery/asl';
import { DNS_SYNC_TIMEOUT_SECONDS, HEALTH_TIMEOUT_SECONDS } from '../../../modules/failback/steps/switch-back';
import { locateResourceTypeFilters } from '../../../modules/failback/steps/locate';
import { estateFor } from '../../helpers/synth';
import { failbackInput, isWorkloadRegionCall } from '../../helpers/failback';
void ExecutionAbortedError;

const DR = '222222222222';
const INSTANCE = `arn:aws:ec2:ap-northeast-1:${DR}:instance/i-0123456789abcdef0`;
const TABLE = `arn:aws:dynamodb:ap-northeast-1:${DR}:table/orders-dr`;
const PRIMARY = 'shop.ap-northeast-2.example.com';
const DR_ENDPOINT = 'shop-dr.example.com';

function definitionOf(failback: Record<string, unknown> = {}, recovery: Record<string, unknown> = {}): StateMachineDefinition {
  const input = failbackInput({ dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: PRIMARY }, graceHours: 5, ...failback }) as Record<string, any>;
  input.workloads[0].recovery = {
    ...input.workloads[0].recovery,
    healthAlarmName: 'acme-shop-healthy',
    failover: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: DR_ENDPOINT },
    ...recovery,
  };
  const dr = estateFor(input).dr;
  return dr.failback!.stateMachine.definition;
}

type Handler = (input: any) => unknown;

/** The world the Tasks see; a test changes what it needs. */
function world() {
  const calls: { state: string; input: any }[] = [];
  const workloadRegionPayloads: { state: TaskState; payload: any }[] = [];
  const behaviour: Record<string, Handler> = {
    LocateDrResources: () => ({ ResourceTagMappingList: [{ ResourceARN: INSTANCE }, { ResourceARN: TABLE }], PaginationToken: '' }),
    RequestApproval: () => ({ approved: true }),
    ScaleToMaintenanceSize: () => ({}),
    StartFinalBackup: (i) => ({ BackupJobId: `backup-${i.ResourceArn.slice(-6)}` }),
    BackupPollCheck: (i) => ({ State: 'COMPLETED', BackupJobId: i.BackupJobId, RecoveryPointArn: `arn:aws:backup:ap-northeast-1:${DR}:recovery-point:${i.BackupJobId}`, ResourceType: i.BackupJobId.includes('dr') ? 'DynamoDB' : 'EC2' }),
    StartFailbackCopy: (i) => ({ CopyJobId: `copy-${i.RecoveryPointArn.slice(-6)}` }),
    FailbackCopyPollCheck: (i) => ({ CopyJob: { State: 'COMPLETED', CopyJobId: i.CopyJobId, DestinationRecoveryPointArn: `arn:aws:backup:ap-northeast-2:333333333333:recovery-point:${i.CopyJobId}`, ResourceType: i.CopyJobId.includes('dr') ? 'DynamoDB' : 'EC2' } }),
    GetFailbackRestoreMetadata: () => ({ RestoreMetadata: { InstanceType: 'm7g.large' } }),
    // The restore step's own lookups (steps/restore-overrides.ts); only their presence matters here.
    DescribeFailbackSubnet: () => ({ Subnets: [{ AvailabilityZone: 'ap-northeast-2a', VpcId: 'vpc-0123456789abcdef0' }] }),
    StartFailbackRestore: (i) => ({ RestoreJobId: `restore-${i.RecoveryPointArn.slice(-6)}` }),
    FailbackRestorePollCheck: (i) => ({ Status: 'COMPLETED', RestoreJobId: i.RestoreJobId, CreatedResourceArn: `arn:aws:ec2:ap-northeast-2:333333333333:instance/i-${i.RestoreJobId.slice(-6)}` }),
    // Step Reconnect (steps/reconnect.ts; executed in __tests__/modules/failback/reconnect.test.ts).
    AttachRestoredVolumeInWorkload: (i) => ({ outcome: 'attached', volumeId: i.VolumeArn.split('/')[1], instanceId: 'i-0aaaaaaaaaaaaaaa0', device: '/dev/sdf', availabilityZone: 'ap-northeast-2a' }),
    StartConnectRunbook: () => ({ AutomationExecutionId: '12345678-1234-1234-1234-123456789012' }),
    ConnectRunbookPollCheck: (i) => ({ AutomationExecution: { AutomationExecutionId: i.AutomationExecutionId, DocumentName: 'acme-shop-connect-servers', AutomationExecutionStatus: 'Success' } }),
    SwitchDnsBack: () => ({ ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING' } }),
    DnsSyncPollCheck: (i) => ({ ChangeInfo: { Id: i.Id, Status: 'INSYNC' } }),
    HealthPollCheck: () => ({ MetricAlarms: [{ AlarmName: 'acme-shop-healthy', StateValue: 'OK' }] }),
    ReportFailback: () => ({}),
    RequestCleanupApproval: () => ({ approved: true }),
    CleanupDr: () => ({ Payload: { deleted: [INSTANCE, TABLE], skipped: [], scaledToZero: ['acme-shop-app'] } }),
    ReportCleanup: () => ({}),
    CleanupDeclined: () => ({}),
    ReportFailbackFailure: () => ({}),
    ScaleBackToRecoverySize: () => ({}),
    RevertDns: () => ({ ChangeInfo: { Id: '/change/CREVERT', Status: 'PENDING' } }),
  };
  return { calls, behaviour, workloadRegionPayloads };
}

async function run(def: StateMachineDefinition, w: ReturnType<typeof world>, input: Record<string, unknown> = { workload: 'shop' }) {
  const taskStates = allStates(def).filter(([, s]) => s.Type === 'Task') as [string, TaskState][];
  const tasks = taskStates.map(([n]) => n);
  const handlers = Object.fromEntries(
    taskStates.map(([name, state]) => [
      name,
      async (taskInput: any) => {
        // A call in the workload region: the API's parameters go to the handler, its answer comes back as the function's Payload.
        const inWorkloadRegion = isWorkloadRegionCall(state);
        if (inWorkloadRegion) w.workloadRegionPayloads.push({ state, payload: taskInput.Payload });
        const input = inWorkloadRegion ? taskInput.Payload.parameters : taskInput;
        w.calls.push({ state: name, input });
        const h = w.behaviour[name];
        if (!h) throw new Error(`no handler for Task ${name}`);
        const output = await h(input);
        return inWorkloadRegion ? { Payload: output, StatusCode: 200 } : output;
      },
    ]),
  );
  const waits = allStates(def).filter(([, s]) => s.Type === 'Wait').map(([n]) => n);
  const machine = new StateMachine(def as any, { validationOptions: { noValidate: true } });
  const execution = machine.run(input as any, {
    overrides: { taskResourceLocalHandlers: handlers as any, waitTimeOverrides: Object.fromEntries(waits.map((n) => [n, 0])), retryIntervalOverrides: Object.fromEntries(tasks.map((n) => [n, 0])) },
    context: { Execution: { Id: 'arn:aws:states:ap-northeast-1:222222222222:execution:acme-failback:test', Name: 'test' }, Task: { Token: 'token' }, State: { EnteredTime: '2026-11-20T10:00:00.000Z', Name: 'any', RetryCount: 0 } } as any,
  });
  try {
    return { status: 'SUCCEEDED' as const, output: (await execution.result) as any };
  } catch (error: any) {
    return { status: 'FAILED' as const, error: error?.cause?.name ?? error?.name, cause: String(error?.cause?.message ?? error?.message) };
  }
}

/** Each Task by its first call (the jobs of a Map run side by side). */
const order = (calls: { state: string }[]) => [...new Set(calls.map((c) => c.state))];
const count = (calls: { state: string }[], state: string) => calls.filter((c) => c.state === state).length;

describe('failback after the restore, executed', () => {
  const def = definitionOf();

  it('runs locate → approve → freeze → jobs → switch back → INSYNC → healthy → release → report → grace → second approval → cleanup', async () => {
    const w = world();
    const result = await run(def, w);
    expect(result.status).toBe('SUCCEEDED');
    expect(count(w.calls, 'StartFailbackRestore')).toBe(2);
    // Nothing after the restore starts before every restore has completed.
    expect(w.calls.findIndex((c) => c.state === 'SwitchDnsBack')).toBeGreaterThan(w.calls.map((c) => c.state).lastIndexOf('FailbackRestorePollCheck'));
    // The restore step's own lookups (another step's concern) are left out of the order.
    expect(order(w.calls).filter((n) => n !== 'DescribeFailbackSubnet')).toEqual([
      'LocateDrResources',
      'RequestApproval',
      'ScaleToMaintenanceSize',
      'StartFinalBackup',
      'BackupPollCheck',
      'StartFailbackCopy',
      'FailbackCopyPollCheck',
      'GetFailbackRestoreMetadata',
      'StartFailbackRestore',
      'FailbackRestorePollCheck',
      'StartConnectRunbook',
      'ConnectRunbookPollCheck',
      'SwitchDnsBack',
      'DnsSyncPollCheck',
      'HealthPollCheck',
      'ReportFailback',
      'RequestCleanupApproval',
      'CleanupDr',
      'ReportCleanup',
    ]);
    // Found by the dr:workload tag, of the restorable types only.
    expect(w.calls[0].input).toEqual({ TagFilters: [{ Key: 'dr:workload', Values: ['shop'] }], ResourceTypeFilters: locateResourceTypeFilters(), ResourcesPerPage: 100 });
    expect(locateResourceTypeFilters()).toEqual(expect.arrayContaining(['dynamodb:table', 'ec2:volume']));
    // Not the DR server groups' instances, which the freeze terminates (steps/locate.ts).
    expect(locateResourceTypeFilters()).not.toContain('ec2:instance');
    expect(w.calls.filter((c) => c.state === 'StartFinalBackup').map((c) => c.input.ResourceArn).sort()).toEqual([TABLE, INSTANCE].sort());
    // The record goes back to the primary endpoint; GetChange is asked about the change it returned.
    const upsert = w.calls.find((c) => c.state === 'SwitchDnsBack')!.input;
    expect(upsert).toEqual({
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      ChangeBatch: { Comment: 'DR failback: back to the primary region', Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'shop.example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: PRIMARY }] } }] },
    });
    expect(w.calls.find((c) => c.state === 'DnsSyncPollCheck')!.input).toEqual({ Id: '/change/C2682N5HXP0BZ4' });
    expect(w.calls.find((c) => c.state === 'HealthPollCheck')!.input).toEqual({ AlarmNames: ['acme-shop-healthy'] });
    // Every call in the workload account names its workload, failback role and region (checked by the function) and the execution.
    expect(new Set(w.workloadRegionPayloads.map((p) => JSON.stringify({ ...p.payload, parameters: undefined, operation: undefined })))).toEqual(
      new Set([JSON.stringify({ workload: 'shop', roleArn: 'arn:aws:iam::333333333333:role/acme-shop-failback', region: 'ap-northeast-2', executionName: 'test' })]),
    );
    expect([...new Set(w.workloadRegionPayloads.map((p) => p.payload.operation))].sort()).toEqual([
      'backup:DescribeRestoreJob',
      'backup:GetRecoveryPointRestoreMetadata',
      'backup:StartRestoreJob',
      'cloudwatch:DescribeAlarms',
      'ec2:DescribeSubnets',
      'ssm:GetAutomationExecution',
      'ssm:StartAutomationExecution',
    ]);
    // The freeze is released (recorded) before the report; the cleanup gets the DR resources, mode failback.
    expect(result.output.rpo).toEqual(expect.objectContaining({ released: true, releasedAt: expect.any(String), frozenAt: expect.any(String), backupsCompletedAt: expect.any(String) }));
    const cleanup = w.calls.find((c) => c.state === 'CleanupDr')!.input;
    expect(cleanup.Payload).toEqual({
      mode: 'failback',
      executionName: 'test',
      accountId: DR,
      region: 'ap-northeast-1',
      restores: expect.arrayContaining([{ resourceType: 'EC2', createdResourceArn: INSTANCE }, { resourceType: 'DynamoDB', createdResourceArn: TABLE }]),
      autoScalingGroups: ['acme-shop-app'],
    });
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(0);
  });

  it('uses the listed resourceArns without a tag search', async () => {
    const w = world();
    expect((await run(def, w, { workload: 'shop', resourceArns: [INSTANCE] })).status).toBe('SUCCEEDED');
    expect(count(w.calls, 'LocateDrResources')).toBe(0);
    expect(w.calls.filter((c) => c.state === 'StartFinalBackup').map((c) => c.input.ResourceArn)).toEqual([INSTANCE]);
  });

  it('fails clearly, before any approval, when no resource carries the tag', async () => {
    const w = world();
    w.behaviour.LocateDrResources = () => ({ ResourceTagMappingList: [], PaginationToken: '' });
    const result = await run(def, w);
    expect(result).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: 'Locate' });
    expect(count(w.calls, 'RequestApproval')).toBe(0);
    expect(w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toMatch(/failed in step Locate: .*NoResourcesFound.*tagged dr:workload=shop/);
  });

  it('bounds the health check: an alarm never OK is polled for 30 minutes, then the DR server groups and DNS are restored and the execution fails naming Verify', async () => {
    const w = world();
    w.behaviour.HealthPollCheck = () => ({ MetricAlarms: [{ AlarmName: 'acme-shop-healthy', StateValue: 'ALARM' }] });
    const result = await run(def, w);
    expect(result).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: 'Verify' });
    expect(count(w.calls, 'HealthPollCheck')).toBe(HEALTH_TIMEOUT_SECONDS / 30 + 1);
    expect(w.calls.filter((c) => c.state === 'ScaleBackToRecoverySize').map((c) => c.input)).toEqual([{ AutoScalingGroupName: 'acme-shop-app', MinSize: 2, DesiredCapacity: 2 }]);
    expect(w.calls.find((c) => c.state === 'RevertDns')!.input.ChangeBatch.Changes[0].ResourceRecordSet.ResourceRecords).toEqual([{ Value: DR_ENDPOINT }]);
    // Never released, never reported as done, never cleaned up.
    for (const state of ['ReportFailback', 'RequestCleanupApproval', 'CleanupDr']) expect({ state, calls: count(w.calls, state) }).toEqual({ state, calls: 0 });
    const message = w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message as string;
    expect(message).toMatch(/failed in step Verify: .*Unhealthy/);
    expect(message).toContain('back to their recovery size');
  });

  it('treats a missing alarm like one not OK (no crash on an empty answer)', async () => {
    const w = world();
    w.behaviour.HealthPollCheck = () => ({ MetricAlarms: [] });
    expect(await run(def, w)).toMatchObject({ status: 'FAILED', cause: 'Verify' });
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(1);
  });

  it('bounds the wait for Route 53: a change never INSYNC fails SwitchBack after 15 minutes and restores the freeze', async () => {
    const w = world();
    w.behaviour.DnsSyncPollCheck = (i) => ({ ChangeInfo: { Id: i.Id, Status: 'PENDING' } });
    const result = await run(def, w);
    expect(result).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: 'SwitchBack' });
    expect(count(w.calls, 'DnsSyncPollCheck')).toBe(DNS_SYNC_TIMEOUT_SECONDS / 15 + 1);
    expect(count(w.calls, 'HealthPollCheck')).toBe(0);
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(1);
    expect(count(w.calls, 'RevertDns')).toBe(1);
  });

  it('a failure before the freeze restores nothing', async () => {
    const w = world();
    w.behaviour.RequestApproval = () => ({ approved: false });
    expect(await run(def, w)).toMatchObject({ status: 'FAILED', cause: 'Approve' });
    expect(count(w.calls, 'ScaleToMaintenanceSize') + count(w.calls, 'ScaleBackToRecoverySize')).toBe(0);
  });

  it('a rejected second approval cleans up nothing and ends successfully, saying the DR account is kept', async () => {
    const w = world();
    w.behaviour.RequestCleanupApproval = () => ({ approved: false });
    const result = await run(def, w);
    expect(result.status).toBe('SUCCEEDED');
    expect(count(w.calls, 'CleanupDr')).toBe(0);
    expect(count(w.calls, 'CleanupDeclined')).toBe(1);
    expect(result.output.cleanup).toBeUndefined();
  });

  it('a failed cleanup is reported naming Cleanup, without touching the released workload', async () => {
    const w = world();
    w.behaviour.CleanupDr = () => {
      const e = new Error('drill cleanup incomplete');
      e.name = 'CleanupIncompleteError';
      throw e;
    };
    expect(await run(def, w)).toMatchObject({ status: 'FAILED', cause: 'Cleanup' });
    expect(count(w.calls, 'ScaleBackToRecoverySize') + count(w.calls, 'RevertDns')).toBe(0);
  });

  it('waits the configured grace period, bounded approvals and polls', () => {
    const grace = allStates(def).find(([n]) => n === 'GraceWait')![1] as WaitState;
    expect(grace).toEqual({ Type: 'Wait', SecondsPath: '$.config.graceSeconds', Next: 'RequestCleanupApproval' });
    expect((def.States['Config-shop'] as { Result: { graceSeconds: number } }).Result.graceSeconds).toBe(5 * 3600);
    expect((definitionOf({ graceHours: 48 }).States['Config-shop'] as { Result: { graceSeconds: number } }).Result.graceSeconds).toBe(48 * 3600);
    expect((def.States.RequestCleanupApproval as TaskState).TimeoutSeconds).toBe(3600);
    expect((def.States.AskDnsSwitch as TaskState).TimeoutSeconds).toBe(3600);
  });

  it('without a value for the record, waits (bounded) for on-call to switch it; without dnsRecord, goes straight to verify', async () => {
    const byHand = definitionOf({ dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' } });
    const w = world();
    w.behaviour.AskDnsSwitch = () => ({ switched: true });
    expect((await run(byHand, w)).status).toBe('SUCCEEDED');
    expect(count(w.calls, 'AskDnsSwitch')).toBe(1);
    expect(count(w.calls, 'SwitchDnsBack')).toBe(0);
    const none = definitionOf({ dnsRecord: undefined });
    const w2 = world();
    expect((await run(none, w2)).status).toBe('SUCCEEDED');
    expect(count(w2.calls, 'SwitchDnsBack') + count(w2.calls, 'AskDnsSwitch')).toBe(0);
    expect(count(w2.calls, 'HealthPollCheck')).toBe(1);
  });
});

describe('failback step Reconnect, executed (steps/reconnect.ts)', () => {
  const def = definitionOf();
  const VOLUME = `arn:aws:ec2:ap-northeast-1:${DR}:volume/vol-0aaaaaaaaaaaaaaa1`;
  const RESTORED_VOLUME = 'arn:aws:ec2:ap-northeast-2:333333333333:volume/vol-0bbbbbbbbbbbbbbb1';
  const input = { workload: 'shop', resourceArns: [INSTANCE, VOLUME] };
  /** The world with a DR volume beside the instance: its backup, copy and restore are EBS, restored as a volume. */
  function withVolume() {
    const w = world();
    const isVolume = (id: string) => id.includes('aaaaa1');
    w.behaviour.BackupPollCheck = (i) => ({ State: 'COMPLETED', BackupJobId: i.BackupJobId, RecoveryPointArn: `arn:aws:backup:ap-northeast-1:${DR}:recovery-point:${i.BackupJobId}`, ResourceType: isVolume(i.BackupJobId) ? 'EBS' : 'EC2' });
    w.behaviour.FailbackCopyPollCheck = (i) => ({ CopyJob: { State: 'COMPLETED', CopyJobId: i.CopyJobId, DestinationRecoveryPointArn: `arn:aws:backup:ap-northeast-2:333333333333:recovery-point:${i.CopyJobId}`, ResourceType: isVolume(i.CopyJobId) ? 'EBS' : 'EC2' } });
    w.behaviour.GetFailbackRestoreMetadata = () => ({ RestoreMetadata: { InstanceType: 'm7g.large', availabilityZone: 'ap-northeast-1a', encrypted: 'true', volumeType: 'gp3' } });
    w.behaviour.FailbackRestorePollCheck = (i) => ({
      Status: 'COMPLETED',
      RestoreJobId: i.RestoreJobId,
      CreatedResourceArn: isVolume(i.RestoreJobId) ? RESTORED_VOLUME : `arn:aws:ec2:ap-northeast-2:333333333333:instance/i-${i.RestoreJobId.slice(-6)}`,
    });
    return w;
  }
  const payloadsOf = (w: ReturnType<typeof world>, operation: string) => w.workloadRegionPayloads.filter((p) => p.payload.operation === operation).map((p) => p.payload);

  it('after every restore, attaches the restored volumes by tag and runs the connect runbook in the workload account and region, before the DNS switch', async () => {
    const w = withVolume();
    const result = await run(def, w, input);
    expect(result.status).toBe('SUCCEEDED');
    // The restores keep the dr:* tags that the attach (and the failback role's AttachVolume condition) need.
    for (const c of w.calls.filter((x) => x.state === 'StartFailbackRestore')) expect(c.input.CopySourceTagsToRestoredResource).toBe(true);
    // The volume only, once, through the workload-region-call function as the workload's failback role in its region.
    expect(payloadsOf(w, 'ec2:AttachRestoredVolume')).toEqual([
      { operation: 'ec2:AttachRestoredVolume', workload: 'shop', roleArn: 'arn:aws:iam::333333333333:role/acme-shop-failback', region: 'ap-northeast-2', executionName: 'test', parameters: { VolumeArn: RESTORED_VOLUME } },
    ]);
    expect(payloadsOf(w, 'ssm:StartAutomationExecution').map((p) => p.parameters)).toEqual([
      // No EFS file system restored: an empty list.
      { DocumentName: 'acme-shop-connect-servers', Parameters: { Workload: ['shop'], StartCommand: ['systemctl start dr-app.target'], MountRoot: ['/mnt/dr'], FileSystemArns: ['[]'] } },
    ]);
    expect(payloadsOf(w, 'ssm:GetAutomationExecution').map((p) => p.parameters)).toEqual([{ AutomationExecutionId: '12345678-1234-1234-1234-123456789012' }]);
    const states = w.calls.map((c) => c.state);
    expect(states.indexOf('AttachRestoredVolumeInWorkload')).toBeGreaterThan(states.lastIndexOf('FailbackRestorePollCheck'));
    expect(states.indexOf('StartConnectRunbook')).toBeGreaterThan(states.indexOf('AttachRestoredVolumeInWorkload'));
    expect(states.indexOf('SwitchDnsBack')).toBeGreaterThan(states.lastIndexOf('ConnectRunbookPollCheck'));
    expect(result.output.attachments).toEqual(
      expect.arrayContaining([{ outcome: 'attached', volumeId: 'vol-0bbbbbbbbbbbbbbb1', instanceId: 'i-0aaaaaaaaaaaaaaa0', device: '/dev/sdf' }, expect.objectContaining({ outcome: 'not a volume' })]),
    );
    expect(w.calls.find((c) => c.state === 'ReportFailback')!.input.Message).toMatch(/Reconnected: volumes .*vol-0bbbbbbbbbbbbbbb1.*, connect runbook .*Success/);
  });

  it('retries throttling and Lambda errors of the attach (the function is idempotent: one attachment)', async () => {
    const w = withVolume();
    const attach = w.behaviour.AttachRestoredVolumeInWorkload;
    let calls = 0;
    w.behaviour.AttachRestoredVolumeInWorkload = (i) => {
      calls++;
      if (calls <= 2) throw Object.assign(new Error('slow down'), { name: calls === 1 ? 'Lambda.TooManyRequestsException' : 'Ec2.RequestLimitExceeded' });
      return attach(i);
    };
    expect((await run(def, w, input)).status).toBe('SUCCEEDED');
    expect(calls).toBe(3);
  });

  it('a volume that cannot be attached fails Reconnect clearly, undoes the freeze and never switches DNS', async () => {
    const w = withVolume();
    w.behaviour.AttachRestoredVolumeInWorkload = () => {
      throw Object.assign(new Error('no running instance with dr:server=app in ap-northeast-2a'), { name: 'Ec2.AttachRestoredVolumeError' });
    };
    const result = await run(def, w, input);
    expect(result).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: 'Reconnect' });
    expect(count(w.calls, 'AttachRestoredVolumeInWorkload')).toBe(1);
    for (const state of ['StartConnectRunbook', 'SwitchDnsBack', 'ReportFailback']) expect({ state, calls: count(w.calls, state) }).toEqual({ state, calls: 0 });
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(1);
    expect(w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toMatch(/failed in step Reconnect: .*Ec2.AttachRestoredVolumeError.*no running instance with dr:server=app/);
  });

  it('a failed connect runbook fails Reconnect naming its status; one never done is polled for an hour, then fails', async () => {
    const w = withVolume();
    w.behaviour.ConnectRunbookPollCheck = (i) => ({ AutomationExecution: { AutomationExecutionId: i.AutomationExecutionId, AutomationExecutionStatus: 'Failed' } });
    const failed = await run(def, w, input);
    expect(failed).toMatchObject({ status: 'FAILED', cause: 'Reconnect' });
    expect(w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toMatch(/failed in step Reconnect: .*ConnectRunbookFailed.*ended Failed/);
    expect(count(w.calls, 'SwitchDnsBack')).toBe(0);
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(1);

    const w2 = withVolume();
    w2.behaviour.ConnectRunbookPollCheck = (i) => ({ AutomationExecution: { AutomationExecutionId: i.AutomationExecutionId, AutomationExecutionStatus: 'InProgress' } });
    expect(await run(def, w2, input)).toMatchObject({ status: 'FAILED', cause: 'Reconnect' });
    expect(count(w2.calls, 'ConnectRunbookPollCheck')).toBe(3600 / 30 + 1);
    expect(w2.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toContain('ConnectRunbookTimedOut');
  });

  it('a refused or failed start of the runbook fails Reconnect; without a connect runbook configured, none is started', async () => {
    const w = withVolume();
    w.behaviour.StartConnectRunbook = () => {
      throw Object.assign(new Error('document "x" is not the connect runbook configured for workload shop'), { name: 'WorkloadRegionCall.Refused' });
    };
    expect(await run(def, w, input)).toMatchObject({ status: 'FAILED', cause: 'Reconnect' });
    expect(count(w.calls, 'StartConnectRunbook')).toBe(1);

    const without = JSON.parse(JSON.stringify(def)) as StateMachineDefinition;
    delete (without.States['Config-shop'] as { Result: Record<string, unknown> }).Result.connectRunbook;
    const w2 = withVolume();
    const result = await run(without, w2, input);
    expect(result.status).toBe('SUCCEEDED');
    expect(count(w2.calls, 'StartConnectRunbook') + count(w2.calls, 'ConnectRunbookPollCheck')).toBe(0);
    expect(count(w2.calls, 'AttachRestoredVolumeInWorkload')).toBe(1);
    expect(result.output.connectRunbookStatus).toEqual({ status: 'none configured' });
  });
});

describe('failback step Reconnect with a restored EFS file system, executed (steps/reconnect.ts)', () => {
  const def = definitionOf();
  const FILE_SYSTEM = `arn:aws:elasticfilesystem:ap-northeast-1:${DR}:file-system/fs-0aaaaaaaaaaaaaaa2`;
  const RESTORED_FS = 'arn:aws:elasticfilesystem:ap-northeast-2:333333333333:file-system/fs-0bbbbbbbbbbbbbbb2';
  const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
  const input = { workload: 'shop', resourceArns: [INSTANCE, FILE_SYSTEM] };
  const payloadsOf = (w: ReturnType<typeof world>, operation: string) => w.workloadRegionPayloads.filter((p) => p.payload.operation === operation).map((p) => p.payload);

  /** The world with a DR file system beside the instance; its mount targets become available on the second DescribeMountTargets. */
  function withFileSystem() {
    const w = world();
    const isFs = (id: string) => id.includes('aaaaa2');
    w.behaviour.BackupPollCheck = (i) => ({ State: 'COMPLETED', BackupJobId: i.BackupJobId, RecoveryPointArn: `arn:aws:backup:ap-northeast-1:${DR}:recovery-point:${i.BackupJobId}`, ResourceType: isFs(i.BackupJobId) ? 'EFS' : 'EC2' });
    w.behaviour.FailbackCopyPollCheck = (i) => ({ CopyJob: { State: 'COMPLETED', CopyJobId: i.CopyJobId, DestinationRecoveryPointArn: `arn:aws:backup:ap-northeast-2:333333333333:recovery-point:${i.CopyJobId}`, ResourceType: isFs(i.CopyJobId) ? 'EFS' : 'EC2' } });
    w.behaviour.FailbackRestorePollCheck = (i) => ({
      Status: 'COMPLETED',
      RestoreJobId: i.RestoreJobId,
      CreatedResourceArn: isFs(i.RestoreJobId) ? RESTORED_FS : `arn:aws:ec2:ap-northeast-2:333333333333:instance/i-${i.RestoreJobId.slice(-6)}`,
    });
    const created: string[] = [];
    let described = 0;
    w.behaviour.CreateMountTargetInWorkload = (i) => {
      created.push(i.SubnetId);
      return { outcome: 'created', FileSystemId: 'fs-0bbbbbbbbbbbbbbb2', SubnetId: i.SubnetId, MountTargetId: `fsmt-0${created.length}`, LifeCycleState: 'creating' };
    };
    w.behaviour.WorkloadMountTargetPollCheck = () => {
      described++;
      return { MountTargets: created.map((subnet, n) => ({ MountTargetId: `fsmt-0${n + 1}`, SubnetId: subnet, LifeCycleState: described >= 2 ? 'available' : 'creating' })) };
    };
    return { w, created, describedCount: () => described };
  }

  it('creates a mount target in each failback subnet with the failback security groups, waits until available, then passes the file system to the connect runbook', async () => {
    const { w, created, describedCount } = withFileSystem();
    const result = await run(def, w, input);
    expect(result.status).toBe('SUCCEEDED');
    expect(created).toEqual(SUBNETS);
    expect(payloadsOf(w, 'elasticfilesystem:CreateMountTarget')).toEqual(
      SUBNETS.map((subnet) => ({
        operation: 'elasticfilesystem:CreateMountTarget',
        workload: 'shop',
        roleArn: 'arn:aws:iam::333333333333:role/acme-shop-failback',
        region: 'ap-northeast-2',
        executionName: 'test',
        parameters: { FileSystemArn: RESTORED_FS, SubnetId: subnet, SecurityGroups: ['sg-0123456789abcdef0'] },
      })),
    );
    expect(payloadsOf(w, 'elasticfilesystem:DescribeMountTargets').map((p) => p.parameters)).toEqual([{ FileSystemArn: RESTORED_FS }, { FileSystemArn: RESTORED_FS }]);
    expect(describedCount()).toBe(2);
    expect(payloadsOf(w, 'ssm:StartAutomationExecution').map((p) => p.parameters.Parameters.FileSystemArns)).toEqual([[JSON.stringify([RESTORED_FS])]]);
    const states = w.calls.map((c) => c.state);
    expect(states.indexOf('CreateMountTargetInWorkload')).toBeGreaterThan(states.lastIndexOf('FailbackRestorePollCheck'));
    expect(states.indexOf('StartConnectRunbook')).toBeGreaterThan(states.lastIndexOf('WorkloadMountTargetPollCheck'));
    expect(result.output.attachments).toEqual(expect.arrayContaining([{ outcome: 'mount targets available', resourceArn: RESTORED_FS, mountTargets: 2 }]));
  });

  it('reuses a mount target the function reports as existing, and retries a file system still settling', async () => {
    const { w } = withFileSystem();
    const create = w.behaviour.CreateMountTargetInWorkload;
    let calls = 0;
    w.behaviour.CreateMountTargetInWorkload = (i) => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('File system is in the creating state.'), { name: 'Efs.IncorrectFileSystemLifeCycleState' });
      const out = create(i) as Record<string, unknown>;
      return calls === 3 ? { ...out, outcome: 'exists' } : out;
    };
    expect((await run(def, w, input)).status).toBe('SUCCEEDED');
    expect(calls).toBe(3);
    expect(count(w.calls, 'StartConnectRunbook')).toBe(1);
  });

  it('a refused or failed mount target fails Reconnect, undoes the freeze and starts no runbook', async () => {
    const { w } = withFileSystem();
    w.behaviour.CreateMountTargetInWorkload = () => {
      throw Object.assign(new Error('subnet "subnet-0ffffffffffffffff" is not one of workload shop\'s failback subnets'), { name: 'WorkloadRegionCall.Refused' });
    };
    const result = await run(def, w, input);
    expect(result).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: 'Reconnect' });
    // A refusal is never retried (the local interpreter may start the other subnet's item: MaxConcurrency is not modelled).
    expect(new Set(w.calls.filter((c) => c.state === 'CreateMountTargetInWorkload').map((c) => c.input.SubnetId)).size).toBe(count(w.calls, 'CreateMountTargetInWorkload'));
    for (const state of ['WorkloadMountTargetPollCheck', 'StartConnectRunbook', 'SwitchDnsBack', 'ReportFailback']) expect({ state, calls: count(w.calls, state) }).toEqual({ state, calls: 0 });
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(1);
    expect(w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toMatch(/failed in step Reconnect: .*WorkloadRegionCall.Refused/);
  });

  it('a mount target in state error fails Reconnect naming it; one never available is polled for 15 minutes, then fails', async () => {
    const { w } = withFileSystem();
    w.behaviour.WorkloadMountTargetPollCheck = () => ({ MountTargets: [{ MountTargetId: 'fsmt-01', LifeCycleState: 'error' }, { MountTargetId: 'fsmt-02', LifeCycleState: 'available' }] });
    expect(await run(def, w, input)).toMatchObject({ status: 'FAILED', cause: 'Reconnect' });
    expect(w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toMatch(/MountTargetFailed.*fsmt-01/);
    expect(count(w.calls, 'StartConnectRunbook')).toBe(0);

    const { w: w2 } = withFileSystem();
    w2.behaviour.WorkloadMountTargetPollCheck = () => ({ MountTargets: [{ MountTargetId: 'fsmt-01', LifeCycleState: 'creating' }] });
    expect(await run(def, w2, input)).toMatchObject({ status: 'FAILED', cause: 'Reconnect' });
    expect(count(w2.calls, 'WorkloadMountTargetPollCheck')).toBe(900 / 30 + 1);
    expect(w2.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toContain('MountTargetsNotAvailable');
    expect(count(w2.calls, 'StartConnectRunbook')).toBe(0);
  });
});

describe('failback step Reconnect with restored FSx file systems, executed (steps/reconnect-fsx.ts)', () => {
  const SVM = 'svm-0ccccccccccccccc1';
  /** The example with a workload that backs up FSx (its runbook in the workload account takes FsxFileSystems). */
  function fsxDefinition(): StateMachineDefinition {
    const input = failbackInput({ dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: PRIMARY }, graceHours: 5, fsx: { ontapStorageVirtualMachineId: SVM } }) as Record<string, any>;
    input.workloads[0].recovery = { ...input.workloads[0].recovery, healthAlarmName: 'acme-shop-healthy', failover: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com', value: DR_ENDPOINT } };
    input.workloads[0].backup.resourceTypes = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx'];
    return estateFor(input).dr.failback!.stateMachine.definition;
  }
  const def = fsxDefinition();
  const LUSTRE = `arn:aws:fsx:ap-northeast-1:${DR}:file-system/fs-0aaaaaaaaaaaaaaa3`;
  const ONTAP_VOLUME = `arn:aws:fsx:ap-northeast-1:${DR}:volume/fs-0aaaaaaaaaaaaaaa4/fsvol-0aaaaaaaaaaaaaaa5`;
  const RESTORED_LUSTRE = 'arn:aws:fsx:ap-northeast-2:333333333333:file-system/fs-0bbbbbbbbbbbbbbb3';
  const RESTORED_VOLUME = 'arn:aws:fsx:ap-northeast-2:333333333333:volume/fs-0bbbbbbbbbbbbbbb4/fsvol-0bbbbbbbbbbbbbbb5';
  const input = { workload: 'shop', resourceArns: [INSTANCE, LUSTRE, ONTAP_VOLUME] };
  const payloadsOf = (w: ReturnType<typeof world>, operation: string) => w.workloadRegionPayloads.filter((p) => p.payload.operation === operation).map((p) => p.payload);

  /** The world with a Lustre file system and an ONTAP volume beside the instance; each serves on its second Describe. */
  function withFsx() {
    const w = world();
    const kind = (id: string) => (id.includes('aaaaa3') ? 'lustre' : id.includes('aaaaa5') ? 'ontap' : 'instance');
    const typeOf = (id: string) => (kind(id) === 'instance' ? 'EC2' : 'FSx');
    w.behaviour.BackupPollCheck = (i) => ({ State: 'COMPLETED', BackupJobId: i.BackupJobId, RecoveryPointArn: `arn:aws:backup:ap-northeast-1:${DR}:recovery-point:${i.BackupJobId}`, ResourceType: typeOf(i.BackupJobId) });
    w.behaviour.FailbackCopyPollCheck = (i) => ({ CopyJob: { State: 'COMPLETED', CopyJobId: i.CopyJobId, DestinationRecoveryPointArn: `arn:aws:backup:ap-northeast-2:333333333333:recovery-point:${i.CopyJobId}`, ResourceType: typeOf(i.CopyJobId) } });
    w.behaviour.GetFailbackRestoreMetadata = (i) => {
      const k = kind(i.RecoveryPointArn);
      if (k === 'lustre') return { RestoreMetadata: { FileSystemType: 'LUSTRE', LustreConfiguration: JSON.stringify({ DeploymentType: 'PERSISTENT_2' }) } };
      if (k === 'ontap') return { RestoreMetadata: { OntapConfiguration: JSON.stringify({ JunctionPath: '/data', SizeInMegabytes: '1024' }) } };
      return { RestoreMetadata: { InstanceType: 'm7g.large' } };
    };
    w.behaviour.FailbackRestorePollCheck = (i) => ({
      Status: 'COMPLETED',
      RestoreJobId: i.RestoreJobId,
      CreatedResourceArn: { lustre: RESTORED_LUSTRE, ontap: RESTORED_VOLUME, instance: `arn:aws:ec2:ap-northeast-2:333333333333:instance/i-${i.RestoreJobId.slice(-6)}` }[kind(i.RestoreJobId)],
    });
    let fsDescribed = 0;
    let volumeDescribed = 0;
    w.behaviour.WorkloadFsxFileSystemPollCheck = () => {
      fsDescribed++;
      return { FileSystems: [{ FileSystemId: 'fs-0bbbbbbbbbbbbbbb3', FileSystemType: 'LUSTRE', Lifecycle: fsDescribed >= 2 ? 'AVAILABLE' : 'CREATING', DNSName: 'fs-0bbbbbbbbbbbbbbb3.fsx.ap-northeast-2.amazonaws.com', LustreConfiguration: { MountName: 'abcdefgh' } }] };
    };
    w.behaviour.WorkloadFsxVolumePollCheck = () => {
      volumeDescribed++;
      return { Volumes: [{ VolumeId: 'fsvol-0bbbbbbbbbbbbbbb5', Lifecycle: volumeDescribed >= 2 ? 'CREATED' : 'CREATING', OntapConfiguration: { StorageVirtualMachineId: SVM, JunctionPath: '/failback_1' } }] };
    };
    w.behaviour.FsxStorageVirtualMachineInWorkload = () => ({ StorageVirtualMachines: [{ StorageVirtualMachineId: SVM, Endpoints: { Nfs: { DNSName: 'svm.fs-0ccc.fsx.ap-northeast-2.amazonaws.com' } } }] });
    w.behaviour.StartConnectRunbookWithFsx = w.behaviour.StartConnectRunbook;
    return { w, counts: () => ({ fsDescribed, volumeDescribed }) };
  }

  it('describes the restored file system and ONTAP volume (and its SVM) in the workload region until they serve, then passes them to the runbook as recovery does', async () => {
    const { w, counts } = withFsx();
    const result = await run(def, w, input);
    expect(result.status).toBe('SUCCEEDED');
    expect(counts()).toEqual({ fsDescribed: 2, volumeDescribed: 2 });
    const target = { workload: 'shop', roleArn: 'arn:aws:iam::333333333333:role/acme-shop-failback', region: 'ap-northeast-2', executionName: 'test' };
    expect(payloadsOf(w, 'fsx:DescribeFileSystems')).toEqual([1, 2].map(() => ({ operation: 'fsx:DescribeFileSystems', ...target, parameters: { FileSystemArn: RESTORED_LUSTRE } })));
    expect(payloadsOf(w, 'fsx:DescribeVolumes').map((p) => p.parameters)).toEqual([{ VolumeArn: RESTORED_VOLUME }, { VolumeArn: RESTORED_VOLUME }]);
    expect(payloadsOf(w, 'fsx:DescribeStorageVirtualMachines').map((p) => p.parameters)).toEqual([{ StorageVirtualMachineId: SVM }]);
    // The one runbook start, with FsxFileSystems in the recovery's shape (modules/recovery/steps/connect.ts).
    expect(count(w.calls, 'StartConnectRunbook')).toBe(0);
    const started = payloadsOf(w, 'ssm:StartAutomationExecution');
    expect(started).toHaveLength(1);
    const entries = JSON.parse(started[0].parameters.Parameters.FsxFileSystems[0]);
    expect(entries.sort()).toEqual(['LUSTRE|fs-0bbbbbbbbbbbbbbb3|fs-0bbbbbbbbbbbbbbb3.fsx.ap-northeast-2.amazonaws.com|abcdefgh', 'ONTAP|fsvol-0bbbbbbbbbbbbbbb5|svm.fs-0ccc.fsx.ap-northeast-2.amazonaws.com|/failback_1']);
    expect(started[0].parameters.Parameters.FileSystemArns).toEqual(['[]']);
    const states = w.calls.map((c) => c.state);
    expect(states.indexOf('WorkloadFsxFileSystemPollCheck')).toBeGreaterThan(states.lastIndexOf('FailbackRestorePollCheck'));
    expect(states.indexOf('StartConnectRunbookWithFsx')).toBeGreaterThan(Math.max(states.lastIndexOf('WorkloadFsxFileSystemPollCheck'), states.lastIndexOf('FsxStorageVirtualMachineInWorkload')));
    expect(states.indexOf('SwitchDnsBack')).toBeGreaterThan(states.indexOf('StartConnectRunbookWithFsx'));
  });

  it('a file system that never becomes AVAILABLE is polled for an hour, then fails Reconnect with the freeze undone, no runbook and no switch', async () => {
    const { w } = withFsx();
    w.behaviour.WorkloadFsxFileSystemPollCheck = () => ({ FileSystems: [{ FileSystemId: 'fs-0bbbbbbbbbbbbbbb3', FileSystemType: 'LUSTRE', Lifecycle: 'CREATING' }] });
    const result = await run(def, w, input);
    expect(result).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: 'Reconnect' });
    expect(count(w.calls, 'WorkloadFsxFileSystemPollCheck')).toBe(3600 / 30 + 1);
    expect(w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toContain('FsxFileSystemNotAvailable');
    for (const state of ['StartConnectRunbook', 'StartConnectRunbookWithFsx', 'SwitchDnsBack', 'ReportFailback']) expect({ state, calls: count(w.calls, state) }).toEqual({ state, calls: 0 });
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(1);
  });

  it('a file system that FAILED fails Reconnect at once, naming it; a refused describe fails Reconnect too', async () => {
    const { w } = withFsx();
    w.behaviour.WorkloadFsxFileSystemPollCheck = () => ({ FileSystems: [{ FileSystemId: 'fs-0bbbbbbbbbbbbbbb3', FileSystemType: 'LUSTRE', Lifecycle: 'FAILED', FailureDetails: { Message: 'subnet full' } }] });
    expect(await run(def, w, input)).toMatchObject({ status: 'FAILED', cause: 'Reconnect' });
    expect(w.calls.find((c) => c.state === 'ReportFailbackFailure')!.input.Message).toMatch(/FsxFileSystemFailed.*fs-0bbbbbbbbbbbbbbb3 in the workload account is FAILED/);
    expect(count(w.calls, 'ScaleBackToRecoverySize')).toBe(1);

    const { w: w2 } = withFsx();
    w2.behaviour.FsxStorageVirtualMachineInWorkload = () => {
      throw Object.assign(new Error('SVM of another account'), { name: 'WorkloadRegionCall.Refused' });
    };
    expect(await run(def, w2, input)).toMatchObject({ status: 'FAILED', cause: 'Reconnect' });
    expect(count(w2.calls, 'FsxStorageVirtualMachineInWorkload')).toBe(1);
    expect(count(w2.calls, 'StartConnectRunbookWithFsx')).toBe(0);
  });

  it('a definition without an FSx workload has no FSx state and starts the runbook without FsxFileSystems', () => {
    const without = allStates(definitionOf());
    // (The restore step's FSx metadata states are there for every workload: steps/restore-overrides.ts.)
    expect(without.map(([n]) => n).filter((n) => /Fsx.*InWorkload|WorkloadFsx|ConnectRunbookTakesFsx|WithFsx/.test(n))).toEqual([]);
    const start = without.find(([n]) => n === 'StartConnectRunbook')![1] as TaskState;
    expect(Object.keys((start.Parameters as any).Payload.parameters.Parameters)).not.toContain('FsxFileSystems.$');
    expect(allStates(def).map(([n]) => n)).toEqual(expect.arrayContaining(['ConnectRunbookTakesFsx', 'StartConnectRunbookWithFsx', 'StartConnectRunbook', 'WorkloadFsxFileSystemPollCheck']));
  });
});

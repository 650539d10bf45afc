/**
 * The offline rehearsal (rehearsal/), driven as a library: the synthesized recovery state machine in
 * aws-local-stepfunctions against the in-memory DR account, with the real function logic.
 */
import { runRehearsal, type RehearsalResult } from '../../rehearsal/machine';
import { exampleInput } from '../helpers/synth';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const failedChecks = (r: RehearsalResult) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
const jobSeconds = (r: RehearsalResult) => r.restores.map((j) => (j.endedAt as number) - j.startedAt);
const POLL_SECONDS = 30;

describe('rehearsal: happy path', () => {
  it('recovers a workload with one resource: restored, attached once, runbook, report with RTO and RPO', async () => {
    const r = await runRehearsal({ resources: 1, seed: 7 });
    expect(failedChecks(r)).toEqual([]);
    expect(r.recovered).toBe(true);
    expect(r.execution.status).toBe('SUCCEEDED');
    expect(r.restores).toHaveLength(1);
    expect(r.restores[0]).toMatchObject({ resourceType: 'EBS', status: 'COMPLETED' });
    expect(r.volumes).toEqual([expect.objectContaining({ attaches: 1, ok: true, server: 'app', device: '/dev/sdf' })]);
    expect(r.report).toMatchObject({ outcome: 'recovered', subject: expect.stringMatching(/^\[DR failover\] shop recovered in /) });
    // RTO: start → report, within the simulated run; RPO: start − the (2-22 h old) recovery point.
    expect(r.rtoSeconds).toBeGreaterThan(r.restorePhaseSeconds as number);
    expect(r.rtoSeconds).toBeLessThanOrEqual(r.durationSeconds);
    expect(r.rpoSeconds).toBeGreaterThanOrEqual(2 * 3600);
    expect(r.rpoSeconds).toBeLessThanOrEqual(22 * 3600);
    // Every Wait state the execution went through took its Seconds on the simulated clock.
    expect(r.waitsApplied).toEqual(r.waitsObserved);
    expect(r.waitsObserved.RestorePollWait).toBeGreaterThan(0);
    expect(r.warnings.filter((w) => w.startsWith('rehearsal'))).toEqual([]);
    // The metrics of the report function.
    expect(r.model.metrics.flatMap((m) => (m.data as { MetricName: string }[]).map((d) => d.MetricName)).sort()).toEqual(['RecoveryPointAgeSeconds', 'RecoverySucceeded', 'RecoveryTimeSeconds']);
  });

  it('recovers 20 resources with the restores in parallel: the restore phase takes the longest job, not the sum', async () => {
    const config = exampleInput();
    (config.workloads[0] as Record<string, unknown>).recovery = { restoreConcurrency: 20 };
    const r = await runRehearsal({ config, resources: 20, seed: 3 });
    expect(failedChecks(r)).toEqual([]);
    expect(r.restores).toHaveLength(20);
    const durations = jobSeconds(r);
    const longest = Math.max(...durations);
    const sum = durations.reduce((a, b) => a + b, 0);
    const phase = r.restorePhaseSeconds as number;
    expect(r.model.maxConcurrentRestores).toBe(20);
    expect(phase).toBeGreaterThanOrEqual(longest);
    expect(phase).toBeLessThanOrEqual(longest + 2 * POLL_SECONDS);
    expect(phase).toBeLessThan(sum / 5);
    // Every EBS volume of the mix: attached once, to the app server of its zone, at its own device.
    expect(r.volumes.length).toBe(r.restores.filter((j) => j.resourceType === 'EBS').length);
    expect(new Set(r.volumes.map((v) => v.device)).size).toBe(r.volumes.length);
  });

  it('keeps at most restoreConcurrency (5) restore jobs running with the example configuration', async () => {
    const r = await runRehearsal({ resources: 20, seed: 3 });
    expect(r.recovered).toBe(true);
    expect(r.model.maxConcurrentRestores).toBe(5);
    const sum = jobSeconds(r).reduce((a, b) => a + b, 0);
    expect(r.restorePhaseSeconds).toBeLessThan(sum / 3);
  });
});

describe('rehearsal: throttling storm', () => {
  it('recovers when 30% of all AWS calls are throttled (Retry of the state machine, backoff of the functions)', async () => {
    const r = await runRehearsal({ resources: 12, throttle: 0.3, seed: 1 });
    expect(failedChecks(r)).toEqual([]);
    expect(r.stats.throttled / r.stats.calls).toBeGreaterThan(0.25);
    expect(r.stats.retries).toBeGreaterThan(100);
    expect(r.volumes.every((v) => v.attaches === 1)).toBe(true);
    // The state machine's retries took their backoff on the simulated clock.
    expect(r.waitsApplied).toEqual(r.waitsObserved);
  });
});

describe('rehearsal: a restore job fails', () => {
  it('reaches the failure branch: the report names the step RestoreData and the failed resource, and the run is not recovered', async () => {
    const r = await runRehearsal({ resources: 4, failRestores: 1, seed: 5 });
    expect(r.recovered).toBe(false);
    expect(r.execution).toMatchObject({ status: 'FAILED', error: 'RecoveryFailed' });
    expect(r.failedRestores.filter((f) => f.status === 'FAILED')).toHaveLength(1);
    const failed = r.failedRestores.find((f) => f.status === 'FAILED') as RehearsalResult['failedRestores'][number];
    expect(r.report).toMatchObject({ outcome: 'failed', failedStep: 'RestoreData' });
    // The cause names the restore job and the recovery point of the resource that failed.
    expect(r.report?.message).toContain('Failed step:  RestoreData');
    expect(r.report?.message).toContain(failed.restoreJobId);
    expect(r.report?.message).toContain(failed.recoveryPointArn);
    expect(r.checks.find((c) => c.name === 'every protected resource restored')?.detail).toContain(failed.resourceArn);
    expect(r.model.automations.size).toBe(0);
  });
});

describe('rehearsal: the event path and the state machine attach the same volumes', () => {
  it('attaches every volume exactly once when each restore-completed event is delivered twice, at the same moment', async () => {
    const r = await runRehearsal({ resources: 9, seed: 11, duplicateDelaySeconds: 0 });
    expect(failedChecks(r)).toEqual([]);
    const volumes = r.volumes.map((v) => v.volumeId);
    expect(volumes.length).toBeGreaterThanOrEqual(4);
    expect(r.events.delivered).toBe(2 * volumes.length);
    for (const v of volumes) expect(r.model.attachCount(v)).toBe(1);
    // One delivery attached, the concurrent one saw the volume in use and reported already-attached.
    expect(r.events.outcomes).toEqual({ attached: volumes.length, 'already-attached': volumes.length });
  });

  it('attaches the volumes of lost events in ConnectServers, still once each', async () => {
    const r = await runRehearsal({ resources: 9, seed: 11, lostEvents: 3, duplicateEvents: false });
    expect(failedChecks(r)).toEqual([]);
    expect(r.events.lost).toBe(3);
    expect(r.events.outcomes.attached).toBe(r.volumes.length - 3);
    expect(r.volumes.every((v) => v.attaches === 1 && v.ok)).toBe(true);
  });
});

describe('rehearsal: restored EFS file systems get mount targets before the runbook mounts them', () => {
  it('creates one mount target per landing-zone subnet with the servers\' security group, all available before the runbook starts', async () => {
    const r = await runRehearsal({ types: ['EFS', 'EBS'], resources: 4, seed: 12 });
    expect(failedChecks(r)).toEqual([]);
    expect(r.warnings).toEqual([]);
    const runbook = [...r.model.automations.values()][0];
    const efs = r.restores.filter((j) => j.resourceType === 'EFS');
    expect(efs).toHaveLength(2);
    const subnets = r.synthesized.subnets;
    expect(subnets.length).toBeGreaterThanOrEqual(2);
    const serverGroups = (r.synthesized.definition.States['Config-shop'] as { Result: { target: { securityGroupIds: string[] } } }).Result.target.securityGroupIds;
    for (const job of efs) {
      const id = (job.createdResourceArn as string).split('/').pop() as string;
      const targets = r.model.fileSystems.get(id)?.mountTargets ?? [];
      expect(targets.map((m) => m.subnetId).sort()).toEqual(subnets.map((s) => s.id).sort());
      expect(targets.map((m) => m.az).sort()).toEqual(subnets.map((s) => s.availabilityZone).sort());
      for (const m of targets) {
        expect(m).toMatchObject({ state: 'available', securityGroups: serverGroups });
        expect(m.availableAt).toBeLessThanOrEqual(runbook.startedAt);
        expect(m.availableAt).toBeGreaterThanOrEqual((job.endedAt as number) * 1000 + r.model.clock.startMs);
      }
    }
    expect(runbook.status).toBe('Success');
    // The runbook was given the restored file systems to mount.
    expect(JSON.parse(runbook.parameters.FileSystemArns[0]).sort()).toEqual(efs.map((j) => j.createdResourceArn).sort());
    expect(r.states.CreateMountTargets.exitedAt).toBeLessThanOrEqual(r.states.RunConnectRunbook.enteredAt);
  });

  it('creating them again is a conflict the recovery treats as done (idempotent re-run)', async () => {
    const r = await runRehearsal({ types: ['EFS'], resources: 1, seed: 12 });
    expect(failedChecks(r)).toEqual([]);
    const id = (r.restores[0].createdResourceArn as string).split('/').pop() as string;
    const [subnet] = r.synthesized.subnets;
    await expect(
      r.model.call('efs', 'createMountTarget', { FileSystemId: id, SubnetId: subnet.id, SecurityGroups: r.synthesized.securityGroupIds.slice(0, 1) }, r.synthesized.executionRoleArn),
    ).rejects.toMatchObject({ name: 'MountTargetConflict' });
    const create = JSON.stringify(r.synthesized.definition);
    expect(create).toContain('"ErrorEquals":["Efs.MountTargetConflictException"],"ResultPath":null,"Next":"MountTargetExists"');
  });

  it('the model fails the runbook for a file system without mount targets (what the recovery used to leave)', async () => {
    const r = await runRehearsal({ types: ['EFS'], resources: 1, seed: 12 });
    const m = r.model;
    m.fileSystems.set('fs-0000000000000bare', { id: 'fs-0000000000000bare', lifeCycleState: 'available', mountTargets: [] });
    const arn = `arn:aws:elasticfilesystem:ap-northeast-1:222222222222:file-system/fs-0000000000000bare`;
    const { AutomationExecutionId } = await m.call(
      'ssm',
      'startAutomationExecution',
      { DocumentName: r.synthesized.connectDocumentName, Parameters: { Workload: ['shop'], StartCommand: ['true'], MountRoot: ['/mnt/dr'], FileSystemArns: [JSON.stringify([arn])] } },
      r.synthesized.executionRoleArn,
    );
    await m.clock.drive(() => m.automations.get(AutomationExecutionId)?.status !== 'InProgress', m.clock.now() + 3600_000);
    expect(m.automations.get(AutomationExecutionId)).toMatchObject({ status: 'Failed', failureMessage: expect.stringContaining('no available mount target') });
  });
});

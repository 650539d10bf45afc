/**
 * `npm run rehearse -- --mode failback`: a recovery, then the synthesized failback machine against the
 * DR account's model and a model of the workload account (rehearsal/failback/*), every call authorized.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runFailbackRehearsal, type FailbackOptions } from '../../rehearsal/failback/run';
import { failbackRehearsalInput } from '../helpers/failback';
import { synthEstate } from '../helpers/synth';

jest.setTimeout(120_000);

const CONFIG = failbackRehearsalInput();
let synthDir: string;
beforeAll(() => {
  synthDir = synthEstate(CONFIG);
});
const rehearse = (options: Partial<FailbackOptions> = {}) => runFailbackRehearsal({ config: CONFIG, synthDir, resources: 4, ...options });
const drGroup = (r: Awaited<ReturnType<typeof rehearse>>) => r.recovery.model.groups.get('acme-shop-app');

describe('failback rehearsal', () => {
  test('happy path: recovers, fails back, reports the freeze window as the failback RPO, DNS back, freeze released', async () => {
    const r = await rehearse();
    expect(r.recovery.recovered).toBe(true);
    const f = r.failback!;
    expect(f.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.failedBack).toBe(true);
    expect(f.execution.status).toBe('SUCCEEDED');
    // Timeline order of the steps.
    const steps = f.timeline.filter((e) => !e.step.startsWith(' ')).map((e) => e.step);
    const order = ['Approve', 'Freeze', 'FinalBackups', 'CopyToWorkload', 'RestoreInWorkload', 'SwitchBack', 'Verify', 'Report', 'Cleanup'];
    const firsts = order.map((s) => steps.indexOf(s));
    expect(firsts.every((i) => i >= 0)).toBe(true);
    expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
    // RPO = the freeze window the execution measured; RTO from the approval to the release.
    expect(f.rpoSeconds).toBe((Date.parse(f.rpo!.backupsCompletedAt!) - Date.parse(f.rpo!.frozenAt!)) / 1000);
    expect(f.rpoSeconds!).toBeGreaterThan(60);
    expect(f.rtoSeconds!).toBeGreaterThan(f.rpoSeconds!);
    expect(f.rpo?.released).toBe(true);
    expect(f.report?.subject).toMatch(/DR failback/);
    // Every resource restored in the workload account; DNS back at the primary endpoint.
    expect(f.restoredInWorkload.length).toBe(4);
    expect(f.restoredInWorkload.every((j) => j.status === 'COMPLETED' && j.createdResourceArn?.includes(':333333333333:'))).toBe(true);
    const dns = r.recovery.model.dnsChanges[r.recovery.model.dnsChanges.length - 1].changes as any[];
    expect(dns[0].ResourceRecordSet.ResourceRecords).toEqual([{ Value: 'shop-primary.example.com' }]);
    if (f.reconnects) {
      // Every restored volume reattached exactly once, in the primary region.
      expect(f.volumes.length).toBeGreaterThan(0);
      expect(f.volumes.every((v) => v.attaches === 1 && v.instanceId)).toBe(true);
    }
    // The freeze stays until the cleanup, which (approved after the grace period) scales the DR groups to zero.
    expect(drGroup(r)?.desired).toBe(0);
    const approvedCleanup = f.timeline.find((e) => e.detail.startsWith('on-call approved') && e.step !== 'Approve');
    expect(approvedCleanup!.at).toBeGreaterThan(72 * 3600);
    expect(f.denials).toEqual([]);
  });

  test('a restored EFS file system gets its mount targets in the failback subnets (one per zone), available before the connect runbook', async () => {
    // Six resources: the three EBS volumes, RDS, DynamoDB and the EFS file system (npm run rehearse's default).
    const r = await rehearse({ resources: 6 });
    const f = r.failback!;
    expect(f.checks.filter((c) => !c.ok)).toEqual([]);
    expect(f.execution.status).toBe('SUCCEEDED');
    const restoredFs = f.restoredInWorkload.filter((j) => j.resourceType === 'EFS');
    expect(restoredFs).toHaveLength(1);
    const fsId = restoredFs[0].createdResourceArn!.split('/')[1];
    const fileSystem = f.workloadAccount.fileSystems.get(fsId)!;
    const subnets = CONFIG.workloads[0].failback.subnetIds as string[];
    expect(fileSystem.mountTargets.map((m) => m.subnetId).sort()).toEqual([...subnets].sort());
    expect(fileSystem.mountTargets.every((m) => m.state === 'available' && m.securityGroups?.join() === (CONFIG.workloads[0].failback.securityGroupIds as string[]).join())).toBe(true);
    // The runbook mounted it: its mount targets were available when it started.
    const runbookStarted = f.timeline.find((e) => e.step === 'StartConnectRunbook')!.at;
    expect(f.timeline.filter((e) => /mount target .* available/.test(e.detail)).every((e) => e.at <= runbookStarted)).toBe(true);
    expect(f.timeline.some((e) => /1 file system\(s\) mounted/.test(e.detail) && e.at >= runbookStarted)).toBe(true);
    expect(f.denials).toEqual([]);
  });

  test('rejected at the approval: nothing is frozen', async () => {
    const r = await rehearse({ approve: false });
    const f = r.failback!;
    expect(f.execution).toMatchObject({ status: 'FAILED', error: 'FailbackFailed', cause: 'Approve' });
    expect(f.drState.backupJobs.size).toBe(0);
    expect(f.rpo?.frozenAt).toBeUndefined();
    expect(drGroup(r)?.desired).toBe(2);
    expect(r.failedBack).toBe(false);
  });

  test('a failed copy: the freeze is released (server groups back) and the execution fails naming the step', async () => {
    const r = await rehearse({ failCopies: 1 });
    const f = r.failback!;
    expect(f.execution).toMatchObject({ status: 'FAILED', cause: 'CopyToWorkload' });
    expect(f.timeline.some((e) => e.step === 'RestoreServerGroups')).toBe(true);
    expect(drGroup(r)?.desired).toBe(2);
    expect(f.restoredInWorkload).toEqual([]);
    expect(f.report?.subject).toBe('DR failback FAILED');
  });

  test('throttling: calls retried, same outcome', async () => {
    const r = await rehearse({ throttle: 0.15, seed: 3 });
    const f = r.failback!;
    expect(f.stats.throttled).toBeGreaterThan(0);
    expect(f.stats.retries).toBeGreaterThan(0);
    expect(f.checks.filter((c) => !c.ok)).toEqual([]);
    expect(f.execution.status).toBe('SUCCEEDED');
  });

  test('a permission removed from the synthesized policy fails the rehearsal, naming the call', async () => {
    const dir = synthEstate(CONFIG);
    const file = path.join(dir, 'stacks', 'dr', 'cdk.tf.json');
    const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
    let removed = 0;
    for (const policy of Object.values<any>(stack.resource.aws_iam_role_policy ?? {})) {
      const doc = JSON.parse(policy.policy);
      const kept = doc.Statement.filter((s: any) => s.Sid !== 'AssumeWorkloadFailbackRolesOnly');
      removed += doc.Statement.length - kept.length;
      policy.policy = JSON.stringify({ ...doc, Statement: kept });
    }
    expect(removed).toBe(1);
    fs.writeFileSync(file, JSON.stringify(stack));
    const r = await runFailbackRehearsal({ config: CONFIG, synthDir: dir, resources: 4 });
    expect(r.recovery.recovered).toBe(true);
    const f = r.failback!;
    expect(r.failedBack).toBe(false);
    expect(f.execution.status).toBe('FAILED');
    expect(f.denials.join('\n')).toMatch(/function:acme-failback-workload-region-call .*failback-workload-region-call sts:AssumeRole arn:aws:iam::333333333333:role\/acme-shop-failback/);
    expect(f.checks.find((c) => c.name === 'every failback AWS call authorized')?.ok).toBe(false);
  });
});

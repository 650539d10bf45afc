import { runRehearsal } from '../../rehearsal/machine';
import { fsxInput, FSX_DIRECTORY_ID, FSX_SVM_ID } from '../helpers/fsx';
import { synthEstate } from '../helpers/synth';
import { dropStatement, mutatedSynthDir } from '../helpers/synth-mutations';

/**
 * FSx in the rehearsal: Lustre and Windows File Server file systems and an ONTAP volume restored from
 * the DR vault into the landing zone (the directory, the SVM, the file-system security group), found by
 * DescribeRestoredFileSystems and mounted (Lustre, NFS) or checked on SMB 445 (Windows) by the connect
 * runbook, every call authorized; the source account's key in FSx restore metadata is dropped.
 */
const config = fsxInput({ windowsDirectoryId: FSX_DIRECTORY_ID, ontapStorageVirtualMachineId: FSX_SVM_ID });
const synthDir = synthEstate(config);
const scenario = { config, types: ['EBS', 'FSx'] as const, resources: 6, seed: 1 };

describe('FSx recovery, rehearsed', () => {
  it('restores Lustre, Windows File Server and an ONTAP volume, and the runbook mounts or reaches each', async () => {
    const r = await runRehearsal({ ...scenario, types: [...scenario.types], synthDir });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.recovered).toBe(true);
    expect([...r.model.fsx.values()].map((f) => [f.type, f.lifecycle]).sort()).toEqual([['LUSTRE', 'AVAILABLE'], ['ONTAP', 'AVAILABLE'], ['WINDOWS', 'AVAILABLE']]);
    const runbook = [...r.model.automations.values()][0];
    expect(runbook.status).toBe('Success');
    expect(JSON.parse(runbook.parameters.FsxFileSystems[0]).map((e: string) => e.split('|')[0]).sort()).toEqual(['LUSTRE', 'ONTAP', 'WINDOWS']);
    // The restore role used the DR vault's key through FSx (grants), never the workload account's key.
    const kms = r.model.authorizer.evaluations.filter((e) => e.request.action.startsWith('kms:') && e.request.viaService?.startsWith('fsx.'));
    expect(kms.length).toBeGreaterThan(0);
    for (const e of kms) expect(e.request.resource).toContain(':222222222222:key/RestoreVaultKey');
  });

  it('a drill deletes the FSx file systems and the ONTAP volume it restored (the state machine, after cleanup-drill)', async () => {
    const r = await runRehearsal({ ...scenario, types: [...scenario.types], synthDir, mode: 'drill' });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.model.deletions.filter((d) => d.kind.startsWith('fsx-')).map((d) => d.kind).sort()).toEqual(['fsx-file-system', 'fsx-file-system', 'fsx-volume']);
    // Only what AWS Backup restored (tagged aws:backup:source-resource) may be deleted by the orchestrator.
    expect(r.model.authorizer.evaluations).toContainEqual(
      expect.objectContaining({ principal: 'arn:aws:iam::222222222222:role/acme-recovery-orchestrator', allowed: true, request: expect.objectContaining({ action: 'fsx:DeleteVolume', context: { 'aws:ResourceTag/aws:backup:source-resource': expect.any(String) } }) }),
    );
  });

  it('without the delete permission the drill leaves the file systems and reports CleanupDrill', async () => {
    const dir = mutatedSynthDir(synthDir, { stack: 'dr', type: 'aws_iam_role_policy', resource: 'Recovery_Policy', attribute: 'policy', edit: dropStatement('DeleteDrillFileSystems') });
    const r = await runRehearsal({ ...scenario, types: [...scenario.types], synthDir: dir, mode: 'drill' });
    expect(r.checks.find((c) => c.name === 'drill cleaned up everything it created')?.detail).toMatch(/left behind: .*FSx arn:aws:fsx:/);
    expect(r.checks.find((c) => c.name === 'every AWS call authorized')?.detail).toMatch(/action=fsx:Delete(FileSystem|Volume) /);
    expect(r.report?.failedStep).toBe('CleanupDrill');
  });

  it('an orchestrator without fsx:Describe* cannot find the restored file systems: the recovery fails naming the call', async () => {
    const dir = mutatedSynthDir(synthDir, { stack: 'dr', type: 'aws_iam_role_policy', resource: 'Recovery_Policy', attribute: 'policy', edit: dropStatement('DescribeRestoredFileSystems') });
    const r = await runRehearsal({ ...scenario, types: [...scenario.types], synthDir: dir });
    expect(r.recovered).toBe(false);
    expect(r.checks.find((c) => c.name === 'every AWS call authorized')?.detail).toMatch(/principal=\S+acme-recovery-orchestrator action=fsx:Describe(FileSystems|Volumes|StorageVirtualMachines) resource=\*: no identity-based policy allows the action/);
  });
});

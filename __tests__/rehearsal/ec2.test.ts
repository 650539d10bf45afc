import { runRehearsal } from '../../rehearsal/machine';
import { exampleInput, synthEstate } from '../helpers/synth';
import { dropStatement, mutatedSynthDir } from '../helpers/synth-mutations';

/**
 * EC2 instances restored from the DR vault: AWS Backup launches them as the restore role, with the
 * landing zone's instance profile (prepare-restore replaces the source account's), which needs
 * iam:PassRole on the profile's role (LandingZone.grantPassInstanceRole); the AMI's snapshots carry
 * the DR vault's key.
 */
const config = exampleInput();
const synthDir = synthEstate(config);
const RESTORE_ROLE = 'arn:aws:iam::222222222222:role/acme-dr-restore';
const scenario = { config, types: ['EBS', 'EC2'] as ('EBS' | 'EC2')[], resources: 4, seed: 2 };

describe('EC2 recovery, rehearsed', () => {
  it('restores instances with the landing zone profile; the restore role passes its role to EC2', async () => {
    const r = await runRehearsal({ ...scenario, synthDir });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    const ec2 = [...r.model.restoreJobs.values()].filter((j) => j.resourceType === 'EC2');
    expect(ec2.length).toBe(2);
    for (const job of ec2) expect(job.metadata.IamInstanceProfileName).toBe('acme-dr-instance');
    expect(r.model.authorizer.evaluations).toContainEqual(
      expect.objectContaining({ principal: RESTORE_ROLE, allowed: true, request: expect.objectContaining({ action: 'iam:PassRole', resource: 'arn:aws:iam::222222222222:role/acme-dr-instance', passedToService: 'ec2.amazonaws.com' }) }),
    );
  });

  it('a drill terminates the restored instances: AWS Backup tagged them aws:backup:source-resource, the cleanup role may terminate those', async () => {
    const r = await runRehearsal({ ...scenario, synthDir, mode: 'drill' });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.model.deletions.filter((d) => d.kind === 'instance').length).toBeGreaterThanOrEqual(2);
    expect(r.model.authorizer.evaluations).toContainEqual(
      expect.objectContaining({ principal: 'arn:aws:iam::222222222222:role/acme-recovery-cleanup-drill', allowed: true, statements: expect.arrayContaining([expect.stringMatching(/#TerminateRestoredInstances$/)]) }),
    );
  });

  it('a restore role without the grant cannot pass the instance role: the restore is denied, naming the call', async () => {
    const dir = mutatedSynthDir(synthDir, { stack: 'dr', type: 'aws_iam_role_policy', resource: 'RestoreRole_Grants', attribute: 'policy', edit: dropStatement('PassRecoveryInstanceRoleToEc2') });
    const r = await runRehearsal({ ...scenario, synthDir: dir });
    expect(r.recovered).toBe(false);
    expect(r.checks.find((c) => c.name === 'every AWS call authorized')?.detail).toMatch(/principal=arn:aws:iam::222222222222:role\/acme-dr-restore action=iam:PassRole resource=arn:aws:iam::222222222222:role\/acme-dr-instance onBehalfOf=backup:StartRestoreJob \(EC2\): no identity-based policy allows the action/);
  });
});

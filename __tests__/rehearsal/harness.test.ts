/**
 * Pieces of the rehearsal harness: the simulated clock, the CLI's options, the definition as
 * synthesized, the interpreter's preparation.
 */
import { seededRandom, VirtualClock } from '../../rehearsal/clock';
import { fakeIdFor, replaceTokens, synthesizeRecovery, validateDefinition } from '../../rehearsal/estate';
import { isIndefinitePath, StateMachine } from '../../rehearsal/interpreter';
import { parseArgs, UsageError } from '../../rehearsal/run';
import { exampleInput } from '../helpers/synth';

describe('VirtualClock', () => {
  it('runs concurrent sleepers on one timeline: two 30-minute waits take 30 minutes, not 60', async () => {
    const clock = new VirtualClock(0);
    const ends: number[] = [];
    const sleeper = async () => {
      await clock.sleep(30 * 60_000);
      ends.push(clock.now());
    };
    const all = Promise.all([sleeper(), sleeper()]);
    let done = false;
    void all.then(() => (done = true));
    await clock.drive(() => done, 3600_000);
    expect(ends).toEqual([1800_000, 1800_000]);
  });

  it('reports a deadlock instead of hanging', async () => {
    const clock = new VirtualClock(0);
    await expect(clock.drive(() => false, 1000)).rejects.toThrow(/nothing is scheduled/);
  });

  it('seededRandom is deterministic per seed', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(seededRandom(6)()).not.toBe(seededRandom(5)());
  });
});

describe('the definition as synthesized', () => {
  const synthesized = synthesizeRecovery(exampleInput());

  it('has no Terraform reference left; subnets and security groups became IDs the functions accept', () => {
    expect(JSON.stringify(synthesized.definition)).not.toContain('${');
    const target = (synthesized.definition.States['Config-shop'] as { Result: { target: { subnetIds: string[]; securityGroupIds: string[] } } }).Result.target;
    expect(target.subnetIds).toHaveLength(2);
    for (const id of target.subnetIds) expect(id).toMatch(/^subnet-[0-9a-f]{8,17}$/);
    for (const id of target.securityGroupIds) expect(id).toMatch(/^sg-[0-9a-f]{8,17}$/);
    expect(fakeIdFor('aws_subnet.X.id')).toBe(fakeIdFor('aws_subnet.X.id'));
    expect(replaceTokens({ a: ['x ${aws_security_group.Y.id} y'] }, {})).toEqual({ a: [`x ${fakeIdFor('aws_security_group.Y.id')} y`] });
  });

  it('is valid ASL (asl-validator) and accepted by the interpreter', () => {
    expect(() => validateDefinition(synthesized.definition)).not.toThrow();
    expect(() => validateDefinition({ StartAt: 'Nowhere', States: {} })).toThrow(/not valid ASL/);
    expect(() => new StateMachine(synthesized.definition as any)).not.toThrow();
  });

  it('reads the functions, the server groups and the EBS rule from the DR stack', () => {
    expect(Object.keys(synthesized.functions).sort()).toEqual([
      'acme-attach-restored-volume',
      // The example configures failback (workloads[].failback): its function is in the DR stack too.
      'acme-failback-workload-region-call',
      'acme-recovery-cleanup-drill',
      'acme-recovery-locate-recovery-points',
      'acme-recovery-prepare-restore',
      // The daily readiness check (issue 8): in the DR stack, never invoked by a recovery.
      'acme-recovery-readiness-checker',
      'acme-recovery-report-recovery',
      // Restore testing's validation (issue 8): in the DR stack, never invoked by a recovery.
      'acme-validate-restore',
    ]);
    expect(synthesized.serverGroups).toEqual([expect.objectContaining({ name: 'acme-shop-app', maxSize: 2, availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], tags: expect.objectContaining({ 'dr:server': 'app', 'dr:workload': 'shop' }) })]);
    expect(synthesized.ebsRestoreCompletedPattern).toEqual({ source: ['aws.backup'], 'detail-type': ['Restore Job State Change'], detail: { resourceType: ['EBS'], status: ['COMPLETED'], restoreTestingPlanArn: [{ exists: false }] } });
    expect(synthesized.executionRoleArn).toBe('arn:aws:iam::222222222222:role/acme-recovery-orchestrator');
    expect(synthesized.policies.identityPoliciesOf('arn:aws:iam::111111111111:role/acme-central-copy-starter').flatMap((p) => p.document.Statement.flatMap((s) => [s.Action].flat()))).toContain('backup:StartCopyJob');
  });
});

describe('the interpreter, prepared', () => {
  it('knows indefinite JSONPaths', () => {
    expect(isIndefinitePath("$.restores[?(@.resourceType == 'EFS')].createdResourceArn")).toBe(true);
    expect(isIndefinitePath('$.restores[*].creationDate')).toBe(true);
    expect(isIndefinitePath('$.located.Payload.toCopy[0]')).toBe(false);
    expect(isIndefinitePath('$.a.b')).toBe(false);
  });

  it('yields [] for an indefinite path without match, as Step Functions does', async () => {
    const machine = new StateMachine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'efs.$': "$.restores[?(@.resourceType == 'EFS')].createdResourceArn" }, End: true } } } as any);
    await expect(machine.run({ restores: [{ resourceType: 'EBS', createdResourceArn: 'a' }] }).result).resolves.toEqual({ efs: [] });
  });
});

describe('CLI options', () => {
  it('parses the follow-ups: the readiness checker and a restore test of one type', () => {
    expect(parseArgs(['--readiness', '--restore-test', 'RDS'])).toMatchObject({ readiness: true, restoreTest: 'RDS' });
    expect(() => parseArgs(['--restore-test', 'S3'])).toThrow(/--restore-test takes EBS, RDS, DynamoDB or EFS, got "S3"/);
  });

  it('parses every option', () => {
    expect(
      parseArgs(['--workload', 'shop', '--mode', 'drill', '--resources', '25', '--throttle', '0.3', '--fail-restores', '2', '--lost-events', '1', '--slow-copy', '--restore-minutes', '40', '--copy-minutes', '90', '--seed', '9', '--no-duplicate-events', '--trigger', 'event', '--reject', '--types', 'EBS,S3', '--strict', '--quiet']),
    ).toEqual({
      workload: 'shop',
      mode: 'drill',
      resources: 25,
      throttle: 0.3,
      failRestores: 2,
      lostEvents: 1,
      slowCopy: true,
      restoreMinutes: 40,
      copyMinutes: 90,
      seed: 9,
      duplicateEvents: false,
      trigger: 'event',
      approve: false,
      types: ['EBS', 'S3'],
      strict: true,
      quiet: true,
      verbose: false,
      help: false,
    });
  });

  it('takes the outcome of a Terraform Cloud run', () => {
    expect(parseArgs(['--tfc-run', 'errored'])).toMatchObject({ terraformRun: { outcome: 'errored' } });
    expect(() => parseArgs(['--tfc-run', 'failed'])).toThrow(/--tfc-run must be applied or errored/);
  });

  it.each([
    [['--mode', 'dr'], /--mode must be failover, drill or failback/],
    [['--throttle', '1.5'], /--throttle must be a number from 0 to 1/],
    [['--resources', '0'], /--resources must be an integer from 1 to 200/],
    [['--resources'], /--resources needs a value/],
    [['--types', 'EBS,Tape'], /unknown: Tape/],
    [['--bogus'], /unknown option "--bogus"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

import { parseConfig } from '../../config/load';
import { DEFAULT_FAILBACK_GRACE_HOURS } from '../../config/schema';
import { EstateNames } from '../../config/naming';
import { exampleInput } from '../helpers/synth';
import { failbackInput, noFailbackInput, SHOP_FAILBACK } from '../helpers/failback';
import { issuesOf } from '../helpers/config-rejection';

/** `workloads[].failback`: shape, defaults and the cross-field rules, each reported at its path. */

describe('workloads[].failback', () => {
  it('is optional: absent means no failback', () => {
    expect(parseConfig(noFailbackInput()).workloads[0].failback).toBeUndefined();
  });

  it('is configured in the bundled example for its workload, restoring with a key of the workload account and region', () => {
    const shop = parseConfig(exampleInput()).workloads[0];
    expect(shop.failback).toEqual({ ...SHOP_FAILBACK, freeze: { kind: 'scaleDown', size: 0 }, graceHours: DEFAULT_FAILBACK_GRACE_HOURS });
    expect(shop.failback!.kmsKeyArn).toMatch(new RegExp(`^arn:aws:kms:${shop.region}:${shop.accountId}:key/`));
  });

  it('fills in the documented defaults (freeze scaleDown to 0, grace period)', () => {
    const { freeze, ...rest } = SHOP_FAILBACK;
    void freeze;
    const input = exampleInput() as Record<string, any>;
    input.workloads[0].failback = rest;
    expect(parseConfig(input).workloads[0].failback).toEqual({ ...rest, freeze: { kind: 'scaleDown', size: 0 }, graceHours: DEFAULT_FAILBACK_GRACE_HOURS });
    expect(DEFAULT_FAILBACK_GRACE_HOURS).toBe(72);
  });

  it('accepts a runbook freeze, no freeze and a DNS record (with the health alarm that verifies it)', () => {
    const input = failbackInput({ freeze: { kind: 'runbook', documentName: 'shop-stop-writes' }, dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' }, graceHours: 24 }) as Record<string, any>;
    input.workloads[0].recovery = { healthAlarmName: 'acme-shop-healthy' };
    expect(parseConfig(input).workloads[0].failback).toMatchObject({ freeze: { kind: 'runbook', documentName: 'shop-stop-writes' }, graceHours: 24, dnsRecord: { recordName: 'shop.example.com' } });
    expect(parseConfig(failbackInput({ freeze: { kind: 'none' } })).workloads[0].failback!.freeze).toEqual({ kind: 'none' });
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['a malformed subnet ID', { subnetIds: ['subnet-xyz'] }, 'workloads[0].failback.subnetIds[0]', /^must be a subnet ID such as "subnet-0123456789abcdef0"$/],
    ['no subnet', { subnetIds: [] }, 'workloads[0].failback.subnetIds', /^must list at least one subnet/],
    ['a malformed security group ID', { securityGroupIds: ['default'] }, 'workloads[0].failback.securityGroupIds[0]', /^must be a security group ID/],
    ['a key alias instead of a key ARN', { kmsKeyArn: 'alias/shop' }, 'workloads[0].failback.kmsKeyArn', /^must be a KMS key ARN/],
    ['a key of another account', { kmsKeyArn: 'arn:aws:kms:ap-northeast-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, 'workloads[0].failback.kmsKeyArn', /^is a key of account 222222222222 but failback restores into the workload account workloads\[0\]\.accountId \(333333333333\)/],
    ['a key of another region', { kmsKeyArn: 'arn:aws:kms:ap-northeast-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, 'workloads[0].failback.kmsKeyArn', /^is a key in ap-northeast-1 but failback restores into the workload region \(ap-northeast-2\)/],
    ['an unknown freeze kind', { freeze: { kind: 'pause' } }, 'workloads[0].failback.freeze.kind', /^must be "scaleDown", "runbook" or "none" \(in "kind"\)$/],
    ['a negative maintenance size', { freeze: { kind: 'scaleDown', size: -1 } }, 'workloads[0].failback.freeze.size', /^must be at least 0 instances$/],
    ['a runbook without a document name', { freeze: { kind: 'runbook', documentName: 'x' } }, 'workloads[0].failback.freeze.documentName', /^must be an SSM Automation document name/],
    ['a grace period of 0 hours', { graceHours: 0 }, 'workloads[0].failback.graceHours', /^must be at least 1 hour$/],
    ['a grace period over 30 days', { graceHours: 721 }, 'workloads[0].failback.graceHours', /^must be at most 720 hours \(30 days\)$/],
    ['a malformed hosted zone', { dnsRecord: { hostedZoneId: 'zone', recordName: 'shop.example.com' } }, 'workloads[0].failback.dnsRecord.hostedZoneId', /^must be a Route 53 hosted zone ID/],
    ['a DNS record without the health alarm that verifies it', { dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' } }, 'workloads[0].failback.dnsRecord', /^is set but workloads\[0\]\.recovery\.healthAlarmName is not/],
    ['an unknown field', { restoreInto: 'vpc-1' }, 'workloads[0].failback', /restoreInto/],
    ['an instance profile ARN instead of its name', { instanceProfile: { name: 'arn:aws:iam::333333333333:instance-profile/shop-app', roleArn: 'arn:aws:iam::333333333333:role/shop-app' } }, 'workloads[0].failback.instanceProfile.name', /^must be an IAM instance profile name/],
    ['an instance profile role given by name', { instanceProfile: { name: 'shop-app', roleArn: 'shop-app' } }, 'workloads[0].failback.instanceProfile.roleArn', /^must be an IAM role ARN/],
    ['an instance profile role of another account', { instanceProfile: { name: 'shop-app', roleArn: 'arn:aws:iam::222222222222:role/shop-app' } }, 'workloads[0].failback.instanceProfile.roleArn', /^is a role of account 222222222222 but restored instances run in the workload account workloads\[0\]\.accountId \(333333333333\)/],
    ['a malformed DB subnet group name', { dbSubnetGroupName: 'shop/db' }, 'workloads[0].failback.dbSubnetGroupName', /^must be a DB subnet group name/],
    ['a bucket ARN instead of its name', { s3BucketName: 'arn:aws:s3:::shop-assets' }, 'workloads[0].failback.s3BucketName', /^must be an S3 bucket name/],
    ['a malformed FSx directory ID', { fsx: { windowsDirectoryId: 'corp.example.com' } }, 'workloads[0].failback.fsx.windowsDirectoryId', /^must be an AWS Directory Service directory ID/],
    ['a malformed ONTAP SVM ID', { fsx: { ontapStorageVirtualMachineId: 'svm-1' } }, 'workloads[0].failback.fsx.ontapStorageVirtualMachineId', /^must be an FSx for NetApp ONTAP storage virtual machine ID/],
  ];

  it('accepts the restore settings of failback (instance profile, DB subnet group, bucket, FSx)', () => {
    const restore = {
      instanceProfile: { name: 'shop-app', roleArn: 'arn:aws:iam::333333333333:role/app/shop-app' },
      dbSubnetGroupName: 'shop-db',
      s3BucketName: 'shop-assets',
      fsx: { windowsDirectoryId: 'd-0123456789', ontapStorageVirtualMachineId: 'svm-0123456789abcdef0' },
    };
    expect(parseConfig(failbackInput(restore)).workloads[0].failback).toMatchObject(restore);
  });

  it.each(cases)('rejects %s at the exact field path', (_what, failback, expectedPath, expectedMessage) => {
    const issues = issuesOf(failbackInput(failback));
    expect(issues.filter((i) => i.path === expectedPath).map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(expectedMessage)]));
  });

  it('rejects a scaleDown freeze of a workload without servers, naming the field', () => {
    const input = failbackInput() as Record<string, any>;
    input.workloads[0].servers = [];
    expect(issuesOf(input)).toEqual(expect.arrayContaining([{ path: 'workloads[0].failback.freeze.kind', message: expect.stringMatching(/^is "scaleDown" but workloads\[0\]\.servers lists no server role to scale down/) }]));
     // The default freeze is scaleDown too: leaving it out is the same mistake.
    delete input.workloads[0].failback.freeze;
    expect(issuesOf(input)).toEqual(expect.arrayContaining([{ path: 'workloads[0].failback.freeze', message: expect.stringMatching(/^is not set, so writes would be frozen by scaling down \(the default\)/) }]));
    input.workloads[0].failback.freeze = { kind: 'none' };
    expect(parseConfig(input).workloads[0].failback!.freeze).toEqual({ kind: 'none' });
  });

  it('checks the failback names against their AWS limits only when failback is configured', () => {
    const names = new EstateNames(parseConfig(failbackInput()));
    const checked = (failingBack: Set<string>) => names.limitedNames(['shop'], new Set(), failingBack).map((n) => `${n.field}: ${n.name} (${n.max})`);
    expect(checked(new Set(['shop']))).toEqual(
      expect.arrayContaining(['name: acme-failback-orchestrator (64)', 'name: acme-dr-failback-backup (64)', 'name: acme-failback-workload-region-call (64)', 'name: acme-failback (80)', 'workloads[0].name: acme-shop-failback (64)']),
    );
    expect(checked(new Set()).filter((n) => n.includes('failback'))).toEqual([]);
    // The longest estate (20) and workload (32) names still fit: 62 characters.
    expect(new EstateNames({ ...parseConfig(failbackInput()), name: 'a-twenty-char-estate' }).workloadFailbackRoleName('a-workload-name-of-32-characters')).toHaveLength(62);
  });

  it('derives the names other stacks use', () => {
    const names = new EstateNames(parseConfig(failbackInput()));
    const shop = parseConfig(failbackInput()).workloads[0];
    expect(names.workloadFailbackRoleArn(shop)).toBe('arn:aws:iam::333333333333:role/acme-shop-failback');
    expect(names.workloadVaultArn(shop)).toBe('arn:aws:backup:ap-northeast-2:333333333333:backup-vault:acme-shop-local');
    expect(names.failbackStateMachineArn).toBe('arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-failback');
    expect(names.failbackOrchestratorRoleArn).toBe('arn:aws:iam::222222222222:role/acme-failback-orchestrator');
    // The only principal the workload failback roles trust: the workload-region-call function's role (same name).
    expect(names.failbackWorkloadRegionCallRoleArn).toBe('arn:aws:iam::222222222222:role/acme-failback-workload-region-call');
    // Outside the recovery role prefix, which the backup-vault account's copy-starter role trusts.
    expect(names.failbackOrchestratorRoleName.startsWith(names.recoveryRolePrefix)).toBe(false);
    expect(names.failbackWorkloadRegionCallFunctionName.startsWith(names.recoveryRolePrefix)).toBe(false);
  });
});

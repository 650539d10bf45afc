import { Testing } from 'cdktf';
import { estateFor, policyOf, resourcesOf, statement } from '../helpers/synth';
import { failbackInput, noFailbackInput, SHOP_FAILBACK } from '../helpers/failback';
import { allowAssumeRole } from '../helpers/trust-statement';
import { failbackReconnectStatements } from '../../modules/failback/workload-failback-access';
import { failbackKeyServices } from '../../modules/failback/workload-failback-role';
import { assertPolicyCompliance, PolicyViolationError, type PolicyFinding } from '../../policy/pack';

/** Failback (workloads[].failback) in the workload stack and the DR stack: the roles, the vault policy and keys, the machine. */

const roleNamed = (out: string, name: string) => (resourcesOf(out, 'aws_iam_role') as { name: string }[]).find((r) => r.name === name) as Record<string, unknown> | undefined;
const policyNamed = (out: string, name: string) => (resourcesOf(out, 'aws_iam_role_policy') as { name: string }[]).find((r) => r.name === name) as Record<string, unknown>;

describe('workload stack with failback', () => {
  const out = Testing.synth(estateFor(failbackInput()).workloads[0]);

  it('creates the failback role, trusted by the DR workload-region-call function role only (not the machine), inside the organization', () => {
    const role = roleNamed(out, 'acme-shop-failback')!;
    const trust = policyOf(role, 'assume_role_policy');
    expect(trust.Statement).toEqual([
      allowAssumeRole('DrFailbackWorkloadRegionCallOnly', { AWS: 'arn:aws:iam::222222222222:root' }, { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/acme-failback-workload-region-call' }, StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
    ]);
  });

  it('lets the failback role restore from this account only, pass the backup role to AWS Backup only, and never delete a recovery point', () => {
    const policy = policyOf(policyNamed(out, 'failback-restore'));
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['RestoreFailbackCopies', 'TrackRestoreJobs', 'PassBackupRoleToAwsBackupOnly', 'FindRestoreSubnet', 'NeverDestroyBackups']);
    expect(statement(policy, 'FindRestoreSubnet')).toMatchObject({ Action: 'ec2:DescribeSubnets', Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-northeast-2' } } });
    const restore = statement(policy, 'RestoreFailbackCopies');
    expect(restore.Action).toEqual(['backup:GetRecoveryPointRestoreMetadata', 'backup:StartRestoreJob']);
    for (const arn of restore.Resource as string[]) expect(arn).toMatch(/^arn:aws:(backup|ec2|rds):ap-northeast-2:(333333333333)?:/);
    expect(statement(policy, 'PassBackupRoleToAwsBackupOnly')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::333333333333:role/acme-shop-backup',
      Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
    });
    expect(statement(policy, 'NeverDestroyBackups')).toMatchObject({ Effect: 'Deny', Resource: '*', Action: expect.arrayContaining(['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:DeleteBackupVault']) });
    // No Allow with "*" actions, and the only "*" resources are DescribeRestoreJob and DescribeSubnets (no resource-level permissions).
    for (const s of policy.Statement.filter((x) => x.Effect === 'Allow')) {
      expect([s.Action].flat().some((a: string) => a.endsWith('*'))).toBe(false);
      if (s.Resource === '*') expect(['backup:DescribeRestoreJob', 'ec2:DescribeSubnets']).toContain(s.Action);
    }
  });

  it('lets the DR account (only, inside the organization) copy into the local vault, and shares its key with the backup-vault account only', () => {
    const vaultPolicy = policyOf(resourcesOf(out, 'aws_backup_vault_policy')[0]);
    expect(statement(vaultPolicy, 'AllowCopyIntoFromListedAccounts')).toEqual({
      Sid: 'AllowCopyIntoFromListedAccounts',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::222222222222:root'] },
      Action: 'backup:CopyIntoBackupVault',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
    const key = policyOf(resourcesOf(out, 'aws_kms_key')[0]);
    // The copies are re-encrypted with this key by the workload account's AWS Backup: no use for the DR account.
    expect(statement(key, 'CrossAccountBackupUse').Principal).toEqual({ AWS: ['arn:aws:iam::111111111111:root'] });
    expect(statement(key, 'CrossAccountGrantsForAwsResources').Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  it("names EC2 and the restoring services by their region's endpoints in the failback key's kms:ViaService conditions (China's too)", () => {
    const via = (region: string) =>
      failbackReconnectStatements({ workload: 'shop', accountId: '333333333333', region, kmsKeyArn: SHOP_FAILBACK.kmsKeyArn })
        .filter((st) => String(st.Sid).includes('FailbackKey'))
        .map((st) => (st.Condition as { StringEquals: Record<string, string> }).StringEquals['kms:ViaService']);
    expect(via('ap-northeast-2')).toEqual(['ec2.ap-northeast-2.amazonaws.com', 'ec2.ap-northeast-2.amazonaws.com']);
    expect(via('cn-north-1')).toEqual(['ec2.cn-north-1.amazonaws.com.cn', 'ec2.cn-north-1.amazonaws.com.cn']);
    expect(failbackKeyServices('cn-northwest-1')).toContain('rds.cn-northwest-1.amazonaws.com.cn');
    expect(failbackKeyServices('eu-west-1')).toContain('rds.eu-west-1.amazonaws.com');
  });

  it('for step Reconnect: mount-target permissions only for a workload that backs up EFS', () => {
    const base = { workload: 'shop', accountId: '333333333333', region: 'ap-northeast-2', kmsKeyArn: SHOP_FAILBACK.kmsKeyArn };
    const sids = (statements: { Sid?: string }[]) => statements.map((st) => st.Sid);
    expect(sids(failbackReconnectStatements(base))).not.toEqual(expect.arrayContaining(['MountTargetsForRestoredFileSystems']));
    expect(sids(failbackReconnectStatements(base)).filter((sid) => String(sid).startsWith('MountTarget'))).toEqual([]);
    const withEfs = failbackReconnectStatements({ ...base, mountTargets: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } });
    expect(sids(withEfs).filter((sid) => String(sid).startsWith('MountTarget'))).toEqual(['MountTargetsForRestoredFileSystems', 'MountTargetInterfacesInFailbackSubnetsOnly', 'MountTargetNetworkLookups']);
  });

  it('for step Reconnect: deploys the connect runbook here and lets the failback role attach only dr:workload-tagged volumes to such instances, with the failback key, and run that runbook only', () => {
    const reconnect = policyOf(policyNamed(out, 'failback-reconnect'));
    expect(reconnect.Statement).toEqual([
      { Sid: 'FindRestoredVolumesAndInstances', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeVolumes'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-northeast-2' } } },
      {
        Sid: 'AttachWorkloadVolumesToWorkloadInstancesOnly',
        Effect: 'Allow',
        Action: 'ec2:AttachVolume',
        Resource: ['arn:aws:ec2:ap-northeast-2:333333333333:instance/*', 'arn:aws:ec2:ap-northeast-2:333333333333:volume/*'],
        Condition: { StringEquals: { 'aws:ResourceTag/dr:workload': 'shop' } },
      },
      {
        Sid: 'UseFailbackKeyToAttachVolumes',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
        Resource: SHOP_FAILBACK.kmsKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': 'ec2.ap-northeast-2.amazonaws.com' } },
      },
      {
        Sid: 'GrantFailbackKeyToAttachedVolumesOnly',
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: SHOP_FAILBACK.kmsKeyArn,
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: { 'kms:ViaService': 'ec2.ap-northeast-2.amazonaws.com' } },
      },
      // The workload backs up EFS: mount targets for restored file systems, their interfaces in the failback subnets and security groups only.
      {
        Sid: 'MountTargetsForRestoredFileSystems',
        Effect: 'Allow',
        Action: ['elasticfilesystem:CreateMountTarget', 'elasticfilesystem:DescribeMountTargets'],
        Resource: 'arn:aws:elasticfilesystem:ap-northeast-2:333333333333:file-system/*',
      },
      {
        Sid: 'MountTargetInterfacesInFailbackSubnetsOnly',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterface',
        Resource: [
          'arn:aws:ec2:ap-northeast-2:333333333333:network-interface/*',
          ...SHOP_FAILBACK.subnetIds.map((id: string) => `arn:aws:ec2:ap-northeast-2:333333333333:subnet/${id}`),
          ...SHOP_FAILBACK.securityGroupIds.map((id: string) => `arn:aws:ec2:ap-northeast-2:333333333333:security-group/${id}`),
        ],
      },
      { Sid: 'MountTargetNetworkLookups', Effect: 'Allow', Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-northeast-2' } } },
      { Sid: 'StartConnectRunbookOnly', Effect: 'Allow', Action: 'ssm:StartAutomationExecution', Resource: 'arn:aws:ssm:ap-northeast-2:333333333333:automation-definition/acme-shop-connect-servers:*' },
      { Sid: 'TrackConnectRunbook', Effect: 'Allow', Action: 'ssm:GetAutomationExecution', Resource: 'arn:aws:ssm:ap-northeast-2:333333333333:automation-execution/*' },
      {
        Sid: 'PassConnectRunbookRoleToSsmOnly',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::333333333333:role/acme-shop-failback-runbook',
        Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      },
    ]);
    const documents = resourcesOf(out, 'aws_ssm_document') as { name: string; document_type: string; content: string }[];
    expect(documents.map((d) => [d.name, d.document_type])).toEqual([['acme-shop-connect-servers', 'Automation']]);
    expect(JSON.parse(documents[0].content).parameters.AutomationAssumeRole.default).toBe('arn:aws:iam::333333333333:role/acme-shop-failback-runbook');
    expect(policyOf(roleNamed(out, 'acme-shop-failback-runbook')!, 'assume_role_policy').Statement[0]).toMatchObject({ Principal: { Service: 'ssm.amazonaws.com' } });
  });

  it('for step Reconnect with FSx: only a workload that backs up FSx gets a runbook taking FsxFileSystems and FSx Describe in its region', () => {
    const fsxStatement = {
      Sid: 'DescribeRestoredFsxFileSystems',
      Effect: 'Allow',
      Action: ['fsx:DescribeFileSystems', 'fsx:DescribeStorageVirtualMachines', 'fsx:DescribeVolumes'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-northeast-2' } },
    };
    const contentOf = (synth: string) => JSON.parse((resourcesOf(synth, 'aws_ssm_document') as { content: string }[])[0].content);
    // Without FSx (the example): neither the parameter, the script nor the permission.
    expect(policyOf(policyNamed(out, 'failback-reconnect')).Statement.map((st: { Sid?: string }) => st.Sid)).not.toContain('DescribeRestoredFsxFileSystems');
    expect(contentOf(out).parameters.FsxFileSystems).toBeUndefined();
    expect(JSON.stringify(contentOf(out))).not.toContain('FsxFileSystems');

    const input = failbackInput() as Record<string, any>;
    input.workloads[0].backup.resourceTypes = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx'];
    const estate = estateFor(input);
    const withFsx = Testing.synth(estate.workloads[0]);
    const statements = policyOf(policyNamed(withFsx, 'failback-reconnect')).Statement;
    expect(statements.filter((st: Record<string, any>) => [st.Action].flat().some((a: string) => a.startsWith('fsx:')))).toEqual([fsxStatement]);
    expect(contentOf(withFsx).parameters.FsxFileSystems).toMatchObject({ type: 'String', default: '[]' });
    expect(JSON.stringify(contentOf(withFsx).mainSteps)).toContain('{{ FsxFileSystems }}');
    // The failback machine passes them to that workload's runbook only (steps/reconnect.ts).
    const config = (def: any) => def.States['Config-shop'].Result.connectRunbook;
    expect(config(estate.dr.failback!.stateMachine.definition)).toMatchObject({ fsx: true });
    expect(config(estateFor(failbackInput()).dr.failback!.stateMachine.definition).fsx).toBeUndefined();
    expect(failbackReconnectStatements({ workload: 'shop', accountId: '333333333333', region: 'ap-northeast-2', kmsKeyArn: SHOP_FAILBACK.kmsKeyArn }).map((st) => st.Sid)).not.toContain('DescribeRestoredFsxFileSystems');
  });

  it('adds nothing of it without failback', () => {
    const plain = Testing.synth(estateFor(noFailbackInput()).workloads[0]);
    expect(roleNamed(plain, 'acme-shop-failback')).toBeUndefined();
    expect(roleNamed(plain, 'acme-shop-failback-runbook')).toBeUndefined();
    expect(resourcesOf(plain, 'aws_ssm_document')).toEqual([]);
    expect(policyOf(resourcesOf(plain, 'aws_backup_vault_policy')[0]).Statement.map((s) => s.Sid)).toEqual(['DenyDestructiveActionsExceptBreakGlass']);
    expect(statement(policyOf(resourcesOf(plain, 'aws_kms_key')[0]), 'CrossAccountBackupUse').Principal).toEqual({ AWS: ['arn:aws:iam::111111111111:root'] });
  });
});

describe('DR stack with failback', () => {
  const out = Testing.synth(estateFor(failbackInput()).dr);
  const policy = policyOf(policyNamed(out, 'failback'));

  it('creates the failback state machine, its log group and its role, trusted by Step Functions for this machine only', () => {
    const machines = resourcesOf(out, 'aws_sfn_state_machine') as { name: string; tracing_configuration: unknown; logging_configuration: { include_execution_data: boolean } }[];
    const failback = machines.find((m) => m.name === 'acme-failback')!;
    expect(failback).toMatchObject({ tracing_configuration: { enabled: true }, logging_configuration: { include_execution_data: true } });
    const trust = policyOf(roleNamed(out, 'acme-failback-orchestrator')!, 'assume_role_policy');
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'states.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-failback' } },
    });
    expect(roleNamed(out, 'acme-dr-failback-backup')).toBeDefined();
    expect((resourcesOf(out, 'aws_cloudwatch_log_group') as { name: string }[]).map((g) => g.name)).toContain('/aws/vendedlogs/states/acme-failback');
  });

  it('gives the execution role least privilege: no "*" action, no AssumeRole, the workload-region-call function only, PassRole to AWS Backup only', () => {
    for (const s of policy.Statement) {
      expect({ sid: s.Sid, wildcardAction: [s.Action].flat().some((a: string) => a === '*' || a.endsWith(':*')) }).toEqual({ sid: s.Sid, wildcardAction: false });
      expect(s.Effect).toBe('Allow');
    }
    // The workload accounts are reached through the function, which alone assumes their failback roles.
    expect(policy.Statement.flatMap((s) => [s.Action].flat())).not.toContain('sts:AssumeRole');
    expect(statement(policy, 'InvokeWorkloadRegionCall')).toEqual({
      Sid: 'InvokeWorkloadRegionCall',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:ap-northeast-1:222222222222:function:acme-failback-workload-region-call',
    });
    const passRoles = policy.Statement.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRoles).toEqual([
      {
        Sid: 'PassFailbackBackupRoleToAwsBackupOnly',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::222222222222:role/acme-dr-failback-backup',
        Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      },
    ]);
    expect(statement(policy, 'FinalBackupsIntoRestoreVault')).toMatchObject({ Action: 'backup:StartBackupJob', Resource: 'arn:aws:backup:ap-northeast-1:222222222222:backup-vault:acme-dr-restore' });
    expect(statement(policy, 'FreezeScaleDown')).toMatchObject({ Resource: ['arn:aws:autoscaling:ap-northeast-1:222222222222:autoScalingGroup:*:autoScalingGroupName/acme-shop-app'] });
    // Only actions without resource-level permissions get "*".
    const starred = policy.Statement.filter((s) => s.Resource === '*').map((s) => s.Sid);
    expect(starred).toEqual(['TrackBackupAndCopyJobs', 'DeliverExecutionLogs', 'Tracing', 'FindWorkloadResourcesByTag']);
    expect(policy.Statement.map((s) => s.Sid)).not.toContain('FreezeRunbook');
  });

  it('shares the restore vault key with the failback workload accounts for the copies, inside the organization', () => {
    const keys = resourcesOf(out, 'aws_kms_key') as { description: string }[];
    const restoreKey = policyOf(keys.find((k) => k.description.startsWith('AWS Backup DR restore vault'))! as Record<string, unknown>);
    expect(statement(restoreKey, 'CrossAccountBackupUse')).toMatchObject({ Principal: { AWS: ['arn:aws:iam::333333333333:root'] }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
  });

  it('scopes the runbook freeze to the named document', () => {
    const runbook = policyOf(policyNamed(Testing.synth(estateFor(failbackInput({ freeze: { kind: 'runbook', documentName: 'shop-stop-writes' } })).dr), 'failback'));
    expect(statement(runbook, 'FreezeRunbook')).toMatchObject({ Action: 'ssm:StartAutomationExecution', Resource: ['arn:aws:ssm:ap-northeast-1:222222222222:automation-definition/shop-stop-writes:*'] });
    expect(runbook.Statement.map((s) => s.Sid)).not.toContain('FreezeScaleDown');
  });

  it('after the restore: finds resources by tag, invokes the DR cleanup only, and switches back only the configured record (UPSERT)', () => {
    expect(statement(policy, 'FindWorkloadResourcesByTag')).toMatchObject({ Action: 'tag:GetResources', Resource: '*' });
    expect(statement(policy, 'InvokeDrCleanup')).toMatchObject({ Action: 'lambda:InvokeFunction', Resource: expect.stringMatching(/cleanup-drill/) });
    expect(policy.Statement.map((s) => s.Sid)).not.toContain('SwitchConfiguredRecordsBackOnly');
    const input = failbackInput({ dnsRecord: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'Shop.Example.com.', value: 'shop.primary.example.com' } }) as Record<string, any>;
    input.workloads[0].recovery = { ...input.workloads[0].recovery, healthAlarmName: 'acme-shop-healthy' };
    const withDns = policyOf(policyNamed(Testing.synth(estateFor(input).dr), 'failback'));
    expect(statement(withDns, 'SwitchConfiguredRecordsBackOnly')).toEqual({
      Sid: 'SwitchConfiguredRecordsBackOnly',
      Effect: 'Allow',
      Action: 'route53:ChangeResourceRecordSets',
      Resource: ['arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ'],
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['shop.example.com'],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
          'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
        },
      },
    });
    expect(statement(withDns, 'TrackDnsChanges')).toMatchObject({ Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' });
    // The workload's failback role reads the health alarm there, that alarm only.
    const workload = Testing.synth(estateFor(input).workloads[0]);
    const verify = policyOf(policyNamed(workload, 'failback-verify'));
    expect(verify.Statement).toEqual([{ Sid: 'ReadWorkloadHealthAlarm', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: 'arn:aws:cloudwatch:ap-northeast-2:333333333333:alarm:acme-shop-healthy' }]);
    expect(policyNamed(Testing.synth(estateFor(failbackInput()).workloads[0]), 'failback-verify')).toBeUndefined();
  });

  it('deploys the workload-region-call function: AssumeRole on the workloads\' failback roles only, sessions named failback-*, configured with their roles and regions, encrypted logs with retention', () => {
    const fn = (resourcesOf(out, 'aws_lambda_function') as Record<string, any>[]).find((f) => f.function_name === 'acme-failback-workload-region-call')!;
    // 180 s: ec2:AttachRestoredVolume waits for the volume and the attachment (step Reconnect).
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', timeout: 180, kms_key_arn: expect.any(String), tracing_config: { mode: 'Active' } });
    expect(JSON.parse(fn.environment.variables.WORKLOAD_TARGETS)).toEqual([
      { workload: 'shop', roleArn: 'arn:aws:iam::333333333333:role/acme-shop-failback', region: 'ap-northeast-2', connectDocumentName: 'acme-shop-connect-servers', subnetIds: SHOP_FAILBACK.subnetIds, securityGroupIds: SHOP_FAILBACK.securityGroupIds },
    ]);
    const fnPolicy = policyOf((resourcesOf(out, 'aws_iam_role_policy') as Record<string, any>[]).find((p) => p.name === 'function' && String(p.role).includes('FailbackWorkloadRegionCall'))!);
    const own = new Set(['WriteOwnLogs', 'Tracing', 'SendFailedEventsToOwnDlq', 'DecryptOwnEnvironment']);
    expect(fnPolicy.Statement.filter((s) => !own.has(s.Sid))).toEqual([
      {
        Sid: 'AssumeWorkloadFailbackRolesOnly',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: ['arn:aws:iam::333333333333:role/acme-shop-failback'],
        Condition: { StringLike: { 'sts:RoleSessionName': 'failback-*' } },
      },
    ]);
    const logs = (resourcesOf(out, 'aws_cloudwatch_log_group') as Record<string, any>[]).find((g) => g.name === '/aws/lambda/acme-failback-workload-region-call')!;
    expect(logs).toMatchObject({ retention_in_days: expect.any(Number), kms_key_id: expect.any(String) });
    expect(roleNamed(out, 'acme-failback-workload-region-call')).toBeDefined();
  });

  it('gives the workload-region-call function no policy pack finding (DLQ, concurrency, X-Ray, encrypted environment and logs)', () => {
    let findings: PolicyFinding[] = [];
    try {
      assertPolicyCompliance(estateFor(failbackInput()).app);
    } catch (error) {
      if (!(error instanceof PolicyViolationError)) throw error;
      findings = error.findings;
    }
    expect(findings.filter((f) => f.path.includes('FailbackWorkloadRegionCall'))).toEqual([]);
  });

  it('adds no failback machine without failback', () => {
    const plain = Testing.synth(estateFor(noFailbackInput()).dr);
    expect((resourcesOf(plain, 'aws_sfn_state_machine') as { name: string }[]).map((m) => m.name)).not.toContain('acme-failback');
    expect(roleNamed(plain, 'acme-failback-orchestrator')).toBeUndefined();
    expect(roleNamed(plain, 'acme-failback-workload-region-call')).toBeUndefined();
    expect((resourcesOf(plain, 'aws_lambda_function') as { function_name: string }[]).map((f) => f.function_name)).not.toContain('acme-failback-workload-region-call');
  });
});

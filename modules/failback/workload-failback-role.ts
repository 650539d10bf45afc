import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { crossAccountRoleTrustPolicy, passRoleStatement, policyDocument, renderPolicy, type Grantable, type PolicyDocument, type PolicyStatement } from '../policy-document';
import { DESTRUCTIVE_VAULT_ACTIONS } from '../protected-backup-vault';
import { dnsSuffixOf, partitionOf } from '../../config/regions';
import { vaultRecoveryPointArns } from '../../config/naming';

export interface WorkloadFailbackRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly organizationId: string;
  /**
   * The role of the DR account's workload-region-call function (config/naming.ts): the only principal
   * that may assume this role. The failback machine reaches this account and region through it.
   */
  readonly workloadRegionCallRoleArn: string;
  readonly drAccountId: string;
  /** The workload's AWS Backup service role (backup and restore), passed to AWS Backup for the restore. */
  readonly backupRoleArn: string;
  /**
   * That role, to grant it what failback restores need beyond its AWS managed policies (passing the
   * instance profile's role to EC2, using the failback key through FSx too).
   * @default none: nothing is granted to AWS Backup's role
   */
  readonly backupRole?: Grantable;
  /**
   * `failback.kmsKeyArn`: the key of the workload account that restored resources are encrypted with.
   * @default none: no statement for a failback key
   */
  readonly kmsKeyArn?: string;
  /**
   * `failback.instanceProfile`: the profile restored EC2 instances start with, and its role.
   * @default none: no role may be passed to EC2
   */
  readonly instanceProfile?: { readonly name: string; readonly roleArn: string };
}

/** Services through which AWS Backup's restores use the failback key (kms:ViaService), per restored type. */
export function failbackKeyServices(region: string): string[] {
  return ['dynamodb', 'ec2', 'elasticfilesystem', 'fsx', 'rds', 's3'].map((service) => `${service}.${region}.${dnsSuffixOf(region)}`);
}

/**
 * What the workload's AWS Backup role needs for failback restores, beyond its AWS managed policies
 * (AWSBackupServiceRolePolicyForRestores, ...ForS3Restore: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForRestores.html).
 */
export function failbackBackupRoleStatements(props: { region: string; kmsKeyArn?: string; instanceProfile?: { roleArn: string } }): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (props.instanceProfile) {
    // AWS Backup launches a restored instance with the restore role's credentials, passing the profile's
    // role to EC2 ("Restore an Amazon EC2 instance": https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html);
    // iam:PassRole scoped to that role and to EC2 (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
    statements.push(passRoleStatement('PassFailbackInstanceRoleToEc2', props.instanceProfile.roleArn, 'ec2.amazonaws.com'));
  }
  if (props.kmsKeyArn) {
    // The restore creates volumes, databases, file systems, tables and objects encrypted with the failback
    // key: the role creating them uses the key through the service, and grants it to the resource (EBS
    // User Guide, "Requirements for Amazon EBS encryption": https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html;
    // AWS Backup "Encryption for backups": https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
    // The AWS managed restore policy leaves FSx out of its kms:ViaService list; this key only, these services only.
    const viaService = { 'kms:ViaService': failbackKeyServices(props.region) };
    statements.push(
      {
        Sid: 'UseFailbackKeyThroughRestoredServices',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
        Resource: props.kmsKeyArn,
        Condition: { StringEquals: viaService },
      },
      // kms:CreateGrant only for AWS resources (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource).
      { Sid: 'GrantFailbackKeyToRestoredResources', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: props.kmsKeyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: viaService } },
    );
  }
  return statements;
}

/**
 * The role, in a workload account, through which the DR account's failback state machine restores the
 * failback copies from the workload's local vault. The machine runs in the recovery region, and an AWS
 * SDK integration's `Credentials` reach another account but never another Region
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html;
 * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_stepfunctions_tasks.CallAwsServiceCrossRegion.html):
 * so the machine invokes the DR account's workload-region-call function, which assumes this role with
 * STS AssumeRole and calls in this account's region (modules/failback/steps/workload-region-task.ts).
 *
 * Trusted by that function's role only (`aws:PrincipalArn` and `aws:PrincipalOrgID`; a cross-account
 * trust names the account and conditions on the role: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html);
 * it may read restore
 * metadata, start restores of this account's recovery points, pass the workload's backup role to AWS
 * Backup only, track restore jobs, and look up the restore subnet (its zone and VPC). Given the backup
 * role, it grants that role what the restores need ({@link failbackBackupRoleStatements}). It may never delete or weaken a recovery point or the vault:
 * an explicit Deny, beside the vault policy's own.
 */
export class WorkloadFailbackRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: WorkloadFailbackRoleProps) {
    super(scope, id);
    const p = partitionOf(props.region);
    const { region, accountId } = props;
    this.roleArn = `arn:${p}:iam::${accountId}:role/${props.roleName}`;
    this.trustPolicy = crossAccountRoleTrustPolicy({
      sid: 'DrFailbackWorkloadRegionCallOnly',
      partition: p,
      accountId: props.drAccountId,
      organizationId: props.organizationId,
      roleArn: props.workloadRegionCallRoleArn,
    });
    // StartRestoreJob and GetRecoveryPointRestoreMetadata are authorized on the recovery point; for
    // types AWS Backup does not fully manage, that is the snapshot or image ARN (Service Authorization
    // Reference, AWS Backup: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html).
    const recoveryPoints = vaultRecoveryPointArns(region, accountId, { fsx: false });
    this.policy = policyDocument(
      { Sid: 'RestoreFailbackCopies', Effect: 'Allow', Action: ['backup:GetRecoveryPointRestoreMetadata', 'backup:StartRestoreJob'], Resource: recoveryPoints },
      // DescribeRestoreJob supports no resource-level permissions.
      { Sid: 'TrackRestoreJobs', Effect: 'Allow', Action: 'backup:DescribeRestoreJob', Resource: '*' },
      passRoleStatement('PassBackupRoleToAwsBackupOnly', props.backupRoleArn, 'backup.amazonaws.com'),
      // The zone and VPC of failback.subnetIds[0] for the restore metadata (steps/restore-overrides.ts).
      // DescribeSubnets supports no resource-level permissions (Service Authorization Reference, Amazon EC2:
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html): this region only.
      { Sid: 'FindRestoreSubnet', Effect: 'Allow', Action: 'ec2:DescribeSubnets', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': region } } },
      { Sid: 'NeverDestroyBackups', Effect: 'Deny', Action: DESTRUCTIVE_VAULT_ACTIONS, Resource: '*' },
    );
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'Failback: restores failback copies from the local vault, for the DR account\'s failback workload-region-call function only',
      assumeRolePolicy: renderPolicy(this.trustPolicy),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, 'Policy', { role: this.role.name, name: 'failback-restore', policy: renderPolicy(this.policy) });
    if (props.backupRole) for (const statement of failbackBackupRoleStatements(props)) props.backupRole.addToPrincipalPolicy(statement);
  }
}

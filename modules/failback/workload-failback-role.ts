import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { crossAccountRoleTrustPolicy, policyDocument, renderPolicy, type PolicyDocument } from '../policy-document';
import { DESTRUCTIVE_VAULT_ACTIONS } from '../protected-backup-vault';
import { partitionOf } from '../../config/regions';
import { vaultRecoveryPointArns } from '../../config/naming';

export interface WorkloadFailbackRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly organizationId: string;
  /** The DR account's failback state machine role: the only principal that may assume this role. */
  readonly failbackOrchestratorRoleArn: string;
  readonly drAccountId: string;
  /** The workload's AWS Backup service role (backup and restore), passed to AWS Backup for the restore. */
  readonly backupRoleArn: string;
}

/**
 * The role, in a workload account, through which the DR account's failback state machine restores the
 * failback copies from the workload's local vault (a Step Functions Task's `Credentials.RoleArn`:
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html).
 *
 * Trusted by that one role only (`aws:PrincipalArn` and `aws:PrincipalOrgID`); it may read restore
 * metadata, start restores of this account's recovery points, pass the workload's backup role to AWS
 * Backup only, and track restore jobs. It may never delete or weaken a recovery point or the vault:
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
      sid: 'DrFailbackStateMachineOnly',
      partition: p,
      accountId: props.drAccountId,
      organizationId: props.organizationId,
      roleArn: props.failbackOrchestratorRoleArn,
    });
    // StartRestoreJob and GetRecoveryPointRestoreMetadata are authorized on the recovery point; for
    // types AWS Backup does not fully manage, that is the snapshot or image ARN (Service Authorization
    // Reference, AWS Backup: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html).
    const recoveryPoints = vaultRecoveryPointArns(region, accountId, { fsx: false });
    this.policy = policyDocument(
      { Sid: 'RestoreFailbackCopies', Effect: 'Allow', Action: ['backup:GetRecoveryPointRestoreMetadata', 'backup:StartRestoreJob'], Resource: recoveryPoints },
      // DescribeRestoreJob supports no resource-level permissions.
      { Sid: 'TrackRestoreJobs', Effect: 'Allow', Action: 'backup:DescribeRestoreJob', Resource: '*' },
      { Sid: 'PassBackupRoleToAwsBackupOnly', Effect: 'Allow', Action: 'iam:PassRole', Resource: props.backupRoleArn, Condition: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } } },
      { Sid: 'NeverDestroyBackups', Effect: 'Deny', Action: DESTRUCTIVE_VAULT_ACTIONS, Resource: '*' },
    );
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'Failback: restores failback copies from the local vault, for the DR account\'s failback state machine only',
      assumeRolePolicy: renderPolicy(this.trustPolicy),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, 'Policy', { role: this.role.name, name: 'failback-restore', policy: renderPolicy(this.policy) });
  }
}

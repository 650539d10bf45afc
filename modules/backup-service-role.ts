import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { renderPolicy, serviceTrustPolicy, type PolicyDocument } from './policy-document';
import { partitionOf } from '../config/regions';

export type BackupRolePurpose = 'backup' | 'restore';

export interface BackupServiceRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  /** What AWS Backup does with the role; each purpose adds the matching AWS managed policies (S3 included). */
  readonly purposes: BackupRolePurpose[];
  readonly description?: string;
}

const MANAGED_POLICIES: Record<BackupRolePurpose, string[]> = {
  backup: ['service-role/AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForS3Backup'],
  restore: ['service-role/AWSBackupServiceRolePolicyForRestores', 'AWSBackupServiceRolePolicyForS3Restore'],
};

/**
 * IAM role assumed by AWS Backup, trusted only for this account (`aws:SourceAccount`), with the AWS
 * managed policies for the purposes it serves.
 */
export class BackupServiceRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly managedPolicyArns: string[];

  constructor(scope: Construct, id: string, props: BackupServiceRoleProps) {
    super(scope, id);
    if (props.purposes.length === 0) throw new Error(`${this.node.path}: purposes must include "backup", "restore" or both`);
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) throw new Error(`${this.node.path}: roleName "${props.roleName}" is not a valid IAM role name (1-64 characters)`);
    this.trustPolicy = serviceTrustPolicy('backup.amazonaws.com', props.accountId);
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: props.description ?? `AWS Backup service role (${props.purposes.join(', ')})`,
      assumeRolePolicy: renderPolicy(this.trustPolicy),
    });
    const partition = partitionOf(props.region);
    this.managedPolicyArns = [...new Set(props.purposes)].flatMap((p) => MANAGED_POLICIES[p]).map((p) => `arn:${partition}:iam::aws:policy/${p}`);
    for (const arn of this.managedPolicyArns) {
      new IamRolePolicyAttachment(this, arn.split('/').pop()!, { role: this.role.name, policyArn: arn });
    }
    this.roleArn = this.role.arn;
  }
}

import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Lazy } from 'cdktf';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { policyDocument, renderPolicy, serviceTrustPolicy, type Grantable, type PolicyDocument, type PolicyStatement } from './policy-document';
import { partitionOf } from '../config/regions';

export type BackupRolePurpose = 'backup' | 'restore';

export interface BackupServiceRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  /** What AWS Backup does with the role; each purpose adds the matching AWS managed policies (S3 included). */
  readonly purposes: BackupRolePurpose[];
  /**
   * The role's description.
   * @default `AWS Backup service role (<purposes>)`
   */
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
export class BackupServiceRole extends Construct implements Grantable {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly managedPolicyArns: string[];
  /** Statements granted by other constructs (`grant*`), in an inline policy created with the first. */
  private grants?: PolicyDocument;

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

  /** Adds a statement to the role's inline `grants` policy (created on the first grant only). */
  addToPrincipalPolicy(statement: PolicyStatement): void {
    if (!this.grants) {
      this.grants = policyDocument(statement);
      new IamRolePolicy(this, 'Grants', { role: this.role.name, name: 'grants', policy: Lazy.stringValue({ produce: () => renderPolicy(this.grants!) }) });
    } else {
      this.grants = policyDocument(...this.grants.Statement, statement);
    }
  }
}

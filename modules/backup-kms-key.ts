import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { accountRootArn, policyDocument, renderPolicy, type Grantable, type PolicyDocument, type PolicyStatement } from './policy-document';
import { dnsSuffixOf, partitionOf } from '../config/regions';

export interface BackupKmsKeyProps {
  /** Shown in the KMS console. */
  readonly description: string;
  /** Alias, e.g. `alias/acme/central-vault`. */
  readonly alias: string;
  /** Account that owns the key. */
  readonly accountId: string;
  /** Region of the key. */
  readonly region: string;
  /** AWS Organizations ID; every cross-account grant is limited to principals of this organization. */
  readonly organizationId: string;
  /**
   * IAM roles of this account that maintain the key (aliases, tags, rotation on, description): the
   * deploying role. Matched with `aws:PrincipalArn`, so a role that does not exist yet does not make
   * the key policy invalid.
   */
  readonly adminRoleArns: string[];
  /**
   * The only role that may change the key policy, disable the key, revoke grants or schedule its
   * deletion: deleting a vault's key destroys its backups as surely as deleting them.
   */
  readonly breakGlassRoleArn: string;
  /**
   * Accounts whose AWS Backup may use the key for cross-account copy and restore (decrypt, re-encrypt,
   * grants for AWS resources).
   * @default none
   */
  readonly crossAccountBackupAccountIds?: string[];
  /**
   * Waiting period before a scheduled deletion.
   * @default 30 days (the maximum)
   */
  readonly deletionWindowInDays?: number;
  /**
   * Provider (account and region) to create the key with.
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Services through which callers of this account may use the key: AWS Backup and the services it restores into. */
const BACKUP_SERVICES = ['backup', 'ec2', 'rds', 'elasticfilesystem', 'dynamodb', 's3', 'fsx'];

/** Day-to-day administration Terraform needs: never grants, policy changes, disabling or deletion. */
const KEY_MAINTENANCE_ACTIONS = [
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:Describe*',
  'kms:EnableKeyRotation',
  'kms:Get*',
  'kms:List*',
  'kms:RotateKeyOnDemand',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** Actions that can make a key, and with it every backup it encrypts, unusable or reachable by others. */
const KEY_CONTROL_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
];

const KEY_ADMIN_ACTIONS = [...KEY_MAINTENANCE_ACTIONS, ...KEY_CONTROL_ACTIONS].sort();

/** Key administration for the named roles of the key's account, matched by `aws:PrincipalArn`. */
export function keyAdministrationStatement(partition: string, accountId: string, adminRoleArns: string[], actions: string[] = KEY_ADMIN_ACTIONS, sid = 'KeyAdministration'): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: accountRootArn(partition, accountId) },
    Action: actions,
    Resource: '*',
    Condition: { ArnEquals: { 'aws:PrincipalArn': [...adminRoleArns].sort() } },
  };
}

export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * Customer managed key for a backup vault, with rotation on and a key policy that lets AWS Backup in
 * this account (and, for cross-account copy, in the listed accounts) use it, and nothing more.
 */
export class BackupKmsKey extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;
  /** The key policy as emitted, for tests and reviewers. */
  readonly policy: PolicyDocument;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: BackupKmsKeyProps) {
    super(scope, id);
    if (props.adminRoleArns.length === 0) {
      throw new Error(`${this.node.path}: adminRoleArns must name at least one role, or nobody could ever change the key policy`);
    }
    const deletionWindow = props.deletionWindowInDays ?? 30;
    if (deletionWindow < 7 || deletionWindow > 30) {
      throw new Error(`${this.node.path}: deletionWindowInDays must be between 7 and 30 (got ${deletionWindow})`);
    }
    this.region = props.region;
    const partition = partitionOf(props.region);
    const root = accountRootArn(partition, props.accountId);
    const viaServices = BACKUP_SERVICES.map((s) => `${s}.${props.region}.${dnsSuffixOf(props.region)}`);
    const statements: PolicyStatement[] = [
      keyAdministrationStatement(partition, props.accountId, [...new Set([...props.adminRoleArns, props.breakGlassRoleArn])], KEY_MAINTENANCE_ACTIONS),
      keyAdministrationStatement(partition, props.accountId, [props.breakGlassRoleArn], KEY_CONTROL_ACTIONS, 'KeyControlBreakGlassOnly'),
      {
        Sid: 'UseThroughAwsBackupInThisAccount',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: [...KEY_USE_ACTIONS, 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': props.accountId, 'kms:ViaService': viaServices } },
      },
    ];
    const crossAccounts = [...new Set(props.crossAccountBackupAccountIds ?? [])].sort();
    if (crossAccounts.includes(props.accountId)) {
      throw new Error(`${this.node.path}: crossAccountBackupAccountIds must not include the key's own account ${props.accountId}`);
    }
    if (crossAccounts.length > 0) {
      const principals = crossAccounts.map((a) => accountRootArn(partition, a));
      statements.push(
        {
          Sid: 'CrossAccountBackupUse',
          Effect: 'Allow',
          Principal: { AWS: principals },
          Action: [...KEY_USE_ACTIONS, 'kms:ListGrants', 'kms:RevokeGrant'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        },
        {
          Sid: 'CrossAccountGrantsForAwsResources',
          Effect: 'Allow',
          Principal: { AWS: principals },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
      );
    }
    this.policy = policyDocument(...statements);
    this.key = new KmsKey(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: deletionWindow,
      policy: renderPolicy(this.policy),
      // The deploying role may not PutKeyPolicy on purpose; KMS's lockout check would otherwise refuse
      // a policy that its creator cannot change. The break-glass role can.
      bypassPolicyLockoutSafetyCheck: true,
      provider: props.provider,
    });
    new KmsAlias(this, 'Alias', { name: props.alias, targetKeyId: this.key.keyId, provider: props.provider });
    this.keyArn = this.key.arn;
  }

  /**
   * Lets `grantee` use EBS volumes encrypted with this key (attach, create from a snapshot): EC2 calls
   * KMS with the caller's credentials, so the caller needs `kms:CreateGrant` (for AWS resources only),
   * `kms:Decrypt` and `kms:DescribeKey` on the key, through EC2 of this region. The key policy
   * delegates to IAM for this account through EC2 (`UseThroughAwsBackupInThisAccount`), so this
   * identity statement is what decides. EBS User Guide, "Permissions for IAM users":
   * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html; the same pair
   * as aws-cdk-lib's `Volume.grantAttachVolume`.
   */
  grantEbsVolumeUse(grantee: Grantable, sid = 'UseRestoredVolumeKeyThroughEc2'): void {
    const viaEc2 = `ec2.${this.region}.${dnsSuffixOf(this.region)}`;
    grantee.addToPrincipalPolicy({ Sid: `${sid}Grants`, Effect: 'Allow', Action: 'kms:CreateGrant', Resource: this.keyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: { 'kms:ViaService': viaEc2 } } });
    grantee.addToPrincipalPolicy({ Sid: sid, Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: this.keyArn, Condition: { StringEquals: { 'kms:ViaService': viaEc2 } } });
  }
}

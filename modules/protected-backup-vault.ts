import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultPolicy } from '@cdktf/provider-aws/lib/backup-vault-policy';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { accountRootArn, passRoleStatement, policyDocument, renderPolicy, type Grantable, type PolicyDocument, type PolicyStatement } from './policy-document';
import { backupVaultArn, vaultRecoveryPointArns } from '../config/naming';
import { partitionOf } from '../config/regions';

/** Who may copy recovery points into the vault (`backup:CopyIntoBackupVault`, the only cross-account action AWS Backup honours). */
export type CopyIntoPolicy =
  /** Any principal of the organization (the central vault: every workload account copies in). */
  | { readonly organizationId: string }
  /** Only the listed accounts, and only while they are members of the organization. */
  | { readonly organizationId: string; readonly accountIds: string[] };

export interface VaultLockProps {
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /**
   * Set only for compliance mode: after this many days (at least 3) the lock can never be changed or
   * removed, by anyone. Leave unset for governance mode (removable by privileged principals).
   * @default governance mode
   */
  readonly changeableForDays?: number;
}

export interface ProtectedBackupVaultProps {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Customer managed key of the vault (required: cross-account copies need one). */
  readonly kmsKeyArn: string;
  /** Role that alone may delete recovery points, change their lifecycle, or change the vault's policy or lock. */
  readonly breakGlassRoleArn: string;
  /**
   * @default nobody outside the account may copy in
   */
  readonly copyInto?: CopyIntoPolicy;
  /**
   * @default no Vault Lock
   */
  readonly lock?: VaultLockProps;
  /**
   * Provider (account and region) to create the vault with.
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Actions that would destroy or weaken backups; denied to everyone but the break-glass role. */
export const DESTRUCTIVE_VAULT_ACTIONS = [
  'backup:DeleteBackupVault',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultLockConfiguration',
  'backup:DeleteRecoveryPoint',
  'backup:DisassociateRecoveryPoint',
  'backup:DisassociateRecoveryPointFromParent',
  'backup:PutBackupVaultAccessPolicy',
  'backup:PutBackupVaultLockConfiguration',
  'backup:UpdateRecoveryPointLifecycle',
];

/**
 * The access policy every estate vault carries (standard and logically air-gapped alike): optionally
 * `backup:CopyIntoBackupVault` for the organization (or listed accounts of it), and a deny of every
 * destructive action to everyone but the break-glass role. `path` names the construct in errors.
 */
export function vaultAccessPolicy(path: string, props: { readonly region: string; readonly copyInto?: CopyIntoPolicy; readonly breakGlassRoleArn: string }): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (props.copyInto) {
    const orgCondition = { StringEquals: { 'aws:PrincipalOrgID': props.copyInto.organizationId } };
    const accountIds = 'accountIds' in props.copyInto ? [...new Set(props.copyInto.accountIds)].sort() : undefined;
    if (accountIds && accountIds.length === 0) throw new Error(`${path}: copyInto.accountIds must list at least one account`);
    statements.push({
      Sid: accountIds ? 'AllowCopyIntoFromListedAccounts' : 'AllowCopyIntoFromOrganization',
      Effect: 'Allow',
      Principal: accountIds ? { AWS: accountIds.map((a) => accountRootArn(partitionOf(props.region), a)) } : '*',
      Action: 'backup:CopyIntoBackupVault',
      Resource: '*',
      Condition: orgCondition,
    });
  }
  statements.push({
    Sid: 'DenyDestructiveActionsExceptBreakGlass',
    Effect: 'Deny',
    Principal: '*',
    Action: DESTRUCTIVE_VAULT_ACTIONS,
    Resource: '*',
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': props.breakGlassRoleArn } },
  });
  return policyDocument(...statements);
}

/**
 * A backup vault encrypted with a customer managed key, with an access policy that denies every
 * destructive action except to a break-glass role, optionally accepting cross-account copies and
 * optionally locked (Vault Lock).
 */
export class ProtectedBackupVault extends Construct {
  readonly vault: BackupVault;
  readonly vaultName: string;
  /** Derived from name, account and region, so other stacks can compute the same value from the config. */
  readonly vaultArn: string;
  readonly policy: PolicyDocument;
  readonly lock?: BackupVaultLockConfiguration;
  /** The ARNs its recovery points can have: AWS Backup's, and those of resource types AWS Backup does not fully manage (their service's own). */
  private readonly recoveryPointArns: string[];

  constructor(scope: Construct, id: string, props: ProtectedBackupVaultProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9_-]{2,50}$/.test(props.name)) {
      throw new Error(`${this.node.path}: vault name "${props.name}" must be 2-50 letters, digits, "-" or "_"`);
    }
    if (props.lock) {
      const { minRetentionDays: min, maxRetentionDays: max, changeableForDays } = props.lock;
      if (min > max) throw new Error(`${this.node.path}: lock minRetentionDays (${min}) must not exceed maxRetentionDays (${max})`);
      if (changeableForDays !== undefined && changeableForDays < 3) {
        throw new Error(`${this.node.path}: lock changeableForDays must be at least 3 (got ${changeableForDays})`);
      }
    }
    this.vaultName = props.name;
    this.vaultArn = backupVaultArn(props.region, props.accountId, props.name);
    this.recoveryPointArns = vaultRecoveryPointArns(props.region, props.accountId);
    this.vault = new BackupVault(this, 'Vault', { name: props.name, kmsKeyArn: props.kmsKeyArn, forceDestroy: false, provider: props.provider });

    this.policy = vaultAccessPolicy(this.node.path, { region: props.region, copyInto: props.copyInto, breakGlassRoleArn: props.breakGlassRoleArn });

    if (props.lock) {
      this.lock = new BackupVaultLockConfiguration(this, 'Lock', {
        backupVaultName: this.vault.name,
        minRetentionDays: props.lock.minRetentionDays,
        maxRetentionDays: props.lock.maxRetentionDays,
        changeableForDays: props.lock.changeableForDays,
        provider: props.provider,
      });
    }
    // The policy denies PutBackupVaultLockConfiguration to the deploying role, so the lock must exist first.
    new BackupVaultPolicy(this, 'AccessPolicy', {
      backupVaultName: this.vault.name,
      policy: renderPolicy(this.policy),
      dependsOn: this.lock ? [this.lock] : undefined,
      provider: props.provider,
    });
  }

  /**
   * Lets `grantee` copy the vault's recovery points to another vault: read the vault and its points,
   * StartCopyJob on a point (authorized on the recovery point), DescribeCopyJob (no resource-level
   * permissions), and pass `copyRoleArn`, the role AWS Backup copies with, to AWS Backup only.
   * Service Authorization Reference, AWS Backup: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html
   * `vaultLabel` names the vault in the Sids (`ReadCentralVault`, `StartCopyFromCentralVault`, ...).
   */
  grantStartCopy(grantee: Grantable, copyRoleArn: string, vaultLabel: string): void {
    const statements: PolicyStatement[] = [
      { Sid: `Read${vaultLabel}Vault`, Effect: 'Allow', Action: ['backup:DescribeBackupVault', 'backup:ListRecoveryPointsByBackupVault'], Resource: this.vaultArn },
      {
        Sid: `Read${vaultLabel}RecoveryPoints`,
        Effect: 'Allow',
        Action: ['backup:DescribeRecoveryPoint', 'backup:GetRecoveryPointRestoreMetadata', 'backup:ListTags'],
        Resource: this.recoveryPointArns,
      },
      { Sid: `StartCopyFrom${vaultLabel}Vault`, Effect: 'Allow', Action: 'backup:StartCopyJob', Resource: this.recoveryPointArns },
      { Sid: 'TrackCopyJobs', Effect: 'Allow', Action: 'backup:DescribeCopyJob', Resource: '*' },
      passRoleStatement('PassCopyServiceRoleToAwsBackupOnly', copyRoleArn, 'backup.amazonaws.com'),
    ];
    for (const statement of statements) grantee.addToPrincipalPolicy(statement);
  }

  /** Lets `grantee` list the vault's recovery points (ListRecoveryPointsByBackupVault is authorized on the vault). */
  grantListRecoveryPoints(grantee: Grantable, sid = 'ListRecoveryPoints'): void {
    grantee.addToPrincipalPolicy({ Sid: sid, Effect: 'Allow', Action: 'backup:ListRecoveryPointsByBackupVault', Resource: this.vaultArn });
  }
}

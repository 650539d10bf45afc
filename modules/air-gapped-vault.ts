import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { BackupLogicallyAirGappedVault } from '@cdktf/provider-aws/lib/backup-logically-air-gapped-vault';
import { BackupVaultPolicy } from '@cdktf/provider-aws/lib/backup-vault-policy';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { renderPolicy, type PolicyDocument } from './policy-document';
import { vaultAccessPolicy } from './protected-backup-vault';
import { backupVaultArn } from '../config/naming';

/** Shortest retention AWS accepts for a logically air-gapped vault (CreateLogicallyAirGappedBackupVault). */
export const AIR_GAPPED_MIN_RETENTION_DAYS = 7;

export interface AirGappedVaultProps {
  readonly name: string;
  /** The account that owns the vault (the backup-vault account). */
  readonly accountId: string;
  readonly region: string;
  /** Retention range of the vault's compliance lock (every copy must fall inside it). */
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** Role that alone may delete recovery points or change the vault's access policy. */
  readonly breakGlassRoleArn: string;
  /** Principals of this organization may copy into the vault (`backup:CopyIntoBackupVault`). */
  readonly organizationId: string;
  /** AWS RAM resource share of the vault. */
  readonly shareName: string;
  /**
   * Accounts the vault is shared with through AWS RAM: they can list, describe and restore its
   * recovery points (and run restore testing on them) without copying them first. AWS shares a
   * logically air-gapped vault with accounts only, never with a whole organization or OU.
   */
  readonly shareWithAccountIds: string[];
  /**
   * Provider (account and region) to create the vault with.
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * An AWS Backup logically air-gapped vault: always locked in compliance mode by AWS, encrypted with
 * an AWS-owned key (provider 5.100 has no key argument), its backups kept in an AWS Backup service
 * account. The organization's workload accounts copy into it (same access policy as the locked
 * central vault: org-only CopyIntoBackupVault, destructive actions for the break-glass role only),
 * and AWS RAM shares it with the accounts that restore from it.
 */
export class AirGappedVault extends Construct {
  readonly vault: BackupLogicallyAirGappedVault;
  readonly vaultName: string;
  /** Derived from name, account and region (same `backup-vault:` ARN form as a standard vault). */
  readonly vaultArn: string;
  readonly policy: PolicyDocument;
  readonly share: RamResourceShare;
  readonly sharedWith: string[];

  constructor(scope: Construct, id: string, props: AirGappedVaultProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9_-]{2,50}$/.test(props.name)) {
      throw new Error(`${this.node.path}: vault name "${props.name}" must be 2-50 letters, digits, "-" or "_"`);
    }
    const { minRetentionDays: min, maxRetentionDays: max } = props;
    if (min < AIR_GAPPED_MIN_RETENTION_DAYS) {
      throw new Error(`${this.node.path}: minRetentionDays (${min}) must be at least ${AIR_GAPPED_MIN_RETENTION_DAYS} for a logically air-gapped vault`);
    }
    if (min > max) throw new Error(`${this.node.path}: minRetentionDays (${min}) must not exceed maxRetentionDays (${max})`);
    this.sharedWith = [...new Set(props.shareWithAccountIds)].sort();
    if (this.sharedWith.length === 0) throw new Error(`${this.node.path}: shareWithAccountIds must list at least one account`);
    for (const account of this.sharedWith) {
      if (!/^\d{12}$/.test(account)) throw new Error(`${this.node.path}: "${account}" is not an AWS account ID`);
      if (account === props.accountId) throw new Error(`${this.node.path}: the vault cannot be shared with its own account ${account}`);
    }

    this.vaultName = props.name;
    this.vaultArn = backupVaultArn(props.region, props.accountId, props.name);
    this.vault = new BackupLogicallyAirGappedVault(this, 'Vault', {
      name: props.name,
      minRetentionDays: min,
      maxRetentionDays: max,
      provider: props.provider,
    });

    // The same access policy as the locked central vault. AWS Backup applies vault access policies to
    // logically air-gapped vaults too (PutBackupVaultAccessPolicy by vault name; CloudFormation's
    // AWS::Backup::LogicallyAirGappedBackupVault has an AccessPolicy property).
    this.policy = vaultAccessPolicy(this.node.path, { region: props.region, copyInto: { organizationId: props.organizationId }, breakGlassRoleArn: props.breakGlassRoleArn });
    new BackupVaultPolicy(this, 'AccessPolicy', {
      backupVaultName: this.vault.name,
      policy: renderPolicy(this.policy),
      provider: props.provider,
    });

    // Inside the organization only: with allow_external_principals false, RAM refuses principals
    // outside it (and needs RAM sharing with AWS Organizations enabled by the management account).
    this.share = new RamResourceShare(this, 'Share', {
      name: props.shareName,
      allowExternalPrincipals: false,
      provider: props.provider,
    });
    new RamResourceAssociation(this, 'ShareVault', {
      resourceArn: this.vault.arn,
      resourceShareArn: this.share.arn,
      provider: props.provider,
    });
    for (const account of this.sharedWith) {
      new RamPrincipalAssociation(this, `ShareWith-${account}`, {
        principal: account,
        resourceShareArn: this.share.arn,
        provider: props.provider,
      });
    }
  }
}

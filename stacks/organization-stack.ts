import { Construct } from 'constructs';
import { BackupGlobalSettings } from '@cdktf/provider-aws/lib/backup-global-settings';
import { RamSharingWithOrganization } from '@cdktf/provider-aws/lib/ram-sharing-with-organization';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { STACK_NAMES, workloadRegion } from '../config/naming';

/**
 * Organizations management account (optional, when `accounts.management` is configured): turns on
 * cross-account backup, without which no workload can copy into the central vault. The setting is
 * regional, so it is set in every region that copies or receives. With a logically air-gapped vault
 * (`centralVault.kind` airGapped or both) it also enables AWS RAM sharing within the organization,
 * without which a share limited to the organization (`allow_external_principals = false`) fails.
 */
export class OrganizationStack extends AccountStack {
  readonly regions: string[];
  readonly ramSharing?: RamSharingWithOrganization;

  constructor(scope: Construct, config: EstateConfig) {
    const management = config.accounts.management;
    if (!management) throw new Error('OrganizationStack needs accounts.management in the configuration');
    super(scope, STACK_NAMES.organization, { config, accountId: management.id, roleArn: management.roleArn, region: config.regions.recovery });
    this.regions = [...new Set([config.regions.recovery, ...config.workloads.map((w) => workloadRegion(config, w))])].sort();
    for (const region of this.regions) {
      new BackupGlobalSettings(this, `CrossAccountBackup-${region}`, {
        provider: this.providerFor(region),
        globalSettings: { isCrossAccountBackupEnabled: 'true' },
      });
    }
    // Organization-wide (not regional). Destroying it disables RAM sharing with the organization for
    // every share of the organization, not only the vault's.
    if (config.centralVault.kind !== 'locked') this.ramSharing = new RamSharingWithOrganization(this, 'RamSharingWithOrganization', {});
  }
}

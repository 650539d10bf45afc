import { Construct } from 'constructs';
import { BackupGlobalSettings } from '@cdktf/provider-aws/lib/backup-global-settings';
import { AccountStack } from './account-stack';
import type { EstateConfig } from '../config/schema';
import { STACK_NAMES, workloadRegion } from '../config/naming';

/**
 * Organizations management account (optional, when `accounts.management` is configured): turns on
 * cross-account backup, without which no workload can copy into the central vault. The setting is
 * regional, so it is set in every region that copies or receives.
 */
export class OrganizationStack extends AccountStack {
  readonly regions: string[];

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
  }
}

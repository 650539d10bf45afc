/**
 * AWS RAM shares as the resource policies they act as. A logically air-gapped vault shared with an
 * account through AWS RAM lets that account's principals list it, read its recovery points and
 * restore from them, with the share's managed permission (AWSRAMDefaultPermissionBackupVault); the
 * vault's own access policy still applies (its explicit denies win). Sources:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html ("Share a
 * logically air-gapped vault") and https://docs.aws.amazon.com/ram/latest/userguide/shareable.html.
 *
 * The share is read from the synthesized `aws_ram_resource_share`, `aws_ram_resource_association`
 * and `aws_ram_principal_association` resources; nothing is assumed about accounts the output does not
 * associate.
 */
import type { PolicyModel, PolicyStatementJson } from './policy-model';

/** The actions of the RAM managed permission for backup vaults that the estate relies on. */
export const RAM_BACKUP_VAULT_ACTIONS = [
  'backup:DescribeBackupVault',
  'backup:DescribeRecoveryPoint',
  'backup:GetRecoveryPointRestoreMetadata',
  'backup:ListRecoveryPointsByBackupVault',
  'backup:ListTags',
  'backup:StartRestoreJob',
];

/** `model` with each RAM-shared vault's policy extended by a statement for the accounts it is shared with. */
export function withRamShares(model: PolicyModel): PolicyModel {
  let out = model;
  const byType = (type: string) => model.resources.filter((r) => r.type === type);
  for (const association of byType('aws_ram_resource_association')) {
    const vaultArn = model.resolvedAttribute(association, 'resource_arn');
    if (!vaultArn || !/:backup-vault:/.test(vaultArn)) continue;
    const share = association.attributes.resource_share_arn;
    const accounts = byType('aws_ram_principal_association')
      .filter((p) => p.stack === association.stack && p.attributes.resource_share_arn === share)
      .map((p) => model.resolvedAttribute(p, 'principal'))
      .filter((a): a is string => !!a && /^\d{12}$/.test(a))
      .sort();
    if (accounts.length === 0) continue;
    const [, partition, , region, owner] = vaultArn.split(':');
    const statement: PolicyStatementJson = {
      Sid: 'SharedThroughAwsRam',
      Effect: 'Allow',
      Principal: { AWS: accounts.map((a) => `arn:${partition}:iam::${a}:root`) },
      Action: RAM_BACKUP_VAULT_ACTIONS,
      Resource: [vaultArn, `arn:${partition}:backup:${region}:${owner}:recovery-point:*`],
    };
    const policy = model.resourcePolicyOf(vaultArn);
    if (policy) out = out.withPolicy(policy.id, (doc) => ({ ...doc, Statement: [...doc.Statement, statement] }));
  }
  return out;
}

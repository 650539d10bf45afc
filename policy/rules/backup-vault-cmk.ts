import { compliant, forType, isSet, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_166: backup vaults are encrypted with a customer managed key (cross-account copy needs one). */
export const backupVaultCmk: PolicyRule = {
  id: 'CKV_AWS_166',
  name: 'BackupVaultCustomerManagedKey',
  fix: 'set kmsKeyArn on the aws_backup_vault to a customer managed key',
  check: forType('aws_backup_vault', (r) => (isSet(r.attributes.kms_key_arn) ? compliant : nonCompliant('the vault uses the AWS managed key'))),
};

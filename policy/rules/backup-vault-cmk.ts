import { compliant, isSet, nonCompliant, notApplicable, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_166: backup vaults are encrypted with a customer managed key (cross-account copy needs one). */
export const backupVaultCmk: PolicyRule = {
  id: 'CKV_AWS_166',
  name: 'BackupVaultCustomerManagedKey',
  fix: 'set kmsKeyArn on the aws_backup_vault to a customer managed key',
  check: (r) => (r.type !== 'aws_backup_vault' ? notApplicable : isSet(r.attributes.kms_key_arn) ? compliant : nonCompliant('the vault uses the AWS managed key')),
};

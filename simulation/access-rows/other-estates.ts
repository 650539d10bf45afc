/** Access rows of the 3-workload fixture, the central vault reader and the logically air-gapped vault. */
import { allowPolicy } from '../policy-model';
import { ORG, VAULT, DR, SHOP, REC, SHOP_REGION, role, vaultArn, recoveryPoint, via, keyOf, CENTRAL_VAULT, CENTRAL_RP, VAULT_ADMIN, VAULT_TERRAFORM, VAULT_BREAK_GLASS, COPY_STARTER, COPY_SERVICE, DR_ADMIN, DR_RESTORE_ROLE, DR_ORCHESTRATOR, SHOP_BACKUP_ROLE, OUTSIDER_ADMIN, BACKUP, type Row, asAdmin } from './principals';


// ---- three-workloads fixture: compliance lock, primaryRegionCopy, custom break-glass name -----------------
export const BILLING = '444444444444';
export const ANALYTICS = '555555555555';
export const MANAGEMENT = '999999999999';
export const USE1 = 'us-east-1';
export const CENTRAL_APNE2 = vaultArn(SHOP_REGION, VAULT, 'acme-central');
export const CENTRAL_USE1 = vaultArn(USE1, VAULT, 'acme-central');
export const BILLING_BACKUP_ROLE = role(BILLING, 'acme-billing-backup');
export const ANALYTICS_BACKUP_ROLE = role(ANALYTICS, 'acme-analytics-backup');
export const FIXTURE_BREAK_GLASS = role(VAULT, 'backup-break-glass');

export const THREE_WORKLOAD_ROWS: Row[] = [
  { description: 'billing (ap-northeast-2) copies into the ap-northeast-2 central vault', request: asAdmin(BILLING_BACKUP_ROLE, 'backup:CopyIntoBackupVault', CENTRAL_APNE2), expected: 'Allowed' },
  { description: 'analytics (us-east-1) copies into the us-east-1 central vault', request: asAdmin(ANALYTICS_BACKUP_ROLE, 'backup:CopyIntoBackupVault', CENTRAL_USE1), expected: 'Allowed' },
  { description: 'billing copies into the recovery-region central vault', request: asAdmin(BILLING_BACKUP_ROLE, 'backup:CopyIntoBackupVault', CENTRAL_VAULT), expected: 'Allowed' },
  { description: 'management account (org member) may copy into the central vault (org-wide by design)', request: asAdmin(role(MANAGEMENT, 'admin'), 'backup:CopyIntoBackupVault', CENTRAL_USE1), expected: 'Allowed' },
  {
    description: 'outsider cannot copy into the us-east-1 central vault',
    request: asAdmin(OUTSIDER_ADMIN, 'backup:CopyIntoBackupVault', CENTRAL_USE1),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  { description: 'vault admin cannot delete a us-east-1 central recovery point', request: asAdmin(VAULT_ADMIN, 'backup:DeleteRecoveryPoint', recoveryPoint(USE1, VAULT), { policyResourceArn: CENTRAL_USE1 }), expected: 'Denied' },
  { description: 'vault admin cannot remove the (compliance) lock of the ap-northeast-2 central vault', request: asAdmin(VAULT_ADMIN, 'backup:DeleteBackupVaultLockConfiguration', CENTRAL_APNE2), expected: 'Denied' },
  { description: 'configured break-glass role (backup-break-glass) deletes a us-east-1 central recovery point', request: asAdmin(FIXTURE_BREAK_GLASS, 'backup:DeleteRecoveryPoint', recoveryPoint(USE1, VAULT), { policyResourceArn: CENTRAL_USE1 }), expected: 'Allowed' },
  { description: 'the default break-glass name (dr-break-glass) is not the break-glass role of this estate', request: asAdmin(VAULT_BREAK_GLASS, 'backup:DeleteRecoveryPoint', recoveryPoint(REC, VAULT), { policyResourceArn: CENTRAL_VAULT }), expected: 'Denied' },
  { description: 'billing decrypts with the ap-northeast-2 central key', request: asAdmin(BILLING_BACKUP_ROLE, 'kms:Decrypt', keyOf(CENTRAL_APNE2)), expected: 'Allowed' },
  {
    description: 'DR account cannot use the ap-northeast-2 central key (it restores from the recovery region)',
    request: asAdmin(DR_RESTORE_ROLE, 'kms:Decrypt', keyOf(CENTRAL_APNE2)),
    expected: 'Denied',
    allowedIf: { principalArn: BILLING_BACKUP_ROLE },
  },
  {
    description: 'analytics (us-east-1) cannot use the ap-northeast-2 central key',
    request: asAdmin(ANALYTICS_BACKUP_ROLE, 'kms:Decrypt', keyOf(CENTRAL_APNE2)),
    expected: 'Denied',
    allowedIf: { resourceArn: keyOf(CENTRAL_USE1) },
  },
  { description: 'DR account decrypts with the recovery-region central key', request: asAdmin(DR_RESTORE_ROLE, 'kms:Decrypt', keyOf(CENTRAL_VAULT)), expected: 'Allowed' },
  { description: 'vault role uses the us-east-1 central key through AWS Backup in us-east-1', request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(CENTRAL_USE1), { viaService: via('backup', USE1) }), expected: 'Allowed' },
  {
    description: 'vault role cannot use the us-east-1 central key through AWS Backup in the recovery region',
    request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(CENTRAL_USE1), { viaService: via('backup', REC) }),
    expected: 'Denied',
    allowedIf: { viaService: via('backup', USE1) },
  },
  { description: 'DR recovery role assumes the copy-starter role', request: asAdmin(DR_ORCHESTRATOR, 'sts:AssumeRole', COPY_STARTER), expected: 'Allowed' },
  { description: 'AWS Backup assumes the billing backup role for billing', request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: BILLING_BACKUP_ROLE, sourceAccount: BILLING }, expected: 'Allowed' },
  {
    description: 'AWS Backup cannot assume the billing backup role for analytics',
    request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: BILLING_BACKUP_ROLE, sourceAccount: ANALYTICS },
    expected: 'Denied',
    allowedIf: { sourceAccount: BILLING },
  },
];

// ---------------------------------------------------------------------------------------------------

// ---- the readiness checker's read-only role in the backup-vault account (every centralVault.kind) -------
// Evaluated against the bundled example; also in docs/security.md's generated table.
export const READER = role(VAULT, 'acme-central-vault-reader');
export const READINESS_CHECKER = role(DR, 'acme-recovery-readiness-checker');

export const CENTRAL_VAULT_READER_ROWS: Row[] = [
  { description: 'the DR readiness checker (org) assumes the vault reader role', request: asAdmin(READINESS_CHECKER, 'sts:AssumeRole', READER), expected: 'Allowed' },
  {
    description: 'the recovery state machine role of the DR account cannot assume the vault reader role (the trust names the readiness checker only)',
    request: asAdmin(DR_ORCHESTRATOR, 'sts:AssumeRole', READER),
    expected: 'Denied',
    allowedIf: { principalArn: READINESS_CHECKER },
  },
  {
    description: 'the DR account admin cannot assume the vault reader role',
    request: asAdmin(DR_ADMIN, 'sts:AssumeRole', READER),
    expected: 'Denied',
    allowedIf: { principalArn: READINESS_CHECKER },
  },
  {
    description: 'the readiness checker outside the organization cannot assume the vault reader role',
    request: asAdmin(READINESS_CHECKER, 'sts:AssumeRole', READER, { principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  {
    description: 'a workload role named like the readiness checker cannot assume the vault reader role',
    request: asAdmin(role(SHOP, 'acme-recovery-readiness-checker'), 'sts:AssumeRole', READER),
    expected: 'Denied',
    allowedIf: { principalArn: READINESS_CHECKER },
  },
  {
    description: 'vault account admin cannot assume the vault reader role (trust names the DR account only)',
    request: asAdmin(VAULT_ADMIN, 'sts:AssumeRole', READER),
    expected: 'Denied',
    allowedIf: { principalArn: READINESS_CHECKER },
  },
  { description: 'vault reader lists central recovery points', request: { principalArn: READER, action: 'backup:ListRecoveryPointsByBackupVault', resourceArn: CENTRAL_VAULT }, expected: 'Allowed' },
  { description: 'vault reader describes the central vault', request: { principalArn: READER, action: 'backup:DescribeBackupVault', resourceArn: CENTRAL_VAULT }, expected: 'Allowed' },
  { description: 'vault reader describes a central recovery point', request: { principalArn: READER, action: 'backup:DescribeRecoveryPoint', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT }, expected: 'Allowed' },
  { description: 'vault reader cannot delete a central recovery point', request: { principalArn: READER, action: 'backup:DeleteRecoveryPoint', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT }, expected: 'Denied' },
  { description: 'vault reader cannot shorten a central recovery point lifecycle', request: { principalArn: READER, action: 'backup:UpdateRecoveryPointLifecycle', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT }, expected: 'Denied' },
  { description: 'vault reader cannot replace the central vault policy', request: { principalArn: READER, action: 'backup:PutBackupVaultAccessPolicy', resourceArn: CENTRAL_VAULT }, expected: 'Denied' },
  {
    description: 'vault reader cannot copy a central recovery point',
    request: { principalArn: READER, action: 'backup:StartCopyJob', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('copy', 'backup:StartCopyJob')] },
  },
  {
    description: 'vault reader cannot restore a central recovery point',
    request: { principalArn: READER, action: 'backup:StartRestoreJob', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('restore', 'backup:StartRestoreJob')] },
  },
  {
    description: 'vault reader cannot read restore metadata or tags (describe and list only)',
    request: { principalArn: READER, action: 'backup:GetRecoveryPointRestoreMetadata', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('metadata', 'backup:GetRecoveryPointRestoreMetadata')] },
  },
  {
    description: 'vault reader cannot decrypt with the central key',
    request: { principalArn: READER, action: 'kms:Decrypt', resourceArn: keyOf(CENTRAL_VAULT), viaService: via('backup', REC) },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('kms', 'kms:Decrypt')] },
  },
];

// ---- the logically air-gapped vault (example estate with centralVault.kind both) --------------------------
export const AIR_GAPPED_VAULT = vaultArn(REC, VAULT, 'acme-air-gapped');
export const AIR_GAPPED_RP = recoveryPoint(REC, VAULT, '9a8b7c6d-1111-2222-3333-444455556666');

export const AIR_GAPPED_ROWS: Row[] = [
  {
    description: 'workload backup role (org) copies into the air-gapped vault',
    request: { principalArn: SHOP_BACKUP_ROLE, identityPolicies: [allowPolicy('copy-into', 'backup:CopyIntoBackupVault')], action: 'backup:CopyIntoBackupVault', resourceArn: AIR_GAPPED_VAULT },
    expected: 'Allowed',
  },
  {
    description: 'admin of an account outside the organization cannot copy into the air-gapped vault',
    request: asAdmin(OUTSIDER_ADMIN, 'backup:CopyIntoBackupVault', AIR_GAPPED_VAULT),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  {
    description: 'workload account that left the organization cannot copy into the air-gapped vault',
    request: asAdmin(SHOP_BACKUP_ROLE, 'backup:CopyIntoBackupVault', AIR_GAPPED_VAULT, { principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  { description: 'vault account admin cannot delete an air-gapped recovery point', request: asAdmin(VAULT_ADMIN, 'backup:DeleteRecoveryPoint', AIR_GAPPED_RP, { policyResourceArn: AIR_GAPPED_VAULT }), expected: 'Denied' },
  { description: 'vault account admin cannot replace the air-gapped vault policy', request: asAdmin(VAULT_ADMIN, 'backup:PutBackupVaultAccessPolicy', AIR_GAPPED_VAULT), expected: 'Denied' },
  { description: 'vault account admin cannot delete the air-gapped vault policy', request: asAdmin(VAULT_ADMIN, 'backup:DeleteBackupVaultAccessPolicy', AIR_GAPPED_VAULT), expected: 'Denied' },
  { description: 'vault account Terraform role cannot delete the air-gapped vault', request: asAdmin(VAULT_TERRAFORM, 'backup:DeleteBackupVault', AIR_GAPPED_VAULT), expected: 'Denied' },
  { description: 'break-glass role replaces the air-gapped vault policy (the compliance lock still binds recovery points)', request: asAdmin(VAULT_BREAK_GLASS, 'backup:PutBackupVaultAccessPolicy', AIR_GAPPED_VAULT), expected: 'Allowed' },
  { description: 'vault reader lists the air-gapped vault', request: { principalArn: READER, action: 'backup:ListRecoveryPointsByBackupVault', resourceArn: AIR_GAPPED_VAULT }, expected: 'Allowed' },
  { description: 'vault reader describes an air-gapped recovery point', request: { principalArn: READER, action: 'backup:DescribeRecoveryPoint', resourceArn: AIR_GAPPED_RP, policyResourceArn: AIR_GAPPED_VAULT }, expected: 'Allowed' },
  { description: 'vault reader cannot delete an air-gapped recovery point', request: { principalArn: READER, action: 'backup:DeleteRecoveryPoint', resourceArn: AIR_GAPPED_RP, policyResourceArn: AIR_GAPPED_VAULT }, expected: 'Denied' },
  { description: 'vault reader cannot change the air-gapped vault policy', request: { principalArn: READER, action: 'backup:PutBackupVaultAccessPolicy', resourceArn: AIR_GAPPED_VAULT }, expected: 'Denied' },
  {
    description: 'vault reader cannot copy an air-gapped recovery point',
    request: { principalArn: READER, action: 'backup:StartCopyJob', resourceArn: AIR_GAPPED_RP, policyResourceArn: AIR_GAPPED_VAULT },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('copy', 'backup:StartCopyJob')] },
  },
  {
    description: 'copy-starter may copy an air-gapped recovery point (its scope is every recovery point of the vault account; the only vault accepting such a copy is the DR restore vault)',
    request: { principalArn: COPY_STARTER, action: 'backup:StartCopyJob', resourceArn: AIR_GAPPED_RP, policyResourceArn: AIR_GAPPED_VAULT },
    expected: 'Allowed',
  },
  { description: 'the readiness checker still assumes the vault reader role with both vault kinds', request: asAdmin(READINESS_CHECKER, 'sts:AssumeRole', READER), expected: 'Allowed' },
];

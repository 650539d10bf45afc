/** Who can do what to the backups in the bundled example estate (config/example.json, with failback for its workload). */
import { allowPolicy } from '../policy-model';
import { ORG, VAULT, DR, SHOP, OUTSIDER, REC, SHOP_REGION, role, via, keyOf, CENTRAL_VAULT, DR_VAULT, SHOP_VAULT, CENTRAL_RP, DR_RP, SHOP_RP, VAULT_ADMIN, VAULT_TERRAFORM, VAULT_BREAK_GLASS, COPY_STARTER, COPY_SERVICE, DR_ADMIN, DR_BREAK_GLASS, DR_RESTORE_ROLE, DR_ORCHESTRATOR, DR_FAILBACK_BACKUP_ROLE, SHOP_ADMIN, SHOP_BACKUP_ROLE, SHOP_BREAK_GLASS, OUTSIDER_ADMIN, BACKUP, type Row, asAdmin } from './principals';

export const EXAMPLE_ROWS: Row[] = [
  // ---- central vault (backup-vault account) ---------------------------------------------------------
  {
    description: 'workload backup role (org) copies into the central vault',
    request: { principalArn: SHOP_BACKUP_ROLE, identityPolicies: [allowPolicy('copy-into', 'backup:CopyIntoBackupVault')], action: 'backup:CopyIntoBackupVault', resourceArn: CENTRAL_VAULT },
    expected: 'Allowed',
  },
  {
    description: 'workload backup role without an identity permission cannot copy into the central vault (cross-account needs both sides)',
    request: { principalArn: SHOP_BACKUP_ROLE, action: 'backup:CopyIntoBackupVault', resourceArn: CENTRAL_VAULT },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('copy-into', 'backup:CopyIntoBackupVault')] },
  },
  {
    description: 'admin of an account outside the organization cannot copy into the central vault',
    request: asAdmin(OUTSIDER_ADMIN, 'backup:CopyIntoBackupVault', CENTRAL_VAULT),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  {
    description: 'workload account that left the organization cannot copy into the central vault',
    request: asAdmin(SHOP_BACKUP_ROLE, 'backup:CopyIntoBackupVault', CENTRAL_VAULT, { principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  {
    description: 'any org principal, e.g. the DR account admin, may copy into the central vault (org-wide by design)',
    request: asAdmin(DR_ADMIN, 'backup:CopyIntoBackupVault', CENTRAL_VAULT),
    expected: 'Allowed',
  },
  { description: 'vault account admin cannot delete a central recovery point', request: asAdmin(VAULT_ADMIN, 'backup:DeleteRecoveryPoint', CENTRAL_RP, { policyResourceArn: CENTRAL_VAULT }), expected: 'Denied' },
  { description: 'vault account admin cannot shorten a central recovery point lifecycle', request: asAdmin(VAULT_ADMIN, 'backup:UpdateRecoveryPointLifecycle', CENTRAL_RP, { policyResourceArn: CENTRAL_VAULT }), expected: 'Denied' },
  { description: 'vault account admin cannot disassociate a central recovery point', request: asAdmin(VAULT_ADMIN, 'backup:DisassociateRecoveryPoint', CENTRAL_RP, { policyResourceArn: CENTRAL_VAULT }), expected: 'Denied' },
  { description: 'vault account admin cannot replace the central vault policy', request: asAdmin(VAULT_ADMIN, 'backup:PutBackupVaultAccessPolicy', CENTRAL_VAULT), expected: 'Denied' },
  { description: 'vault account admin cannot delete the central vault policy', request: asAdmin(VAULT_ADMIN, 'backup:DeleteBackupVaultAccessPolicy', CENTRAL_VAULT), expected: 'Denied' },
  { description: 'vault account admin cannot remove the central Vault Lock', request: asAdmin(VAULT_ADMIN, 'backup:DeleteBackupVaultLockConfiguration', CENTRAL_VAULT), expected: 'Denied' },
  { description: 'vault account admin cannot change the central Vault Lock', request: asAdmin(VAULT_ADMIN, 'backup:PutBackupVaultLockConfiguration', CENTRAL_VAULT), expected: 'Denied' },
  { description: 'vault account Terraform role cannot delete the central vault', request: asAdmin(VAULT_TERRAFORM, 'backup:DeleteBackupVault', CENTRAL_VAULT), expected: 'Denied' },
  { description: 'vault account admin may still describe the central vault (the deny is targeted)', request: asAdmin(VAULT_ADMIN, 'backup:DescribeBackupVault', CENTRAL_VAULT), expected: 'Allowed' },
  { description: 'break-glass role deletes a central recovery point', request: asAdmin(VAULT_BREAK_GLASS, 'backup:DeleteRecoveryPoint', CENTRAL_RP, { policyResourceArn: CENTRAL_VAULT }), expected: 'Allowed' },
  {
    description: 'break-glass role session (assumed-role ARN) deletes a central recovery point',
    request: asAdmin(`arn:aws:sts::${VAULT}:assumed-role/dr-break-glass/incident-42`, 'backup:DeleteRecoveryPoint', CENTRAL_RP, { policyResourceArn: CENTRAL_VAULT }),
    expected: 'Allowed',
  },
  { description: 'break-glass role replaces the central vault policy', request: asAdmin(VAULT_BREAK_GLASS, 'backup:PutBackupVaultAccessPolicy', CENTRAL_VAULT), expected: 'Allowed' },
  { description: 'break-glass role removes the central Vault Lock', request: asAdmin(VAULT_BREAK_GLASS, 'backup:DeleteBackupVaultLockConfiguration', CENTRAL_VAULT), expected: 'Allowed' },
  {
    description: "the DR account's break-glass role cannot delete a central recovery point",
    request: asAdmin(DR_BREAK_GLASS, 'backup:DeleteRecoveryPoint', CENTRAL_RP, { policyResourceArn: CENTRAL_VAULT }),
    expected: 'Denied',
  },

  // ---- DR restore vault -----------------------------------------------------------------------------
  { description: 'backup-vault account copy service role copies into the DR restore vault', request: asAdmin(COPY_SERVICE, 'backup:CopyIntoBackupVault', DR_VAULT), expected: 'Allowed' },
  {
    description: 'workload account cannot copy into the DR restore vault',
    request: asAdmin(SHOP_BACKUP_ROLE, 'backup:CopyIntoBackupVault', DR_VAULT),
    expected: 'Denied',
    allowedIf: { principalArn: COPY_SERVICE },
  },
  {
    description: 'backup-vault account outside the organization cannot copy into the DR restore vault',
    request: asAdmin(COPY_SERVICE, 'backup:CopyIntoBackupVault', DR_VAULT, { principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  { description: 'DR account admin cannot delete a DR recovery point', request: asAdmin(DR_ADMIN, 'backup:DeleteRecoveryPoint', DR_RP, { policyResourceArn: DR_VAULT }), expected: 'Denied' },
  { description: 'DR break-glass role deletes a DR recovery point', request: asAdmin(DR_BREAK_GLASS, 'backup:DeleteRecoveryPoint', DR_RP, { policyResourceArn: DR_VAULT }), expected: 'Allowed' },

  // ---- workload local vault -------------------------------------------------------------------------
  { description: 'workload admin cannot delete a local recovery point', request: asAdmin(SHOP_ADMIN, 'backup:DeleteRecoveryPoint', SHOP_RP, { policyResourceArn: SHOP_VAULT }), expected: 'Denied' },
  { description: 'workload break-glass role deletes the local vault', request: asAdmin(SHOP_BREAK_GLASS, 'backup:DeleteBackupVault', SHOP_VAULT), expected: 'Allowed' },
  // With workloads[].failback the local vault admits copies from the DR account (inside the organization)
  // only: failback copies the DR account's final backups into it (docs/failback.md).
  {
    description: "the DR account's failback backup role (org) copies into the local vault (failback)",
    request: asAdmin(DR_FAILBACK_BACKUP_ROLE, 'backup:CopyIntoBackupVault', SHOP_VAULT),
    expected: 'Allowed',
  },
  {
    description: 'the backup-vault account cannot copy into the local vault (of other accounts, only the DR account may, for failback)',
    request: asAdmin(COPY_SERVICE, 'backup:CopyIntoBackupVault', SHOP_VAULT),
    expected: 'Denied',
    allowedIf: { principalArn: DR_FAILBACK_BACKUP_ROLE },
  },
  {
    description: 'the DR account, out of the organization, cannot copy into the local vault',
    request: asAdmin(DR_FAILBACK_BACKUP_ROLE, 'backup:CopyIntoBackupVault', SHOP_VAULT, { principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  {
    description: 'admin of an account outside the organization cannot copy into the local vault',
    request: asAdmin(OUTSIDER_ADMIN, 'backup:CopyIntoBackupVault', SHOP_VAULT),
    expected: 'Denied',
    allowedIf: { principalArn: DR_FAILBACK_BACKUP_ROLE },
  },

  // ---- central vault key ----------------------------------------------------------------------------
  { description: 'DR account principal (org) decrypts with the central key', request: asAdmin(DR_RESTORE_ROLE, 'kms:Decrypt', keyOf(CENTRAL_VAULT)), expected: 'Allowed' },
  {
    description: 'DR account principal outside the organization cannot decrypt with the central key',
    request: asAdmin(DR_RESTORE_ROLE, 'kms:Decrypt', keyOf(CENTRAL_VAULT), { principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  {
    description: 'admin outside the organization cannot decrypt with the central key',
    request: asAdmin(OUTSIDER_ADMIN, 'kms:Decrypt', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: DR_RESTORE_ROLE },
  },
  {
    description: 'outsider claiming the org ID is still not a key-policy principal of the central key',
    request: asAdmin(OUTSIDER_ADMIN, 'kms:Decrypt', keyOf(CENTRAL_VAULT), { principalOrgId: ORG }),
    expected: 'Denied',
    allowedIf: { principalArn: DR_RESTORE_ROLE },
  },
  {
    description: 'workload account cannot decrypt with the central key',
    request: asAdmin(SHOP_BACKUP_ROLE, 'kms:Decrypt', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: DR_RESTORE_ROLE },
  },
  {
    description: 'DR account creates a grant on the central key for an AWS resource',
    request: asAdmin(DR_RESTORE_ROLE, 'kms:CreateGrant', keyOf(CENTRAL_VAULT), { grantIsForAwsResource: true }),
    expected: 'Allowed',
  },
  {
    description: 'DR account cannot create a grant on the central key for itself (GrantIsForAWSResource false)',
    request: asAdmin(DR_RESTORE_ROLE, 'kms:CreateGrant', keyOf(CENTRAL_VAULT), { grantIsForAwsResource: false }),
    expected: 'Denied',
    allowedIf: { grantIsForAwsResource: true },
  },
  {
    description: 'DR account admin cannot change the central key policy',
    request: asAdmin(DR_ADMIN, 'kms:PutKeyPolicy', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: VAULT_BREAK_GLASS },
  },
  {
    description: 'vault account Terraform role cannot change the central key policy (break-glass only)',
    request: asAdmin(VAULT_TERRAFORM, 'kms:PutKeyPolicy', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: VAULT_BREAK_GLASS },
  },
  { description: 'vault account break-glass role changes the central key policy', request: asAdmin(VAULT_BREAK_GLASS, 'kms:PutKeyPolicy', keyOf(CENTRAL_VAULT)), expected: 'Allowed' },
  {
    description: 'vault account admin cannot change the central key policy',
    request: asAdmin(VAULT_ADMIN, 'kms:PutKeyPolicy', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: VAULT_BREAK_GLASS },
  },
  {
    description: 'vault account admin cannot schedule deletion of the central key',
    request: asAdmin(VAULT_ADMIN, 'kms:ScheduleKeyDeletion', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: VAULT_BREAK_GLASS },
  },
  {
    description: 'vault account Terraform role cannot schedule deletion of the central key (deleting the key destroys the backups)',
    request: asAdmin(VAULT_TERRAFORM, 'kms:ScheduleKeyDeletion', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: VAULT_BREAK_GLASS },
  },
  {
    description: 'vault account Terraform role cannot disable the central key',
    request: asAdmin(VAULT_TERRAFORM, 'kms:DisableKey', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: VAULT_BREAK_GLASS },
  },
  {
    description: 'vault account Terraform role cannot create a grant on the central key outside AWS Backup',
    request: asAdmin(VAULT_TERRAFORM, 'kms:CreateGrant', keyOf(CENTRAL_VAULT), { grantIsForAwsResource: false }),
    expected: 'Denied',
    allowedIf: { viaService: via('backup', REC) },
  },
  {
    description: 'vault account Terraform role still maintains the central key (rotation)',
    request: asAdmin(VAULT_TERRAFORM, 'kms:EnableKeyRotation', keyOf(CENTRAL_VAULT)),
    expected: 'Allowed',
  },
  {
    description: 'DR account admin decrypts with the central key directly, without kms:ViaService (cross-account use is not limited to AWS Backup)',
    request: asAdmin(DR_ADMIN, 'kms:Decrypt', keyOf(CENTRAL_VAULT)),
    expected: 'Allowed',
  },
  {
    description: 'vault account role decrypts with the central key through AWS Backup in the recovery region',
    request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(CENTRAL_VAULT), { viaService: via('backup', REC) }),
    expected: 'Allowed',
  },
  {
    description: 'vault account role cannot decrypt with the central key directly (no kms:ViaService)',
    request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(CENTRAL_VAULT)),
    expected: 'Denied',
    allowedIf: { viaService: via('backup', REC) },
  },
  {
    description: 'vault account role cannot use the central key through AWS Backup of another region',
    request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(CENTRAL_VAULT), { viaService: via('backup', SHOP_REGION) }),
    expected: 'Denied',
    allowedIf: { viaService: via('backup', REC) },
  },
  {
    description: 'vault account role cannot use the central key through a service AWS Backup does not restore into (Lambda)',
    request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(CENTRAL_VAULT), { viaService: via('lambda', REC) }),
    expected: 'Denied',
    allowedIf: { viaService: via('rds', REC) },
  },

  // ---- workload and DR keys -------------------------------------------------------------------------
  { description: 'backup-vault account (org) decrypts with the workload key', request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(SHOP_VAULT)), expected: 'Allowed' },
  {
    description: 'backup-vault account creates a grant on the workload key for an AWS resource',
    request: asAdmin(COPY_SERVICE, 'kms:CreateGrant', keyOf(SHOP_VAULT), { grantIsForAwsResource: true }),
    expected: 'Allowed',
  },
  // Failback copies into the local vault are re-encrypted with this key by the workload account's AWS
  // Backup: the DR account (their source) gets no use of it.
  {
    description: 'DR account cannot decrypt with the workload key (not even for failback copies)',
    request: asAdmin(DR_FAILBACK_BACKUP_ROLE, 'kms:Decrypt', keyOf(SHOP_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: COPY_SERVICE },
  },
  {
    description: 'admin of an account outside the organization cannot decrypt with the workload key',
    request: asAdmin(OUTSIDER_ADMIN, 'kms:Decrypt', keyOf(SHOP_VAULT)),
    expected: 'Denied',
    allowedIf: { principalArn: COPY_SERVICE },
  },
  {
    description: 'workload backup role uses its own key through AWS Backup',
    request: asAdmin(SHOP_BACKUP_ROLE, 'kms:GenerateDataKey', keyOf(SHOP_VAULT), { viaService: via('backup', SHOP_REGION) }),
    expected: 'Allowed',
  },
  {
    description: 'DR restore role uses the DR key through AWS Backup',
    request: asAdmin(DR_RESTORE_ROLE, 'kms:Decrypt', keyOf(DR_VAULT), { viaService: via('backup', REC) }),
    expected: 'Allowed',
  },
  // With workloads[].failback the workload account (org) may use the DR key: failback copies the final
  // backups out of the DR restore vault into the workload's local vault.
  {
    description: 'workload account (org) decrypts with the DR key (failback copies out of the restore vault)',
    request: asAdmin(SHOP_BACKUP_ROLE, 'kms:Decrypt', keyOf(DR_VAULT)),
    expected: 'Allowed',
  },
  {
    description: 'backup-vault account cannot use the DR key',
    request: asAdmin(COPY_SERVICE, 'kms:Decrypt', keyOf(DR_VAULT), { viaService: via('backup', REC) }),
    expected: 'Denied',
    allowedIf: { principalArn: DR_RESTORE_ROLE },
  },

  // ---- copy-starter role: trust -----------------------------------------------------------------------
  { description: 'DR recovery role (org) assumes the copy-starter role', request: asAdmin(DR_ORCHESTRATOR, 'sts:AssumeRole', COPY_STARTER), expected: 'Allowed' },
  {
    description: 'the recovery state machine role assumes the copy-starter role with its own synthesized policy',
    request: { principalArn: DR_ORCHESTRATOR, action: 'sts:AssumeRole', resourceArn: COPY_STARTER },
    expected: 'Allowed',
  },
  {
    description: 'the locate function role assumes the copy-starter role with its own synthesized policy',
    request: { principalArn: role(DR, 'acme-recovery-locate-recovery-points'), action: 'sts:AssumeRole', resourceArn: COPY_STARTER },
    expected: 'Allowed',
  },
  {
    description: 'a recovery-named DR role without an identity permission cannot assume the copy-starter role (cross-account needs both sides)',
    request: { principalArn: role(DR, 'acme-recovery-prepare-restore'), action: 'sts:AssumeRole', resourceArn: COPY_STARTER },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('assume', 'sts:AssumeRole', COPY_STARTER)] },
  },
  {
    description: 'another DR role (developer) cannot assume the copy-starter role',
    request: asAdmin(role(DR, 'developer'), 'sts:AssumeRole', COPY_STARTER),
    expected: 'Denied',
    allowedIf: { principalArn: DR_ORCHESTRATOR },
  },
  {
    description: 'a workload role named like a recovery role cannot assume the copy-starter role',
    request: asAdmin(role(SHOP, 'acme-recovery-orchestrator'), 'sts:AssumeRole', COPY_STARTER),
    expected: 'Denied',
    allowedIf: { principalArn: DR_ORCHESTRATOR },
  },
  {
    description: 'DR recovery role outside the organization cannot assume the copy-starter role',
    request: asAdmin(DR_ORCHESTRATOR, 'sts:AssumeRole', COPY_STARTER, { principalOrgId: null }),
    expected: 'Denied',
    allowedIf: { principalOrgId: ORG },
  },
  {
    description: 'vault account admin cannot assume the copy-starter role (trust names the DR account only)',
    request: asAdmin(VAULT_ADMIN, 'sts:AssumeRole', COPY_STARTER),
    expected: 'Denied',
    allowedIf: { principalArn: DR_ORCHESTRATOR },
  },

  // ---- copy-starter role: permissions (synthesized inline policy only) --------------------------------
  { description: 'copy-starter starts a copy of a central recovery point', request: { principalArn: COPY_STARTER, action: 'backup:StartCopyJob', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT }, expected: 'Allowed' },
  { description: 'copy-starter lists central recovery points', request: { principalArn: COPY_STARTER, action: 'backup:ListRecoveryPointsByBackupVault', resourceArn: CENTRAL_VAULT }, expected: 'Allowed' },
  { description: 'copy-starter tracks copy jobs', request: { principalArn: COPY_STARTER, action: 'backup:DescribeCopyJob', resourceArn: '*', resourceAccount: VAULT }, expected: 'Allowed' },
  { description: 'copy-starter cannot delete a central recovery point', request: { principalArn: COPY_STARTER, action: 'backup:DeleteRecoveryPoint', resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT }, expected: 'Denied' },
  {
    description: 'copy-starter cannot start a copy of a workload recovery point',
    request: { principalArn: COPY_STARTER, action: 'backup:StartCopyJob', resourceArn: SHOP_RP, policyResourceArn: SHOP_VAULT },
    expected: 'Denied',
    allowedIf: { resourceArn: CENTRAL_RP, policyResourceArn: CENTRAL_VAULT },
  },
  {
    description: 'copy-starter starts a copy of a central RDS recovery point (ARN arn:aws:rds:…:snapshot:awsbackup:…)',
    request: { principalArn: COPY_STARTER, action: 'backup:StartCopyJob', resourceArn: `arn:aws:rds:${REC}:${VAULT}:snapshot:awsbackup:job-0a1b2c3d`, policyResourceArn: CENTRAL_VAULT },
    expected: 'Allowed',
  },
  {
    description: 'copy-starter cannot start a copy of an RDS snapshot of another account',
    request: { principalArn: COPY_STARTER, action: 'backup:StartCopyJob', resourceArn: `arn:aws:rds:${REC}:${SHOP}:snapshot:awsbackup:job-0a1b2c3d`, policyResourceArn: CENTRAL_VAULT },
    expected: 'Denied',
    allowedIf: { resourceArn: `arn:aws:rds:${REC}:${VAULT}:snapshot:awsbackup:job-0a1b2c3d` },
  },
  {
    description: 'copy-starter passes the copy service role to AWS Backup',
    request: { principalArn: COPY_STARTER, action: 'iam:PassRole', resourceArn: COPY_SERVICE, passedToService: BACKUP },
    expected: 'Allowed',
  },
  {
    description: 'copy-starter cannot pass the copy service role to another service',
    request: { principalArn: COPY_STARTER, action: 'iam:PassRole', resourceArn: COPY_SERVICE, passedToService: 'ec2.amazonaws.com' },
    expected: 'Denied',
    allowedIf: { passedToService: BACKUP },
  },
  {
    description: 'copy-starter cannot pass another role, even to AWS Backup',
    request: { principalArn: COPY_STARTER, action: 'iam:PassRole', resourceArn: VAULT_TERRAFORM, passedToService: BACKUP },
    expected: 'Denied',
    allowedIf: { resourceArn: COPY_SERVICE },
  },
  {
    description: 'copy-starter cannot create roles',
    request: { principalArn: COPY_STARTER, action: 'iam:CreateRole', resourceArn: role(VAULT, 'escalate') },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('create-role', 'iam:CreateRole')] },
  },
  {
    description: 'copy-starter cannot decrypt with the central key, even through AWS Backup',
    request: { principalArn: COPY_STARTER, action: 'kms:Decrypt', resourceArn: keyOf(CENTRAL_VAULT), viaService: via('backup', REC) },
    expected: 'Denied',
    allowedIf: { identityPolicies: [allowPolicy('kms', 'kms:Decrypt')] },
  },

  // ---- DR event bus (picked up by the POLICY_SOURCES table, no harness change) -------------------------
  {
    description: "workload event forwarder puts events on the DR event bus",
    request: { principalArn: role(SHOP, 'acme-event-forwarder'), action: 'events:PutEvents', resourceArn: `arn:aws:events:${REC}:${DR}:event-bus/dr-events` },
    expected: 'Allowed',
  },
  {
    description: 'workload admin cannot put events on the DR event bus',
    request: asAdmin(SHOP_ADMIN, 'events:PutEvents', `arn:aws:events:${REC}:${DR}:event-bus/dr-events`),
    expected: 'Denied',
    allowedIf: { principalArn: role(SHOP, 'acme-event-forwarder') },
  },

  // ---- AWS Backup service roles: trust ------------------------------------------------------------------
  { description: 'AWS Backup assumes the copy service role for its own account', request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: COPY_SERVICE, sourceAccount: VAULT }, expected: 'Allowed' },
  {
    description: 'AWS Backup cannot assume the copy service role for another account (confused deputy)',
    request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: COPY_SERVICE, sourceAccount: SHOP },
    expected: 'Denied',
    allowedIf: { sourceAccount: VAULT },
  },
  {
    description: 'AWS Backup cannot assume the copy service role without aws:SourceAccount',
    request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: COPY_SERVICE },
    expected: 'Denied',
    allowedIf: { sourceAccount: VAULT },
  },
  { description: 'AWS Backup assumes the workload backup role for the workload account', request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: SHOP_BACKUP_ROLE, sourceAccount: SHOP }, expected: 'Allowed' },
  {
    description: 'AWS Backup cannot assume the workload backup role for the backup-vault account',
    request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: SHOP_BACKUP_ROLE, sourceAccount: VAULT },
    expected: 'Denied',
    allowedIf: { sourceAccount: SHOP },
  },
  { description: 'AWS Backup assumes the DR restore role for the DR account', request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: DR_RESTORE_ROLE, sourceAccount: DR }, expected: 'Allowed' },
  {
    description: 'AWS Backup cannot assume the DR restore role for an outside account',
    request: { principalArn: BACKUP, action: 'sts:AssumeRole', resourceArn: DR_RESTORE_ROLE, sourceAccount: OUTSIDER },
    expected: 'Denied',
    allowedIf: { sourceAccount: DR },
  },
  {
    description: 'another service (EC2) cannot assume the DR restore role',
    request: { principalArn: 'ec2.amazonaws.com', action: 'sts:AssumeRole', resourceArn: DR_RESTORE_ROLE, sourceAccount: DR },
    expected: 'Denied',
    allowedIf: { principalArn: BACKUP },
  },
  {
    description: 'DR account admin cannot assume the DR restore role',
    request: asAdmin(DR_ADMIN, 'sts:AssumeRole', DR_RESTORE_ROLE, { sourceAccount: DR }),
    expected: 'Denied',
    allowedIf: { principalArn: BACKUP, identityPolicies: [] },
  },
];

/**
 * The access-control expectations of the estate, as data: the IAM simulation suite evaluates them
 * against the synthesized policies, and the "Who can do what to the backups" table in
 * docs/security.md is generated from them (`npm run security-table`). It lives here, not under
 * __tests__, because that script is not a test and must not import from the tests.
 */
import {
  ADMINISTRATOR_ACCESS,
  allowPolicy,
  type Decision,
  type SimulationRequest,
} from './policy-model';

export const ORG = 'o-a1b2c3d4e5';
export const VAULT = '111111111111';
export const DR = '222222222222';
export const SHOP = '333333333333';
export const OUTSIDER = '444455556666';
export const REC = 'ap-northeast-1';
export const SHOP_REGION = 'ap-northeast-2';

export const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
export const vaultArn = (region: string, account: string, name: string) => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
export const recoveryPoint = (region: string, account: string, id = '5f6c1a2b-7d3e-4f80-9a1b-2c3d4e5f6a7b') => `arn:aws:backup:${region}:${account}:recovery-point:${id}`;
export const via = (service: string, region: string) => `${service}.${region}.amazonaws.com`;
/** Placeholder for "the KMS key of this vault", resolved from the model (the vault's `kms_key_arn`). */
export const keyOf = (vault: string) => `key-of:${vault}`;

export const CENTRAL_VAULT = vaultArn(REC, VAULT, 'acme-central');
export const DR_VAULT = vaultArn(REC, DR, 'acme-dr-restore');
export const SHOP_VAULT = vaultArn(SHOP_REGION, SHOP, 'acme-shop-local');
export const CENTRAL_RP = recoveryPoint(REC, VAULT);
export const DR_RP = recoveryPoint(REC, DR);
export const SHOP_RP = recoveryPoint(SHOP_REGION, SHOP);

export const VAULT_ADMIN = role(VAULT, 'admin');
export const VAULT_TERRAFORM = role(VAULT, 'terraform-dr');
export const VAULT_BREAK_GLASS = role(VAULT, 'dr-break-glass');
export const COPY_STARTER = role(VAULT, 'acme-central-copy-starter');
export const COPY_SERVICE = role(VAULT, 'acme-central-copy-service');
export const DR_ADMIN = role(DR, 'admin');
export const DR_BREAK_GLASS = role(DR, 'dr-break-glass');
export const DR_RESTORE_ROLE = role(DR, 'acme-dr-restore');
export const DR_ORCHESTRATOR = role(DR, 'acme-recovery-orchestrator');
export const SHOP_ADMIN = role(SHOP, 'admin');
export const SHOP_BACKUP_ROLE = role(SHOP, 'acme-shop-backup');
export const SHOP_BREAK_GLASS = role(SHOP, 'dr-break-glass');
export const OUTSIDER_ADMIN = role(OUTSIDER, 'admin');

export const ADMIN = [ADMINISTRATOR_ACCESS];
export const BACKUP = 'backup.amazonaws.com';

export interface Row {
  description: string;
  request: SimulationRequest;
  expected: Decision;
  /** Denied rows: the change to the request that makes it Allowed. */
  allowedIf?: Partial<SimulationRequest>;
  /** The synthesized policy does not do what the design says; the row asserts current behaviour. */
  finding?: string;
}

export const asAdmin = (principalArn: string, action: string, resourceArn: string, extra: Partial<SimulationRequest> = {}): SimulationRequest => ({
  principalArn,
  action,
  resourceArn,
  identityPolicies: ADMIN,
  ...extra,
});

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
  {
    description: 'nobody outside the workload account may copy into its local vault',
    request: asAdmin(COPY_SERVICE, 'backup:CopyIntoBackupVault', SHOP_VAULT),
    expected: 'Denied',
    allowedIf: { resourceArn: CENTRAL_VAULT },
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
  {
    description: 'DR account cannot decrypt with the workload key',
    request: asAdmin(DR_RESTORE_ROLE, 'kms:Decrypt', keyOf(SHOP_VAULT)),
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

/** Accounts, regions, roles and resources the access rows name, and the shape of a row. */
import { ADMINISTRATOR_ACCESS, type Decision, type SimulationRequest } from '../policy-model';


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
/** AWS Backup's role for failback's final backups and copies (DR account, `workloads[].failback`). */
export const DR_FAILBACK_BACKUP_ROLE = role(DR, 'acme-dr-failback-backup');
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

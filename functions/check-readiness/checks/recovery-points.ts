/**
 * RecoveryPoints: every protected resource of the workload has a completed recovery point within its
 * RPO in one of the vaults (the DR restore vault, the central vault, the shared air-gapped vault).
 * The vaults are listed once per run, for every workload.
 */
import type { BackupClient } from '@aws-sdk/client-backup';
import { forEachCompletedRecoveryPoint } from '../../vault-listing';
import type { STSClient } from '@aws-sdk/client-sts';
import { messageOf } from '../../aws-call';
import { assumeRole, type AssumedCredentials } from '../../credentials';
import type { ReadinessInput, VaultRef, WorkloadFacts } from '../input';
import { call, fixForError, formatAge, listed, MINUTE, once, ReadinessError, type CheckResult, type ReadinessClients, type Runtime } from '../runtime';

/** The account field of an ARN (`arn:partition:service:region:account:...`); empty for S3 buckets. */
function accountOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

type VaultPlace = 'restore' | 'central' | 'airGapped';

const VAULT_LABEL: Record<VaultPlace, string> = { restore: 'DR restore vault', central: 'central vault', airGapped: 'air-gapped vault' };

interface NewestPoint {
  readonly resourceType: string;
  readonly recoveryPointArn: string;
  readonly created: Date;
}

/** Per account (from the resource ARN), per resource ARN, the newest completed recovery point of a vault. */
interface VaultListing {
  readonly vault: VaultRef;
  readonly byAccount: Map<string, Map<string, NewestPoint>>;
  readonly listed: number;
}

async function listVault(rt: Runtime, client: BackupClient, vault: VaultRef, place: VaultPlace, createdAfter: Date, sharedFrom?: string): Promise<VaultListing> {
  const byAccount = new Map<string, Map<string, NewestPoint>>();
  const operation = `ListRecoveryPointsByBackupVault(${vault.name} in ${vault.accountId})`;
  const listing = { operation, vaultName: vault.name, sharedFrom, createdAfter, maxResults: 1000, maxPages: rt.options.maxPages, tooManyPages: (m: string) => new ReadinessError(m) };
  const { listed, pages } = await forEachCompletedRecoveryPoint(rt, call, client, listing, ({ resourceArn, resourceType, recoveryPointArn, created, sourceBackupVaultArn }) => {
    // S3 bucket ARNs name no account: a copy is then attributed by the vault it was copied from (the
    // workload's local vault, in the workload account). Points without either are not a workload's.
    const account = accountOf(resourceArn) || (sourceBackupVaultArn ? accountOf(sourceBackupVaultArn) : undefined);
    if (!account) return;
    const resources = byAccount.get(account) ?? new Map<string, NewestPoint>();
    byAccount.set(account, resources);
    const current = resources.get(resourceArn);
    if (!current || created.getTime() > current.created.getTime()) resources.set(resourceArn, { resourceType, recoveryPointArn, created });
  });
  rt.logger.info(`Listed the ${VAULT_LABEL[place]}`, { ...rt.context, vault: vault.name, vaultAccountId: vault.accountId, listed, pages });
  return { vault, byAccount, listed };
}

function assumeReader(rt: Runtime, sts: STSClient, roleArn: string): Promise<AssumedCredentials> {
  return assumeRole(rt, call, sts, { roleArn, sessionName: 'readiness-checker', durationSeconds: rt.options.sessionDurationSeconds, noCredentials: (message) => new ReadinessError(message) });
}

/** A vault to look in, listed on first use. */
export interface VaultSource {
  readonly place: VaultPlace;
  readonly vault: VaultRef;
  readonly listing: () => Promise<VaultListing>;
}

/** The vaults of the input, each listed at most once per run, whichever workload asks first. */
export function vaultSources(rt: Runtime, clients: ReadinessClients, input: ReadinessInput, now: Date): VaultSource[] {
  const createdAfter = new Date(now.getTime() - input.recoveryPointLookbackDays * 1440 * MINUTE);
  const vaults: VaultSource[] = [{ place: 'restore', vault: input.restoreVault, listing: once(() => listVault(rt, clients.backup, input.restoreVault, 'restore', createdAfter)) }];
  const { centralVault, airGappedVault } = input;
  if (centralVault) {
    vaults.push({
      place: 'central',
      vault: centralVault,
      listing: once(async () => {
        const credentials = await assumeReader(rt, clients.sts, centralVault.readerRoleArn);
        return listVault(rt, clients.centralBackup(credentials, input.region), centralVault, 'central', createdAfter);
      }),
    });
  }
  if (airGappedVault) {
    // Shared with the DR account through AWS RAM: listed with the function's own client.
    vaults.push({ place: 'airGapped', vault: airGappedVault, listing: once(() => listVault(rt, clients.backup, airGappedVault, 'airGapped', createdAfter, airGappedVault.accountId)) });
  }
  return vaults;
}

export async function checkRecoveryPoints(rt: Runtime, vaults: readonly VaultSource[], input: ReadinessInput, w: WorkloadFacts, now: Date): Promise<CheckResult> {
  const types = new Set<string>(w.resourceTypes);
  const errors: string[] = [];
  let firstError: unknown;
  const perResource = new Map<string, { resourceType: string; newest?: { place: VaultPlace; point: NewestPoint }; perVault: Partial<Record<VaultPlace, string>> }>();
  const searched: string[] = [];
  for (const { place, vault, listing } of vaults) {
    searched.push(`${VAULT_LABEL[place]} ${vault.name}`);
    let result: VaultListing;
    try {
      result = await listing();
    } catch (error) {
      errors.push(`the ${VAULT_LABEL[place]} ${vault.name} could not be listed: ${messageOf(error)}`);
      firstError ??= error;
      continue;
    }
    for (const [resourceArn, point] of result.byAccount.get(w.accountId) ?? []) {
      if (!types.has(point.resourceType)) continue;
      const entry = perResource.get(resourceArn) ?? { resourceType: point.resourceType, perVault: {} };
      entry.perVault[place] = point.created.toISOString();
      if (!entry.newest || point.created.getTime() > entry.newest.point.created.getTime()) entry.newest = { place, point };
      perResource.set(resourceArn, entry);
    }
  }

  const resources = [...perResource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([resourceArn, e]) => {
      const ageMinutes = Math.round((now.getTime() - e.newest!.point.created.getTime()) / MINUTE);
      return {
        resourceArn,
        resourceType: e.resourceType,
        newestRecoveryPointArn: e.newest!.point.recoveryPointArn,
        newestIn: e.newest!.place,
        newestCreated: e.newest!.point.created.toISOString(),
        ageMinutes,
        withinRpo: ageMinutes <= w.rpoMinutes,
        perVault: e.perVault,
      };
    });
  const stale = resources.filter((r) => !r.withinRpo);
  const details = { rpoMinutes: w.rpoMinutes, lookbackDays: input.recoveryPointLookbackDays, vaults: searched, resources, ...(errors.length > 0 ? { errors } : {}) };
  const where = `account ${w.accountId}, region ${input.region}`;
  const jobsFix =
    `Find why backups or copies stopped: failed backup and copy jobs reach the DR bus (and on-call); list them with ` +
    `\`aws backup list-backup-jobs --by-state FAILED\` and \`aws backup list-copy-jobs --by-state FAILED\` in account ${w.accountId}, in the workload region; ` +
    `check that each resource still carries the selection tag, then wait for the next backup and copy (or start one on demand).`;
  const problems: string[] = [];
  if (resources.length === 0 && errors.length === 0) {
    return {
      check: 'RecoveryPoints',
      ready: false,
      reason: `no completed recovery point of the workload (${where}; ${w.resourceTypes.join(', ')}) created in the last ${input.recoveryPointLookbackDays} days in the ${listed(searched, 3)}`,
      fix: jobsFix,
      details,
    };
  }
  if (stale.length > 0) {
    problems.push(
      `${stale.length} of ${resources.length} protected resources have no recovery point within the RPO of ${formatAge(w.rpoMinutes)}: ` +
        listed(stale.map((r) => `${r.resourceArn} (newest ${formatAge(r.ageMinutes)} old, in the ${VAULT_LABEL[r.newestIn]})`), rt.options.maxListedInReason),
    );
  }
  problems.push(...errors);
  if (problems.length > 0) return { check: 'RecoveryPoints', ready: false, reason: problems.join('; '), fix: [...(stale.length > 0 ? [jobsFix] : []), ...(errors.length > 0 ? [fixForError(firstError)] : [])].join(' '), details };
  const oldest = Math.max(...resources.map((r) => r.ageMinutes));
  return {
    check: 'RecoveryPoints',
    ready: true,
    reason: `all ${resources.length} protected resources have a recovery point within the RPO of ${formatAge(w.rpoMinutes)} (the oldest of them is ${formatAge(oldest)} old)`,
    details,
  };
}

/**
 * What failback does in the DR account's model beyond recovery: final backups of the resources
 * production ran on (AWS Backup backup jobs into the DR restore vault, as the failback backup role),
 * copies from the DR restore vault into the workload's local vault (cross-account, cross-Region: the
 * copy arrives in the workload account's model), and the DNS switch back, after which the workload's
 * health alarm in the primary region turns OK (unless the definition reconnects there: then the
 * workload's connect runbook turns it OK, as in recovery). Installed with {@link DrAccount.override}.
 */
import type { DrAccount, Handler, RecoveryPoint, ResourceType } from '../dr-account';
import { ModelError, shortArn } from '../dr-account';
import { addRecoveryPoint, findRecoveryPoint } from '../account/recovery-points';
import { copyJobDescription } from '../account/backup';
import { DNS_SYNC_SECONDS } from '../account/route53';
import { accountOfPrincipal } from '../account/services';
import type { SynthesizedFailback } from './estate';

/** Minutes a final backup takes per type (incremental after recovery's own: minutes for EBS). */
const BACKUP_MINUTES: Partial<Record<ResourceType, number>> = { EBS: 6, EC2: 10, RDS: 15, Aurora: 20, DynamoDB: 8, EFS: 12 };

export interface BackupJob {
  readonly id: string;
  readonly token?: string;
  readonly resourceArn: string;
  readonly resourceType: ResourceType;
  readonly createdAt: number;
  readonly completesAt: number;
  state: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  statusMessage?: string;
  recoveryPointArn?: string;
  completedAt?: number;
}

export interface FailbackCopyJob {
  readonly id: string;
  readonly token?: string;
  readonly source: RecoveryPoint;
  readonly createdAt: number;
  readonly completesAt: number;
  readonly fails: boolean;
  state: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  statusMessage?: string;
  destinationArn?: string;
  completedAt?: number;
}

/** What failback did in the DR account, for the rehearsal's checks. */
export interface FailbackDrState {
  readonly backupJobs: Map<string, BackupJob>;
  readonly copyJobs: Map<string, FailbackCopyJob>;
}

function typeOfArn(arn: string): ResourceType | undefined {
  if (/:volume\/vol-/.test(arn)) return 'EBS';
  if (/:instance\/i-/.test(arn)) return 'EC2';
  if (/^arn:aws[a-z-]*:rds:.*:db:/.test(arn)) return 'RDS';
  if (/^arn:aws[a-z-]*:rds:.*:cluster:/.test(arn)) return 'Aurora';
  if (/:table\//.test(arn)) return 'DynamoDB';
  if (/elasticfilesystem:.*:file-system\//.test(arn)) return 'EFS';
  return undefined;
}

function requireDr(dr: DrAccount, principal: string, what: string): void {
  if (accountOfPrincipal(principal) !== dr.estate.drAccountId) throw new ModelError('backup', 'AccessDeniedException', `${principal} may not access ${what} of account ${dr.estate.drAccountId}`);
}

/** Whether `arn` (a resource of the DR account) exists now; its tags (for the recovery point). */
function drResource(dr: DrAccount, arn: string, type: ResourceType): { exists: boolean; tags: Record<string, string>; az?: string; keyArn?: string } {
  const id = arn.split(/[:/]/).pop() as string;
  const restoredBy = [...dr.restoreJobs.values()].find((j) => j.createdResourceArn === arn);
  const tags = restoredBy?.copyTags ? { ...restoredBy.point.tags } : {};
  switch (type) {
    case 'EBS': {
      const v = dr.volume(id);
      return { exists: !!v && v.state !== 'deleted' && v.state !== 'deleting', tags: { ...tags, ...(v?.tags ?? {}) }, az: v?.az, keyArn: typeof v?.keyArn === 'string' ? v.keyArn : undefined };
    }
    case 'EC2': {
      const i = dr.instance(id);
      return { exists: !!i && i.state !== 'terminated' && i.state !== 'shutting-down', tags: { ...tags, ...(i?.tags ?? {}) }, az: i?.az };
    }
    case 'RDS':
      return { exists: dr.dbInstances.get(id)?.status === 'available', tags };
    case 'Aurora':
      return { exists: dr.dbInstances.get(`cluster:${id}`)?.status === 'available', tags };
    case 'DynamoDB':
      return { exists: dr.tables.get(id)?.status === 'ACTIVE', tags };
    case 'EFS':
      return { exists: dr.fileSystems.get(id)?.lifeCycleState === 'available', tags };
    default:
      return { exists: false, tags };
  }
}

/**
 * Installs failback's handlers on the DR account's model: `backup:startBackupJob`,
 * `backup:describeBackupJob`, failback copies in `backup:startCopyJob` / `describeCopyJob` (recovery's
 * copies from the central vault are left to the handlers they replace), and the DNS switch's effect.
 */
export function connectFailbackToDr(dr: DrAccount, workload: DrAccount, fb: SynthesizedFailback, opts: { failCopies: number; dnsValue?: string }): FailbackDrState {
  const e = dr.estate;
  const clock = dr.clock;
  const backupJobs = new Map<string, BackupJob>();
  const copyJobs = new Map<string, FailbackCopyJob>();
  let copiesToFail = opts.failCopies;

  const startBackupJob: Handler = (input, principal) => {
    requireDr(dr, principal, 'the restore vault');
    if (input.BackupVaultName !== e.restoreVaultName) throw new ModelError('backup', 'ResourceNotFoundException', `Backup vault ${input.BackupVaultName} does not exist in account ${e.drAccountId}`);
    if (input.IamRoleArn !== fb.backupRoleArn) throw new ModelError('backup', 'InvalidParameterValueException', `IamRoleArn ${input.IamRoleArn} is not the failback backup role ${fb.backupRoleArn}`);
    const existing = input.IdempotencyToken ? [...backupJobs.values()].find((j) => j.token === input.IdempotencyToken) : undefined;
    if (existing) return { BackupJobId: existing.id, CreationDate: new Date(existing.createdAt), IsParent: false };
    const arn = String(input.ResourceArn);
    const type = typeOfArn(arn);
    if (!type) throw new ModelError('backup', 'InvalidParameterValueException', `the rehearsal does not model backups of ${arn}`);
    const minutes = dr.jitter(BACKUP_MINUTES[type] ?? 10, 0.2);
    const job: BackupJob = { id: dr.uuid('backup-job'), token: input.IdempotencyToken, resourceArn: arn, resourceType: type, createdAt: clock.now(), completesAt: clock.now() + minutes * 60_000, state: 'CREATED' };
    backupJobs.set(job.id, job);
    dr.note('backup', `final backup ${job.id} of ${type} ${shortArn(arn)} started`);
    clock.after(20_000, () => {
      if (job.state === 'CREATED') job.state = 'RUNNING';
    });
    clock.at(job.completesAt, () => {
      job.completedAt = clock.now();
      const resource = drResource(dr, arn, type);
      if (!resource.exists) {
        // AWS Backup fails a job whose resource is gone (an instance the freeze terminated, say).
        job.state = 'FAILED';
        job.statusMessage = `Resource ${arn} not found or not in a state that can be backed up`;
        dr.note('backup', `final backup ${job.id} FAILED: ${job.statusMessage}`);
        return;
      }
      const point = addRecoveryPoint(dr, 'dr', { resourceArn: arn, resourceType: type }, clock.now(), resource.tags);
      // The metadata describes the DR resource: its zone of the recovery region and its key.
      const metadata = { ...point.restoreMetadata };
      if (type === 'EBS') Object.assign(metadata, { availabilityZone: resource.az ?? `${e.region}a`, kmsKeyId: resource.keyArn ?? e.vaultKeys.restoreVault });
      if (type === 'RDS') Object.assign(metadata, { AvailabilityZone: `${e.region}a`, DBSubnetGroupName: `${e.name}-dr-db`, KmsKeyId: e.vaultKeys.restoreVault });
      dr.recoveryPoints.set(point.arn, { ...point, restoreMetadata: metadata });
      job.recoveryPointArn = point.arn;
      job.state = 'COMPLETED';
      dr.note('backup', `final backup ${job.id} COMPLETED: ${shortArn(point.arn)} in ${e.restoreVaultName}`);
    });
    return { BackupJobId: job.id, CreationDate: new Date(job.createdAt), IsParent: false };
  };

  const describeBackupJob: Handler = (input, principal) => {
    const job = backupJobs.get(input.BackupJobId);
    if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `backup job ${input.BackupJobId} not found`);
    requireDr(dr, principal, `backup job ${job.id}`);
    return {
      AccountId: e.drAccountId,
      BackupJobId: job.id,
      BackupVaultName: e.restoreVaultName,
      BackupVaultArn: `arn:aws:backup:${e.region}:${e.drAccountId}:backup-vault:${e.restoreVaultName}`,
      ResourceArn: job.resourceArn,
      ResourceType: job.resourceType,
      State: job.state,
      ...(job.statusMessage ? { StatusMessage: job.statusMessage } : {}),
      ...(job.recoveryPointArn ? { RecoveryPointArn: job.recoveryPointArn } : {}),
      CreationDate: new Date(job.createdAt),
      ...(job.completedAt ? { CompletionDate: new Date(job.completedAt) } : {}),
      IamRoleArn: fb.backupRoleArn,
    };
  };

  const startCopyJob = (input: any, principal: string, previous: Handler | undefined) => {
    if (input.SourceBackupVaultName !== e.restoreVaultName) return previous?.(input, principal);
    requireDr(dr, principal, 'the restore vault');
    if (input.DestinationBackupVaultArn !== fb.workload.localVaultArn) throw new ModelError('backup', 'AccessDeniedException', `the vault ${input.DestinationBackupVaultArn} does not accept copies from account ${e.drAccountId} (the workload's local vault ${fb.workload.localVaultArn} does)`);
    if (input.IamRoleArn !== fb.backupRoleArn) throw new ModelError('backup', 'InvalidParameterValueException', `IamRoleArn ${input.IamRoleArn} is not the failback backup role ${fb.backupRoleArn}`);
    const source = findRecoveryPoint(dr, input.RecoveryPointArn, 'dr');
    const existing = input.IdempotencyToken ? [...copyJobs.values()].find((j) => j.token === input.IdempotencyToken) : undefined;
    if (existing) return { CopyJobId: existing.id, CreationDate: new Date(existing.createdAt), IsParent: false };
    const fails = copiesToFail > 0;
    if (fails) copiesToFail--;
    const minutes = dr.jitter(dr.timings.copyMinutes, 0.2);
    const job: FailbackCopyJob = { id: dr.uuid('copy'), token: input.IdempotencyToken, source, createdAt: clock.now(), completesAt: clock.now() + (fails ? 0.5 : 1) * minutes * 60_000, fails, state: 'CREATED' };
    copyJobs.set(job.id, job);
    dr.note('copy', `copy job ${job.id} of ${source.resourceType} ${shortArn(source.resourceArn)} to ${fb.workload.localVaultName} (${fb.workload.region}) started`);
    clock.after(30_000, () => {
      if (job.state === 'CREATED') job.state = 'RUNNING';
    });
    clock.at(job.completesAt, () => {
      job.completedAt = clock.now();
      if (job.fails) {
        job.state = 'FAILED';
        job.statusMessage = `Simulated failure: copy of ${source.arn} to ${fb.workload.localVaultArn} could not complete (rehearsal --fail-copy)`;
        dr.note('copy', `copy job ${job.id} FAILED`);
        return;
      }
      // The copy is a recovery point of the workload's local vault, encrypted with its key, with the source's metadata and tags.
      const dest = addRecoveryPoint(workload, 'dr', source, source.creationDate, source.tags);
      workload.recoveryPoints.set(dest.arn, { ...dest, restoreMetadata: { ...source.restoreMetadata } });
      job.destinationArn = dest.arn;
      job.state = 'COMPLETED';
      dr.note('copy', `copy job ${job.id} COMPLETED: ${shortArn(dest.arn)} in ${fb.workload.localVaultName}`);
    });
    return { CopyJobId: job.id, CreationDate: new Date(job.createdAt), IsParent: false };
  };

  const describeCopyJob = (input: any, principal: string, previous: Handler | undefined) => {
    const job = copyJobs.get(input.CopyJobId);
    if (!job) return previous?.(input, principal);
    requireDr(dr, principal, `copy job ${job.id}`);
    return copyJobDescription(job, {
      accountId: e.drAccountId,
      sourceVaultArn: `arn:aws:backup:${e.region}:${e.drAccountId}:backup-vault:${e.restoreVaultName}`,
      destinationVaultArn: fb.workload.localVaultArn,
      roleArn: fb.backupRoleArn,
    });
  };

  // The switch back: once the record points at the primary endpoint and has propagated, traffic reaches
  // the primary region; without a reconnect step nothing else is needed there for the alarm to be OK.
  const changeRecords = (input: any, principal: string, previous: Handler | undefined) => {
    const out = previous?.(input, principal);
    const values = (input.ChangeBatch?.Changes ?? []).flatMap((c: any) => (c.ResourceRecordSet?.ResourceRecords ?? []).map((r: any) => r.Value));
    const alarm = workload.estate.healthAlarmName;
    if (opts.dnsValue && values.includes(opts.dnsValue) && alarm && !fb.reconnects) {
      clock.after((DNS_SYNC_SECONDS + dr.timings.healthOkAfterSeconds) * 1000, () => {
        workload.alarms.set(alarm, 'OK');
        workload.note('health', `alarm ${alarm} OK (traffic back in ${workload.estate.region})`);
      });
    }
    return out;
  };

  dr.override({ 'backup:startBackupJob': startBackupJob, 'backup:describeBackupJob': describeBackupJob, 'backup:startCopyJob': startCopyJob, 'backup:describeCopyJob': describeCopyJob, 'route53:changeResourceRecordSets': changeRecords });
  return { backupJobs, copyJobs };
}

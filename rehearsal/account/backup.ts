/**
 * The AWS Backup API: vaults and recovery points (the central vault, the DR restore vault, the shared
 * air-gapped vault), copy jobs in the backup-vault account, restore jobs in the DR account.
 */
import { RESTORE_MINUTES } from './config';
import { checkRestoreMetadata, runRestore, startCopy } from './backup-jobs';
import { findRecoveryPoint, vaultOf } from './recovery-points';
import { accountOfPrincipal, ModelError } from './services';
import type { AccountState, CopyJob, Handler, RestoreJob } from './state';

/** AWS Backup's API in the model, keyed `backup:<action>`. */
export function backupHandlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};

  // --- Vaults and recovery points
  h['backup:listRecoveryPointsByBackupVault'] = (input, principal) => {
    const { vault } = vaultOf(model, input.BackupVaultName, principal, input.BackupVaultAccountId);
    const before = input.ByCreatedBefore instanceof Date ? input.ByCreatedBefore.getTime() : input.ByCreatedBefore ? Date.parse(input.ByCreatedBefore) : Infinity;
    const all = [...model.recoveryPoints.values()].filter((p) => p.vault === vault && p.creationDate <= before);
    const pageSize = Math.min(Number(input.MaxResults ?? 20), 20);
    const start = Number(input.NextToken ?? 0);
    const page = all.slice(start, start + pageSize);
    return {
      RecoveryPoints: page.map((p) => ({
        RecoveryPointArn: p.arn,
        BackupVaultName: p.vaultName,
        BackupVaultArn: `arn:aws:backup:${e.region}:${p.accountId}:backup-vault:${p.vaultName}`,
        ResourceArn: p.resourceArn,
        ResourceType: p.resourceType,
        CreationDate: new Date(p.creationDate),
        CompletionDate: new Date(p.creationDate + 600_000),
        Status: 'COMPLETED',
        BackupSizeInBytes: p.sizeBytes,
      })),
      ...(start + pageSize < all.length ? { NextToken: String(start + pageSize) } : {}),
    };
  };
  h['backup:listTags'] = (input, principal) => {
    const p = findRecoveryPoint(model, input.ResourceArn);
    // The RAM share of the air-gapped vault lets the DR account read its points' tags.
    if (!(p.vault === 'airGapped' && accountOfPrincipal(principal) === e.drAccountId)) requireAccount('backup', principal, p.accountId, `recovery point ${p.arn}`);
    return { Tags: { ...p.tags } };
  };
  h['backup:getRecoveryPointRestoreMetadata'] = (input, principal) => {
    const { vault, accountId } = vaultOf(model, input.BackupVaultName, principal, input.BackupVaultAccountId);
    const p = findRecoveryPoint(model, input.RecoveryPointArn, vault);
    return { BackupVaultArn: `arn:aws:backup:${e.region}:${accountId}:backup-vault:${p.vaultName}`, RecoveryPointArn: p.arn, ResourceType: p.resourceType, RestoreMetadata: { ...p.restoreMetadata } };
  };

  // --- Copy jobs (in the backup-vault account, as the copy-starter role)
  h['backup:startCopyJob'] = (input, principal) => {
    const { vault } = vaultOf(model, input.SourceBackupVaultName, principal);
    if (vault !== 'central') throw new ModelError('backup', 'InvalidParameterValueException', `copies start from the central vault ${e.centralVaultName}`);
    const drVaultArn = `arn:aws:backup:${e.region}:${e.drAccountId}:backup-vault:${e.restoreVaultName}`;
    if (input.DestinationBackupVaultArn !== drVaultArn) {
      throw new ModelError('backup', 'AccessDeniedException', `the vault ${input.DestinationBackupVaultArn} does not accept copies from account ${e.centralAccountId} (only ${drVaultArn} does)`);
    }
    if (input.IamRoleArn !== e.copyServiceRoleArn) throw new ModelError('backup', 'InvalidParameterValueException', `IamRoleArn ${input.IamRoleArn} is not the copy service role ${e.copyServiceRoleArn}`);
    const source = findRecoveryPoint(model, input.RecoveryPointArn, 'central');
    const existing = input.IdempotencyToken ? [...model.copyJobs.values()].find((j) => j.token === input.IdempotencyToken) : undefined;
    if (existing) return { CopyJobId: existing.id, CreationDate: new Date(existing.createdAt), IsParent: false };
    const minutes = model.jitter(model.timings.copyMinutes, 0.2);
    const job: CopyJob = { id: model.uuid('copy'), token: input.IdempotencyToken, source, createdAt: clock.now(), completesAt: clock.now() + minutes * 60_000, state: 'CREATED' };
    model.copyJobs.set(job.id, job);
    startCopy(model, job);
    return { CopyJobId: job.id, CreationDate: new Date(job.createdAt), IsParent: false };
  };
  h['backup:describeCopyJob'] = (input, principal) => {
    const job = model.copyJobs.get(input.CopyJobId);
    if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `copy job ${input.CopyJobId} not found`);
    requireAccount('backup', principal, e.centralAccountId, `copy job ${job.id}`);
    return copyJobDescription(job, {
      accountId: e.centralAccountId,
      sourceVaultArn: `arn:aws:backup:${e.region}:${e.centralAccountId}:backup-vault:${e.centralVaultName}`,
      destinationVaultArn: `arn:aws:backup:${e.region}:${e.drAccountId}:backup-vault:${e.restoreVaultName}`,
      roleArn: e.copyServiceRoleArn,
    });
  };

  // --- Restore jobs (in the DR account)
  h['backup:startRestoreJob'] = (input, principal) => {
    requireAccount('backup', principal, e.drAccountId, 'the restore vault');
    const existing = input.IdempotencyToken ? [...model.restoreJobs.values()].find((j) => j.token === input.IdempotencyToken) : undefined;
    if (existing) return { RestoreJobId: existing.id };
    // From the DR restore vault, or in place from the air-gapped vault shared with the DR account.
    const point = findRecoveryPoint(model, input.RecoveryPointArn, ['dr', 'airGapped']);
    if (input.IamRoleArn !== e.restoreRoleArn) throw new ModelError('backup', 'InvalidParameterValueException', `IamRoleArn ${input.IamRoleArn} is not the restore role ${e.restoreRoleArn}`);
    if (input.ResourceType !== undefined && input.ResourceType !== point.resourceType) {
      throw new ModelError('backup', 'InvalidParameterValueException', `ResourceType ${input.ResourceType} does not match the recovery point's ${point.resourceType}`);
    }
    const metadata = input.Metadata ?? {};
    if (typeof metadata !== 'object' || Object.values(metadata).some((v) => typeof v !== 'string')) {
      throw new ModelError('backup', 'InvalidParameterValueException', 'Metadata values must be strings');
    }
    checkRestoreMetadata(model, point.resourceType, metadata);
    const base = model.timings.restoreMinutes ?? RESTORE_MINUTES[point.resourceType];
    const minutes = model.jitter(base);
    const fails = model.failingResources.has(point.resourceArn);
    const job: RestoreJob = {
      id: model.uuid('restore'),
      token: input.IdempotencyToken,
      point,
      resourceType: point.resourceType,
      metadata: { ...metadata },
      copyTags: input.CopySourceTagsToRestoredResource === true,
      createdAt: clock.now(),
      completesAt: clock.now() + (fails ? 0.6 : 1) * minutes * 60_000,
      fails,
      status: 'PENDING',
    };
    model.restoreJobs.set(job.id, job);
    runRestore(model, job);
    return { RestoreJobId: job.id };
  };
  h['backup:describeRestoreJob'] = (input, principal) => {
    const job = model.restoreJobs.get(input.RestoreJobId);
    if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `restore job ${input.RestoreJobId} not found`);
    requireAccount('backup', principal, e.drAccountId, `restore job ${job.id}`);
    const done = job.status === 'COMPLETED' || job.status === 'FAILED';
    const total = job.completesAt - job.createdAt;
    return {
      AccountId: e.drAccountId,
      RestoreJobId: job.id,
      RecoveryPointArn: job.point.arn,
      SourceResourceArn: job.point.resourceArn,
      CreationDate: new Date(job.createdAt),
      ...(done ? { CompletionDate: new Date(job.completedAt as number) } : {}),
      Status: job.status,
      ...(job.statusMessage ? { StatusMessage: job.statusMessage } : {}),
      PercentDone: done ? '100.00%' : `${Math.min(99, Math.floor((100 * (clock.now() - job.createdAt)) / total))}.00%`,
      BackupSizeInBytes: job.point.sizeBytes,
      IamRoleArn: job.iamRoleArn ?? e.restoreRoleArn,
      ...(job.restoreTestingPlanArn ? { CreatedBy: { RestoreTestingPlanArn: job.restoreTestingPlanArn } } : {}),
      ...(job.validationStatus ? { ValidationStatus: job.validationStatus, ValidationStatusMessage: job.validationStatusMessage } : {}),
      ExpectedCompletionTimeMinutes: Math.ceil(total / 60_000),
      // AWS Backup reports the created resource once there is one: never for a failed job.
      ...(job.createdResourceArn ? { CreatedResourceArn: job.createdResourceArn } : {}),
      ResourceType: job.resourceType,
    };
  };

  h['backup:getRestoreJobMetadata'] = (input) => {
    const job = model.restoreJobs.get(input.RestoreJobId);
    if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `restore job ${input.RestoreJobId} not found`);
    return { RestoreJobId: job.id, Metadata: { ...job.metadata } };
  };
  h['backup:putRestoreValidationResult'] = (input) => {
    const job = model.restoreJobs.get(input.RestoreJobId);
    if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `restore job ${input.RestoreJobId} not found`);
    if (!job.restoreTestingPlanArn) throw new ModelError('backup', 'InvalidRequestException', `restore job ${job.id} was not started by restore testing`);
    job.validationStatus = String(input.ValidationStatus);
    job.validationStatusMessage = input.ValidationStatusMessage;
    model.note('restore-test', `validation of ${job.id}: ${job.validationStatus}`);
    return {};
  };
  return h;
}

/** Jobs and recovery points are visible to their own account only. */
function requireAccount(service: string, principal: string, accountId: string, what: string): void {
  if (accountOfPrincipal(principal) !== accountId) {
    throw new ModelError(service, 'AccessDeniedException', `${principal} may not access ${what} of account ${accountId}`);
  }
}

/** `DescribeCopyJob`'s answer for a modelled copy job, started in `accountId` between the two vaults with `roleArn`. */
export function copyJobDescription(
  job: CopyJob & { readonly statusMessage?: string },
  where: { readonly accountId: string; readonly sourceVaultArn: string; readonly destinationVaultArn: string; readonly roleArn: string },
): { CopyJob: Record<string, unknown> } {
  return {
    CopyJob: {
      AccountId: where.accountId,
      CopyJobId: job.id,
      SourceBackupVaultArn: where.sourceVaultArn,
      SourceRecoveryPointArn: job.source.arn,
      DestinationBackupVaultArn: where.destinationVaultArn,
      ...(job.destinationArn ? { DestinationRecoveryPointArn: job.destinationArn } : {}),
      ResourceArn: job.source.resourceArn,
      ResourceType: job.source.resourceType,
      CreationDate: new Date(job.createdAt),
      ...(job.completedAt ? { CompletionDate: new Date(job.completedAt) } : {}),
      State: job.state,
      ...(job.statusMessage ? { StatusMessage: job.statusMessage } : {}),
      IamRoleArn: where.roleArn,
    },
  };
}

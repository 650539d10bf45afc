/**
 * AWS Backup's copy and restore jobs on simulated time: what a restore creates in each service, the
 * `Restore Job State Change` events it emits, the metadata StartRestoreJob takes, and restore tests.
 */
import { restoreJobRequests } from '../encryption';
import { checkFsxRestoreMetadata } from '../fsx-model';
import { RESTORE_MINUTES, type ResourceType } from './config';
import { createFsx } from './fsx';
import { authorizeOrCount } from './iam';
import { addRecoveryPoint, findRecoveryPoint } from './recovery-points';
import { ModelError, shortArn, targetKeyOf } from './services';
import type { AccountState, BackupEvent, CopyJob, RestoreJob, Volume } from './state';

/** {@link DrAccount.startRestoreTest}: the restore testing role's requests, then the job. */
export async function startRestoreTestJob(model: AccountState, input: { pointArn: string; planArn: string; roleArn: string; metadata: Record<string, string> }): Promise<RestoreJob> {
  const point = findRecoveryPoint(model, input.pointArn, ['dr', 'airGapped']);
  const e = model.estate;
  const step = `restore-test:${input.planArn.split(':').pop()}`;
  for (const { principal, request } of restoreJobRequests({ type: point.resourceType, region: e.region, account: e.drAccountId, restoreRoleArn: input.roleArn, pointKey: point.keyArn, targetKey: targetKeyOf(point.resourceType, input.metadata) })) {
    await authorizeOrCount(model, step, principal, [{ ...request, onBehalfOf: `restore testing (${point.resourceType})` }]);
  }
  const minutes = model.jitter(model.timings.restoreMinutes ?? RESTORE_MINUTES[point.resourceType]);
  const job: RestoreJob = {
    id: model.uuid('restore'),
    point,
    resourceType: point.resourceType,
    metadata: { ...input.metadata },
    copyTags: false,
    createdAt: model.clock.now(),
    completesAt: model.clock.now() + minutes * 60_000,
    fails: false,
    status: 'PENDING',
    restoreTestingPlanArn: input.planArn,
    iamRoleArn: input.roleArn,
  };
  model.restoreJobs.set(job.id, job);
  runRestore(model, job);
  return job;
}

/** A copy job from the central vault: running, then its copy a recovery point of the DR vault. */
export function startCopy(model: AccountState, job: CopyJob): void {
  model.note('copy', `copy job ${job.id} of ${job.source.resourceType} ${shortArn(job.source.resourceArn)} started`);
  model.clock.after(30_000, () => {
    if (job.state === 'CREATED') job.state = 'RUNNING';
  });
  model.clock.at(job.completesAt, () => {
    const dest = addRecoveryPoint(model, 'dr', job.source, job.source.creationDate, job.source.tags);
    job.state = 'COMPLETED';
    job.destinationArn = dest.arn;
    job.completedAt = model.clock.now();
    model.note('copy', `copy job ${job.id} COMPLETED: ${shortArn(dest.arn)} in ${model.estate.restoreVaultName}`);
  });
}

/** A restore job: created, running (an EBS volume exists while it runs), then COMPLETED with the restored resource or FAILED, each with its event. */
export function runRestore(model: AccountState, job: RestoreJob): void {
  model.note('restore', `restore job ${job.id} of ${job.resourceType} ${shortArn(job.point.resourceArn)} created`);
  // The CREATED event carries `state` instead of `status` (documented shape).
  const created = restoreEvent(model, job, 'CREATED');
  model.emit({ ...created, detail: { restoreJobId: job.id, creationDate: new Date(job.createdAt).toISOString(), resourceType: job.resourceType, state: 'CREATED' } });
  model.clock.after(30_000, () => {
    job.status = 'RUNNING';
    job.startedAt = model.clock.now();
    model.maxConcurrentRestores = Math.max(model.maxConcurrentRestores, liveRestores(model));
    model.emit(restoreEvent(model, job, 'RUNNING'));
    if (job.resourceType === 'EBS' && !job.fails) {
      // The volume exists (creating) while the job runs.
      job.volumeId = createVolume(model, job).id;
    }
  });
  model.clock.at(job.completesAt, () => {
    job.completedAt = model.clock.now();
    if (job.fails) {
      job.status = 'FAILED';
      job.statusMessage = `Simulated failure: restore of ${job.point.arn} could not complete (rehearsal --fail-restores)`;
      model.note('restore', `restore job ${job.id} of ${job.resourceType} ${shortArn(job.point.resourceArn)} FAILED`);
      model.emit(restoreEvent(model, job, 'FAILED'));
      return;
    }
    job.createdResourceArn = createRestoredResource(model, job);
    job.status = 'COMPLETED';
    model.note('restore', `restore job ${job.id} of ${job.resourceType} ${shortArn(job.point.resourceArn)} COMPLETED: ${job.createdResourceArn}`);
    model.emit(restoreEvent(model, job, 'COMPLETED'));
  });
}

function restoreEvent(model: AccountState, job: RestoreJob, status: string): BackupEvent {
  const e = model.estate;
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    version: '0',
    id: model.uuid('event').toLowerCase(),
    'detail-type': 'Restore Job State Change',
    source: 'aws.backup',
    account: e.drAccountId,
    time: new Date(model.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: e.region,
    resources: job.createdResourceArn ? [job.createdResourceArn] : [],
    detail: {
      restoreJobId: job.id,
      backupVaultArn: `arn:aws:backup:${e.region}:${job.point.accountId}:backup-vault:${job.point.vaultName}`,
      recoveryPointArn: job.point.arn,
      sourceResourceArn: job.point.resourceArn,
      backupSizeInBytes: String(job.point.sizeBytes),
      creationDate: iso(job.createdAt),
      iamRoleArn: job.iamRoleArn ?? e.restoreRoleArn,
      percentDone: status === 'COMPLETED' ? 100 : 0,
      ...(job.restoreTestingPlanArn ? { restoreTestingPlanArn: job.restoreTestingPlanArn } : {}),
      resourceType: job.resourceType,
      status,
      ...(job.createdResourceArn ? { createdResourceArn: job.createdResourceArn } : {}),
      ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
      ...(job.completedAt ? { completionDate: iso(job.completedAt) } : {}),
    },
  };
}

function liveRestores(model: AccountState): number {
  return [...model.restoreJobs.values()].filter((j) => j.status === 'PENDING' || j.status === 'RUNNING').length;
}

function createVolume(model: AccountState, job: RestoreJob): Volume {
  const id = `vol-0${model.hexId('vol', 16)}`;
  const volume: Volume = {
    id,
    az: job.metadata.availabilityZone,
    sizeGiB: Number(job.metadata.volumeSize ?? 100),
    snapshotId: /snapshot\/(snap-[0-9a-f]+)$/.exec(job.point.arn)?.[1],
    createTime: model.clock.now(),
    tags: job.copyTags ? { ...job.point.tags } : {},
    restoreJobId: job.id,
    keyArn: targetKeyOf('EBS', job.metadata) ?? job.point.keyArn,
    state: 'creating',
    attachments: [],
  };
  model.volumes.set(id, volume);
  return volume;
}

function createRestoredResource(model: AccountState, job: RestoreJob): string {
  const e = model.estate;
  const m = job.metadata;
  switch (job.resourceType) {
    case 'EBS': {
      const id = job.volumeId ?? createVolume(model, job).id;
      const volume = model.volumes.get(id) as Volume;
      volume.state = 'available';
      return `arn:aws:ec2:${e.region}:${e.drAccountId}:volume/${id}`;
    }
    case 'RDS':
      model.dbInstances.set(m.DBInstanceIdentifier, { id: m.DBInstanceIdentifier, restoreJobId: job.id, engine: m.Engine, status: 'available' });
      return `arn:aws:rds:${e.region}:${e.drAccountId}:db:${m.DBInstanceIdentifier}`;
    case 'Aurora':
      model.dbInstances.set(`cluster:${m.DBClusterIdentifier}`, { id: m.DBClusterIdentifier, restoreJobId: job.id, engine: m.Engine, status: 'available' });
      return `arn:aws:rds:${e.region}:${e.drAccountId}:cluster:${m.DBClusterIdentifier}`;
    case 'DynamoDB':
      model.tables.set(m.targetTableName, { name: m.targetTableName, restoreJobId: job.id, status: 'ACTIVE' });
      return `arn:aws:dynamodb:${e.region}:${e.drAccountId}:table/${m.targetTableName}`;
    case 'EFS': {
      const id = `fs-0${model.hexId('fs', 16)}`;
      model.fileSystems.set(id, { id, restoreJobId: job.id, lifeCycleState: 'available', mountTargets: [] });
      return `arn:aws:elasticfilesystem:${e.region}:${e.drAccountId}:file-system/${id}`;
    }
    case 'S3':
      return `arn:aws:s3:::${m.DestinationBucketName}`;
    case 'FSx':
      return createFsx(model, job);
    case 'EC2': {
      const id = `i-0${model.hexId('i', 16)}`;
      const subnet = e.subnets.find((sn) => sn.id === m.SubnetId);
      // AWS Backup tags what it restores with the source resource (its restore role may CreateTags
      // aws:backup:source-resource on instances: AWSBackupServiceRolePolicyForRestores).
      const tags = { ...(job.copyTags ? job.point.tags : {}), 'aws:backup:source-resource': job.point.resourceArn.split('/').pop() as string };
      model.instances.set(id, { id, az: subnet?.availabilityZone ?? 'unknown', subnetId: m.SubnetId, group: '', tags, launchTime: model.clock.now(), state: 'running', ssmOnline: false, ssmRegistered: false, devices: new Map() });
      return `arn:aws:ec2:${e.region}:${e.drAccountId}:instance/${id}`;
    }
  }
}

/** Validates StartRestoreJob metadata as AWS Backup and the restored service would. */
export function checkRestoreMetadata(model: AccountState, type: ResourceType, m: Record<string, string>): void {
  const invalid = (message: string) => new ModelError('backup', 'InvalidParameterValueException', message);
  const e = model.estate;
  const zones = new Set(e.subnets.map((s) => s.availabilityZone));
  switch (type) {
    case 'EBS':
      if (!m.availabilityZone) throw invalid('EBS restore metadata needs availabilityZone');
      if (!zones.has(m.availabilityZone)) throw invalid(`availabilityZone ${m.availabilityZone} is not a zone of the landing zone (${[...zones].join(', ')})`);
      break;
    case 'RDS':
      if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(m.DBInstanceIdentifier ?? '') || m.DBInstanceIdentifier.length > 63) throw invalid(`DBInstanceIdentifier ${JSON.stringify(m.DBInstanceIdentifier)} is not a valid identifier`);
      if (model.dbInstances.has(m.DBInstanceIdentifier)) throw invalid(`DB instance ${m.DBInstanceIdentifier} already exists`);
      if (m.AvailabilityZone && !zones.has(m.AvailabilityZone)) throw invalid(`AvailabilityZone ${m.AvailabilityZone} is not in ${model.estate.region}`);
      if (!m.DBSubnetGroupName) {
        model.deviation(
          'rds-subnet-group',
          `RDS restore of ${m.DBInstanceIdentifier} has no DBSubnetGroupName: RDS uses the default VPC's default subnet group, while VpcSecurityGroupIds ${m.VpcSecurityGroupIds ?? '(none)'} belong to the landing zone VPC (AWS rejects this: "The DB instance and EC2 security group are in different VPCs")`,
        );
      }
      break;
    case 'DynamoDB':
      if (!m.targetTableName) throw invalid('DynamoDB restore metadata needs targetTableName');
      if (model.tables.has(m.targetTableName)) throw invalid(`table ${m.targetTableName} already exists`);
      break;
    case 'EFS':
      if (m.newFileSystem !== 'true') throw invalid('EFS restore into the DR account needs newFileSystem=true (the original file system is in another account)');
      if (!m.CreationToken) throw invalid('EFS restore to a new file system needs a CreationToken');
      break;
    case 'S3':
      if (!m.DestinationBucketName) throw invalid('S3 restore metadata needs DestinationBucketName');
      break;
    case 'Aurora':
      if (!m.DBClusterIdentifier) throw invalid('Aurora restore metadata needs DBClusterIdentifier');
      break;
    case 'FSx':
      checkFsxRestoreMetadata(e, m, invalid, (kind, text) => model.deviation(kind, text));
      break;
    case 'EC2': {
      // What RunInstances, launched by AWS Backup, would reject.
      if (!e.subnets.some((sn) => sn.id === m.SubnetId)) throw invalid(`EC2 SubnetId ${m.SubnetId ?? '(none)'} is not a subnet of the landing zone`);
      const groups = m.SecurityGroupIds ? (JSON.parse(m.SecurityGroupIds) as string[]) : [];
      if (groups.some((g) => !e.securityGroupIds.includes(g))) throw invalid(`EC2 SecurityGroupIds ${m.SecurityGroupIds} are not security groups of the landing zone`);
      if (m.IamInstanceProfileName && m.IamInstanceProfileName !== e.instanceProfile?.name) throw invalid(`Invalid IAM Instance Profile name ${m.IamInstanceProfileName}: the DR account has no such instance profile`);
      break;
    }
  }
}

/**
 * Recovery points of the vaults: how the estate's points are made (ARNs per type, keys per vault, the
 * restore metadata AWS Backup returns), and how a principal finds a vault and a point in it.
 */
import { AWS_OWNED_KEY } from '../encryption';
import { fsxRestoreMetadata } from '../fsx-model';
import type { ProtectedResource, ResourceType } from './config';
import { accountOfPrincipal, ModelError } from './services';
import type { AccountState, ModelVault, RecoveryPoint } from './state';

/** Adds a recovery point of `resource` to `vault`: its ARN, key and restore metadata as AWS Backup makes them there. */
export function addRecoveryPoint(model: AccountState, vault: ModelVault, resource: Pick<ProtectedResource, 'resourceArn' | 'resourceType' | 'fsxType'>, creationDate: number, tags: Record<string, string>): RecoveryPoint {
  const e = model.estate;
  if (vault === 'airGapped' && !e.airGappedVaultName) throw new Error('the estate has no air-gapped vault (centralVault.kind locked)');
  const accountId = vault === 'dr' ? e.drAccountId : e.centralAccountId;
  // A logically air-gapped vault keeps every type as an AWS Backup recovery point of its owner.
  const arn = vault === 'airGapped' ? `arn:aws:backup:${e.region}:${accountId}:recovery-point:${model.uuid('rp')}` : recoveryPointArn(model, resource.resourceType, accountId);
  const point: RecoveryPoint = {
    arn,
    vault,
    accountId,
    vaultName: vault === 'central' ? e.centralVaultName : vault === 'airGapped' ? (e.airGappedVaultName as string) : e.restoreVaultName,
    resourceArn: resource.resourceArn,
    resourceType: resource.resourceType,
    creationDate,
    tags: { ...tags },
    restoreMetadata: restoreMetadataOf(model, resource),
    sizeBytes: 8 * 1024 ** 3,
    // The central and DR vaults hold cross-account copies, re-encrypted with the vault's key; the
    // air-gapped vault encrypts with an AWS owned key (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
    keyArn: vault === 'airGapped' ? AWS_OWNED_KEY : vault === 'central' ? (e.vaultKeys.central ?? AWS_OWNED_KEY) : e.vaultKeys.restoreVault,
  };
  model.recoveryPoints.set(arn, point);
  return point;
}

function recoveryPointArn(model: AccountState, type: ResourceType, accountId: string): string {
  const r = model.estate.region;
  if (type === 'FSx') return `arn:aws:fsx:${r}:${accountId}:backup/backup-0${model.hexId('fsx-backup', 16)}`;
  if (type === 'EC2') return `arn:aws:ec2:${r}::image/ami-0${model.hexId('ami', 16)}`;
  if (type === 'EBS') return `arn:aws:ec2:${r}::snapshot/snap-${model.hexId('snap', 17)}`;
  if (type === 'RDS') return `arn:aws:rds:${r}:${accountId}:snapshot:awsbackup:job-${model.uuid('rds').toLowerCase()}`;
  if (type === 'Aurora') return `arn:aws:rds:${r}:${accountId}:cluster-snapshot:awsbackup:job-${model.uuid('aurora').toLowerCase()}`;
  return `arn:aws:backup:${r}:${accountId}:recovery-point:${model.uuid('rp')}`;
}

/**
 * `GetRecoveryPointRestoreMetadata` as AWS Backup returns it: the source resource's settings, keys
 * included, which name the workload account's customer managed keys (a restore in the DR account
 * cannot use them: prepare-restore must drop them).
 */
function restoreMetadataOf(model: AccountState, resource: Pick<ProtectedResource, 'resourceArn' | 'resourceType' | 'fsxType'>): Record<string, string> {
  const wr = model.estate.workloadRegion;
  const name = resource.resourceArn.split(/[:/]/).pop() as string;
  const sourceKey = `arn:aws:kms:${wr}:${model.estate.workloadAccountId}:key/${model.uuid('source-key').toLowerCase()}`;
  switch (resource.resourceType) {
    case 'EBS':
      return { availabilityZone: `${wr}${'acb'[[...resource.resourceArn].reduce((n, c) => n + c.charCodeAt(0), 0) % 3]}`, encrypted: 'true', kmsKeyId: sourceKey, volumeSize: '100', volumeType: 'gp3', iops: '3000', throughput: '125' };
    case 'RDS':
      return {
        DBInstanceIdentifier: name,
        DBInstanceClass: 'db.r6g.large',
        Engine: 'postgres',
        MultiAZ: 'false',
        AvailabilityZone: `${wr}a`,
        DBSubnetGroupName: `${model.estate.workload}-db`,
        VpcSecurityGroupIds: '["sg-0a1b2c3d4e5f60718"]',
        Port: '5432',
        StorageType: 'gp3',
        DeletionProtection: 'false',
        KmsKeyId: sourceKey,
      };
    case 'Aurora':
      return { DBClusterIdentifier: name, Engine: 'aurora-postgresql', AvailabilityZones: `["${wr}a","${wr}c"]`, DBSubnetGroupName: `${model.estate.workload}-db`, Port: '5432', KmsKeyId: sourceKey };
    case 'DynamoDB':
      return { targetTableName: name, encryptionType: 'KMS', kmsMasterKeyArn: sourceKey };
    case 'EFS':
      return { 'file-system-id': name, Encrypted: 'true', KmsKeyId: sourceKey, PerformanceMode: 'generalPurpose', newFileSystem: 'false' };
    case 'S3':
      return { DestinationBucketName: name, NewBucket: 'false', Encrypted: 'true' };
    case 'FSx':
      return fsxRestoreMetadata(resource, sourceKey);
    case 'EC2':
      return { InstanceType: 'm7g.large', SubnetId: 'subnet-0aaaaaaaaaaaaaaa1', SecurityGroupIds: '["sg-0aaaaaaaaaaaaaaa1"]', IamInstanceProfileName: `${model.estate.workload}-app`, RequireIMDSv2: 'true' };
  }
}

/** The vault `name` as `principal` sees it; `vaultAccountId` (`BackupVaultAccountId`) names the owner of a vault shared with it. */
export function vaultOf(model: AccountState, name: string, principal: string, vaultAccountId?: string): { vault: ModelVault; accountId: string } {
  const e = model.estate;
  const account = accountOfPrincipal(principal);
  const owner = vaultAccountId ?? account;
  if (name === e.restoreVaultName && account === e.drAccountId && owner === e.drAccountId) return { vault: 'dr', accountId: e.drAccountId };
  if (name === e.centralVaultName && account === e.centralAccountId && owner === e.centralAccountId) return { vault: 'central', accountId: e.centralAccountId };
  // Shared with the DR account through AWS RAM: visible to it only when the request names the owner.
  if (e.airGappedVaultName && name === e.airGappedVaultName && owner === e.centralAccountId && (account === e.centralAccountId || account === e.drAccountId)) {
    return { vault: 'airGapped', accountId: e.centralAccountId };
  }
  throw new ModelError('backup', 'ResourceNotFoundException', `Backup vault ${name} does not exist in account ${account}`);
}

/** The recovery point `arn`, in one of `vault` when given. */
export function findRecoveryPoint(model: AccountState, arn: unknown, vault?: ModelVault | readonly ModelVault[]): RecoveryPoint {
  const p = typeof arn === 'string' ? model.recoveryPoints.get(arn) : undefined;
  if (!p || (vault && ![vault].flat().includes(p.vault))) throw new ModelError('backup', 'ResourceNotFoundException', `recovery point ${String(arn)} not found${vault ? ` in the ${vault} vault` : ''}`);
  return p;
}

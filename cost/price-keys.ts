/**
 * The prices the cost model uses, one key per AWS usage type it multiplies. This module imports
 * nothing, so that `config/schema.ts` can validate the optional `prices` override against the same
 * list.
 *
 * Resource types are the configuration's (`backup.resourceTypes`): EBS, EC2, RDS, Aurora, DynamoDB,
 * S3, EFS, FSx.
 */

export const PRICED_RESOURCE_TYPES = ['EBS', 'EC2', 'RDS', 'Aurora', 'DynamoDB', 'S3', 'EFS', 'FSx'] as const;
export type PricedResourceType = (typeof PRICED_RESOURCE_TYPES)[number];

/**
 * Types whose recovery points AWS Backup can move to cold storage (AWS Backup pricing page, footnote
 * "Cold storage is currently only supported for backups of Amazon EBS, Amazon EFS and Amazon DynamoDB";
 * DynamoDB only with AWS Backup advanced features; EBS cold storage is the EBS Snapshots archive tier).
 * A lifecycle on any other type leaves its recovery points warm.
 */
export const COLD_STORAGE_TYPES = ['EBS', 'EFS', 'DynamoDB'] as const;

/**
 * Types AWS Backup charges restores for, per GB restored (AWS Backup pricing page, "Restore pricing":
 * EBS, EC2, RDS, Aurora and FSx restores are free; EFS, DynamoDB and S3 are charged).
 */
export const RESTORE_CHARGED_TYPES = ['EFS', 'DynamoDB', 'S3'] as const;

type WarmKey = `backup.warm.${PricedResourceType}`;
type AirGappedKey = `backup.airGapped.${PricedResourceType}`;
type ColdKey = `backup.cold.${(typeof COLD_STORAGE_TYPES)[number]}`;
type RestoreKey = `restore.${(typeof RESTORE_CHARGED_TYPES)[number]}`;

export const PRICE_KEYS = [
  ...PRICED_RESOURCE_TYPES.map((t) => `backup.warm.${t}` as WarmKey),
  ...COLD_STORAGE_TYPES.map((t) => `backup.cold.${t}` as ColdKey),
  ...PRICED_RESOURCE_TYPES.map((t) => `backup.airGapped.${t}` as AirGappedKey),
  ...RESTORE_CHARGED_TYPES.map((t) => `restore.${t}` as RestoreKey),
  'restoreTesting.job',
  'transfer.crossRegion',
  'kms.key',
  'stepFunctions.transition',
  'lambda.request',
  'lambda.gbSecond.arm64',
  'lambda.gbSecond.x86_64',
  'logs.ingestion',
  'logs.storage',
  'logs.vendedIngestion',
  'vpcEndpoint.interfaceHour',
  'vpcEndpoint.dataProcessed',
  'eventBridge.customEvent',
  'scheduler.invocation',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

/** Unit of each price, as the lines print it. */
export function priceUnit(key: PriceKey): string {
  if (key.startsWith('backup.')) return 'GB-month';
  if (key.startsWith('restore.') || key === 'transfer.crossRegion' || key === 'logs.ingestion' || key === 'logs.vendedIngestion' || key === 'vpcEndpoint.dataProcessed') return 'GB';
  if (key === 'vpcEndpoint.interfaceHour') return 'endpoint-AZ-hour';
  if (key === 'logs.storage') return 'GB-month';
  if (key === 'kms.key') return 'key-month';
  if (key === 'restoreTesting.job') return 'restore test job';
  if (key === 'stepFunctions.transition') return 'state transition';
  if (key.startsWith('lambda.gbSecond')) return 'GB-second';
  if (key === 'lambda.request') return 'request';
  if (key === 'eventBridge.customEvent') return 'event';
  return 'invocation';
}

/**
 * The AWS usage type (without its region prefix, e.g. `APN2-`) a key stands for, for messages and for
 * reading the AWS Price List API (cost/price-list.ts). Storage of EBS/EC2, RDS and Aurora recovery
 * points in a standard vault is billed by those services (AWS Backup Developer Guide, "Metering, costs,
 * and billing": types without full AWS Backup management are billed by their service).
 */
export function awsUsageType(key: PriceKey): string {
  const [group, a, b] = key.split('.');
  if (group === 'backup' && a === 'warm') {
    if (b === 'EBS' || b === 'EC2') return 'EBS:SnapshotUsage';
    if (b === 'RDS') return 'RDS:ChargedBackupUsage';
    if (b === 'Aurora') return 'Aurora:BackupUsage';
    return `WarmStorage-ByteHrs-${b}`;
  }
  if (group === 'backup' && a === 'cold') return b === 'EBS' ? 'EBS:SnapshotArchiveStorage' : `ColdStorage-ByteHrs-${b}`;
  if (group === 'backup' && a === 'airGapped') return `WarmStorage-ByteHrs-${b === 'EC2' ? 'EBS' : b}-LAGV`;
  if (group === 'restore') return `Restore-WarmBytes-${a}`;
  const fixed: Record<string, string> = {
    'restoreTesting.job': 'RestoreTesting-Jobs',
    'transfer.crossRegion': '<destination>-CrossRegion-WarmBytes-<type>',
    'kms.key': 'KMS-Keys',
    'stepFunctions.transition': 'StateTransition',
    'lambda.request': 'Request (AWSLambda)',
    'lambda.gbSecond.arm64': 'Lambda-GB-Second-ARM',
    'lambda.gbSecond.x86_64': 'Lambda-GB-Second',
    'logs.ingestion': 'DataProcessing-Bytes (AmazonCloudWatch)',
    'logs.storage': 'TimedStorage-ByteHrs (AmazonCloudWatch)',
    'logs.vendedIngestion': 'VendedLog-Bytes (AmazonCloudWatch)',
    'vpcEndpoint.interfaceHour': 'VpcEndpoint-Hours (AmazonVPC)',
    'vpcEndpoint.dataProcessed': 'VpcEndpoint-Bytes (AmazonVPC)',
    'eventBridge.customEvent': 'Event-64K-Chunks (AWSEvents)',
    'scheduler.invocation': 'Invocations (AmazonEventBridgeScheduler)',
  };
  return fixed[key];
}

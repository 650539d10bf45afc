/**
 * What every service of the DR account model shares: AWS errors as the SDK and Step Functions name
 * them, each service's IAM prefix and throttling code, and helpers on ARNs, tags, keys and API outputs.
 */
import type { KeyRef } from '../encryption';
import type { ResourceType } from './config';

// ---------------------------------------------------------------------------------------------
// Errors, services

/** An AWS error: `name` is the SDK's error code (`RequestLimitExceeded`, `VolumeInUse`, ...). */
export class ModelError extends Error {
  constructor(
    readonly service: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Model service → IAM prefix. */
export const IAM_PREFIX: Record<string, string> = {
  backup: 'backup',
  ec2: 'ec2',
  autoscaling: 'autoscaling',
  ssm: 'ssm',
  sts: 'sts',
  rds: 'rds',
  dynamodb: 'dynamodb',
  efs: 'elasticfilesystem',
  cloudwatch: 'cloudwatch',
  sns: 'sns',
  route53: 'route53',
  lambda: 'lambda',
  resourcegroupstaggingapi: 'tag',
};

/** The code each service throttles with (as the AWS SDK for JavaScript v3 names it). */
export const THROTTLING_CODE: Record<string, string> = {
  backup: 'ThrottlingException',
  ec2: 'RequestLimitExceeded',
  autoscaling: 'Throttling',
  ssm: 'ThrottlingException',
  sts: 'Throttling',
  rds: 'Throttling',
  dynamodb: 'ThrottlingException',
  efs: 'ThrottlingException',
  cloudwatch: 'Throttling',
  sns: 'ThrottledException',
  route53: 'Throttling',
  lambda: 'TooManyRequestsException',
  fsx: 'ThrottlingException',
  states: 'ThrottlingException',
  s3: 'SlowDown',
  resourcegroupstaggingapi: 'ThrottledException',
};

const IAM_ACTION_EXCEPTIONS: Record<string, string> = { 'lambda:invoke': 'lambda:InvokeFunction' };

export function iamActionOf(service: string, action: string): string {
  return IAM_ACTION_EXCEPTIONS[`${service}:${action}`] ?? `${IAM_PREFIX[service] ?? service}:${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

/** An HTTP Task failure, named as Step Functions names it (`States.Http.StatusCode.404`, `States.Runtime`, `Events.ConnectionResource.AccessDenied`). */
export class HttpTaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

// ---------------------------------------------------------------------------------------------
// ARNs, tags, outputs

const ARN_ACCOUNT = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/;
const STS_ASSUMED = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//;

export function accountOfPrincipal(principal: string): string | undefined {
  return ARN_ACCOUNT.exec(principal)?.[1] ?? STS_ASSUMED.exec(principal)?.[1];
}

export function roleNameOf(principal: string): string | undefined {
  return /:role\/([^/]+)$/.exec(principal)?.[1];
}

export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

/**
 * A copy of an API output (no aliasing of the model's state). Not structuredClone: under Jest that
 * returns Dates of another realm, which fail the functions' `instanceof Date` checks.
 */
export function deepCopy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  return value;
}

export function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Restore metadata keys naming the key a restored resource is encrypted with, per type. */
const TARGET_KEY_METADATA: Record<ResourceType, readonly string[]> = {
  FSx: ['KmsKeyId'],
  EC2: [],
  EBS: ['kmsKeyId'],
  RDS: ['KmsKeyId'],
  Aurora: ['KmsKeyId'],
  EFS: ['KmsKeyId'],
  DynamoDB: ['kmsMasterKeyArn'],
  S3: ['KMSKey'],
};

/** The key a restore's metadata names for the new resource (AWS: else the recovery point's key). */
export function targetKeyOf(type: ResourceType, metadata: Record<string, string>): KeyRef | undefined {
  for (const k of TARGET_KEY_METADATA[type]) if (metadata[k]) return metadata[k];
  return undefined;
}

/** `vol-0abc…` / `table/orders` / `db:shop-db-1`: the last part of an ARN. */
export function shortArn(arn: string): string {
  return arn.replace(/^arn:[^:]+:[^:]+:[^:]*:[^:]*:/, '');
}

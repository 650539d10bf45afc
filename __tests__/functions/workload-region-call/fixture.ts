/** What the workload-region-call tests share: the shop workload's target, assumed credentials, and client factories that record how they were used. */
import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { EFSClient } from '@aws-sdk/client-efs';
import { FSxClient } from '@aws-sdk/client-fsx';
import type { AssumedCredentials, WorkloadClientFactories } from '../../../functions/workload-region-call/logic';

export const SHOP_ROLE = 'arn:aws:iam::333333333333:role/acme-shop-failback';
export const SHOP_REGION = 'ap-northeast-2';
export const CREDENTIALS = { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date('2026-11-20T10:15:00Z') };

/** `WORKLOAD_TARGETS` of the function: shop (with `shop`'s extra settings) and another workload, blog. */
export function targetsJson(shop: Record<string, unknown> = {}): string {
  return JSON.stringify([
    { workload: 'shop', roleArn: SHOP_ROLE, region: SHOP_REGION, ...shop },
    { workload: 'blog', roleArn: 'arn:aws:iam::444444444444:role/acme-blog-failback', region: 'ap-northeast-3' },
  ]);
}

/** Client factories recording which service, credentials and region each client was built with. */
export function recordingClients(): { built: { service: string; credentials: AssumedCredentials; region: string }[]; clients: WorkloadClientFactories } {
  const built: { service: string; credentials: AssumedCredentials; region: string }[] = [];
  const clients: WorkloadClientFactories = {
    backup: (credentials, region) => (built.push({ service: 'backup', credentials, region }), new BackupClient({ region, credentials })),
    ec2: (credentials, region) => (built.push({ service: 'ec2', credentials, region }), new EC2Client({ region, credentials })),
    cloudwatch: (credentials, region) => (built.push({ service: 'cloudwatch', credentials, region }), new CloudWatchClient({ region, credentials })),
    ssm: (credentials, region) => (built.push({ service: 'ssm', credentials, region }), new SSMClient({ region, credentials })),
    efs: (credentials, region) => (built.push({ service: 'efs', credentials, region }), new EFSClient({ region, credentials })),
    fsx: (credentials, region) => (built.push({ service: 'fsx', credentials, region }), new FSxClient({ region, credentials })),
  };
  return { built, clients };
}

/** The function's input for `operation` on the shop workload, with `extra` fields over it. */
export function callOf(operation: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { operation, workload: 'shop', roleArn: SHOP_ROLE, region: SHOP_REGION, executionName: 'failback-shop-1', parameters, ...extra };
}

/** The error `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** The function's dependencies with recording client factories and a silent logger. */
export function quietWorld(targets = targetsJson()) {
  const { built, clients } = recordingClients();
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  return { built, deps: { sts: new STSClient({ region: 'ap-northeast-1' }), clients, targetsJson: targets, logger } };
}

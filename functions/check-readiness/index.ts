import { BackupClient } from '@aws-sdk/client-backup';
import { STSClient } from '@aws-sdk/client-sts';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { checkReadiness, type CentralBackupClientFactory, type ReadinessResult } from './logic';

// Created once per execution environment. The SDK's own retries come on top of the logic's
// throttling backoff, which does not rely on them.
const region = process.env.AWS_REGION;
const sdk = { region, maxAttempts: 3, retryMode: 'standard' } as const;
const clients = {
  backup: new BackupClient(sdk),
  sts: new STSClient(sdk),
  ssm: new SSMClient(sdk),
  ec2: new EC2Client(sdk),
  autoscaling: new AutoScalingClient(sdk),
  sfn: new SFNClient(sdk),
  cloudwatch: new CloudWatchClient(sdk),
  s3: new S3Client(sdk),
};
const logger = new Logger({ serviceName: 'check-readiness' });

/** The central vault's client: the reader role's temporary credentials, in the recovery region. */
const centralBackup: CentralBackupClientFactory = (credentials, vaultRegion) => new BackupClient({ region: vaultRegion, credentials, maxAttempts: 3, retryMode: 'standard' });

/**
 * Invoked by its EventBridge Scheduler schedule with the estate's facts as input (see input.ts). A
 * workload that is not ready is a result (report, metrics, alarm), not an error; an invalid input, or
 * metrics or a report that could not be published, is logged and rethrown, so that the invocation is
 * retried and then lands in the dead-letter queue, and the function's error alarm pages on-call.
 */
export const handler = async (event: unknown, context?: Context): Promise<ReadinessResult> => {
  if (context) logger.addContext(context);
  return checkReadiness(event, { ...clients, centralBackup, logger }, new Date());
};

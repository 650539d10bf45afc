import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { validateRestore, type ValidateOutcome } from './logic';

// Created once per execution environment. The SDK's own retries come on top of the logic's
// throttling backoff, which does not rely on them.
const region = process.env.AWS_REGION;
const sdk = { region, maxAttempts: 3, retryMode: 'standard' } as const;
const clients = {
  backup: new BackupClient(sdk),
  ec2: new EC2Client(sdk),
  rds: new RDSClient(sdk),
  dynamodb: new DynamoDBClient(sdk),
  s3: new S3Client(sdk),
  efs: new EFSClient(sdk),
  sns: new SNSClient(sdk),
};
const logger = new Logger({ serviceName: 'validate-restore' });

/**
 * EventBridge target for AWS Backup "Restore Job State Change" COMPLETED events of restore testing
 * in the DR account. Environment: `TOPIC_ARN` (the on-call topic; a FAILED validation is published
 * there, besides being reported to AWS Backup). Errors are logged by the logic and rethrown, so that
 * the event is retried and then reaches the function's dead-letter queue.
 */
export const handler = async (event: unknown, context?: Context): Promise<ValidateOutcome> => {
  if (context) logger.addContext(context);
  return validateRestore(event, { ...clients, logger, topicArn: process.env.TOPIC_ARN || undefined });
};

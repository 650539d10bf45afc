import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { lambdaHandler, SDK_CLIENT_CONFIG } from '../lambda-handler';
import { validateRestore } from './logic';

const clients = {
  backup: new BackupClient(SDK_CLIENT_CONFIG),
  ec2: new EC2Client(SDK_CLIENT_CONFIG),
  rds: new RDSClient(SDK_CLIENT_CONFIG),
  dynamodb: new DynamoDBClient(SDK_CLIENT_CONFIG),
  s3: new S3Client(SDK_CLIENT_CONFIG),
  efs: new EFSClient(SDK_CLIENT_CONFIG),
  sns: new SNSClient(SDK_CLIENT_CONFIG),
};

/**
 * EventBridge target for AWS Backup "Restore Job State Change" COMPLETED events of restore testing
 * in the DR account. Environment: `TOPIC_ARN` (the on-call topic; a FAILED validation is published
 * there, besides being reported to AWS Backup). Errors are logged by the logic and rethrown, so that
 * the event is retried and then reaches the function's dead-letter queue.
 */
export const handler = lambdaHandler('validate-restore', (event, logger) => validateRestore(event, { ...clients, logger, topicArn: process.env.TOPIC_ARN || undefined }));

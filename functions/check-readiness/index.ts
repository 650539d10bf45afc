import { BackupClient } from '@aws-sdk/client-backup';
import { STSClient } from '@aws-sdk/client-sts';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { lambdaHandler, SDK_CLIENT_CONFIG, SDK_RETRIES } from '../lambda-handler';
import { checkReadiness, type CentralBackupClientFactory } from './logic';

const clients = {
  backup: new BackupClient(SDK_CLIENT_CONFIG),
  sts: new STSClient(SDK_CLIENT_CONFIG),
  ssm: new SSMClient(SDK_CLIENT_CONFIG),
  ec2: new EC2Client(SDK_CLIENT_CONFIG),
  autoscaling: new AutoScalingClient(SDK_CLIENT_CONFIG),
  sfn: new SFNClient(SDK_CLIENT_CONFIG),
  cloudwatch: new CloudWatchClient(SDK_CLIENT_CONFIG),
  s3: new S3Client(SDK_CLIENT_CONFIG),
};

/** The central vault's client: the reader role's temporary credentials, in the recovery region. */
const centralBackup: CentralBackupClientFactory = (credentials, vaultRegion) => new BackupClient({ region: vaultRegion, credentials, ...SDK_RETRIES });

/**
 * Invoked by its EventBridge Scheduler schedule with the estate's facts as input (see input.ts). A
 * workload that is not ready is a result (report, metrics, alarm), not an error; an invalid input, or
 * metrics or a report that could not be published, is logged and rethrown, so that the invocation is
 * retried and then lands in the dead-letter queue, and the function's error alarm pages on-call.
 */
export const handler = lambdaHandler('check-readiness', (event, logger) => checkReadiness(event, { ...clients, centralBackup, logger }, new Date()));

import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { STSClient } from '@aws-sdk/client-sts';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EFSClient } from '@aws-sdk/client-efs';
import { FSxClient } from '@aws-sdk/client-fsx';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { callInWorkloadRegion, type WorkloadClientFactories } from './logic';

// STS of this function's own region; the workload's clients are built per call with the assumed
// role's credentials and the workload's region. The SDK's own retries (3, standard) absorb a blip; the
// state machine's Retry handles throttling that outlasts them.
const sdk = { maxAttempts: 3, retryMode: 'standard' } as const;
const sts = new STSClient({ region: process.env.AWS_REGION, ...sdk });
const clients: WorkloadClientFactories = {
  backup: (credentials, region) => new BackupClient({ region, credentials, ...sdk }),
  ec2: (credentials, region) => new EC2Client({ region, credentials, ...sdk }),
  cloudwatch: (credentials, region) => new CloudWatchClient({ region, credentials, ...sdk }),
  ssm: (credentials, region) => new SSMClient({ region, credentials, ...sdk }),
  efs: (credentials, region) => new EFSClient({ region, credentials, ...sdk }),
  fsx: (credentials, region) => new FSxClient({ region, credentials, ...sdk }),
};
const logger = new Logger({ serviceName: 'workload-region-call' });

/**
 * Invoked by the failback state machine (Task `arn:aws:states:::lambda:invoke`) with
 * `{ operation, workload, roleArn, region, executionName, parameters }`; returns the API's response.
 */
export const handler = async (event: unknown, context?: Context): Promise<Record<string, unknown>> => {
  if (context) logger.addContext(context);
  return callInWorkloadRegion(event, { sts, clients, targetsJson: process.env.WORKLOAD_TARGETS, logger });
};

import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { STSClient } from '@aws-sdk/client-sts';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EFSClient } from '@aws-sdk/client-efs';
import { FSxClient } from '@aws-sdk/client-fsx';
import { lambdaHandler, SDK_CLIENT_CONFIG, SDK_RETRIES } from '../lambda-handler';
import { callInWorkloadRegion, type WorkloadClientFactories } from './logic';

// STS of this function's own region; the workload's clients are built per call with the assumed
// role's credentials and the workload's region. This function has no backoff of its own: the SDK's
// retries absorb a blip, and the state machine's Retry handles throttling that outlasts them.
const sts = new STSClient(SDK_CLIENT_CONFIG);
const clients: WorkloadClientFactories = {
  backup: (credentials, region) => new BackupClient({ region, credentials, ...SDK_RETRIES }),
  ec2: (credentials, region) => new EC2Client({ region, credentials, ...SDK_RETRIES }),
  cloudwatch: (credentials, region) => new CloudWatchClient({ region, credentials, ...SDK_RETRIES }),
  ssm: (credentials, region) => new SSMClient({ region, credentials, ...SDK_RETRIES }),
  efs: (credentials, region) => new EFSClient({ region, credentials, ...SDK_RETRIES }),
  fsx: (credentials, region) => new FSxClient({ region, credentials, ...SDK_RETRIES }),
};

/**
 * Invoked by the failback state machine (Task `arn:aws:states:::lambda:invoke`) with
 * `{ operation, workload, roleArn, region, executionName, parameters }`; returns the API's response.
 */
export const handler = lambdaHandler('workload-region-call', (event, logger) => callInWorkloadRegion(event, { sts, clients, targetsJson: process.env.WORKLOAD_TARGETS, logger }));

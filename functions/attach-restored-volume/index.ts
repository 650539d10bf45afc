import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { attachRestoredVolume, type AttachOutcome } from './logic';

// Created once per execution environment. The SDK's own retries come on top of the logic's
// throttling backoff, which does not rely on them.
const region = process.env.AWS_REGION;
const ec2 = new EC2Client({ region, maxAttempts: 3, retryMode: 'standard' });
const backup = new BackupClient({ region, maxAttempts: 3, retryMode: 'standard' });
const logger = new Logger({ serviceName: 'attach-restored-volume' });

/**
 * EventBridge target for AWS Backup "Restore Job State Change" events in the DR account. Errors are
 * logged by the logic and rethrown, so that the event reaches the function's on-failure destination.
 */
export const handler = async (event: unknown, context?: Context): Promise<AttachOutcome> => {
  if (context) logger.addContext(context);
  return attachRestoredVolume(event, { ec2, backup, logger });
};

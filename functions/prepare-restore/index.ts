import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { prepareRestore, type PreparedRestore } from './logic';

// Created once per execution environment. The SDK's own retries come on top of the logic's
// throttling backoff, which does not rely on them.
const region = process.env.AWS_REGION;
const backup = new BackupClient({ region, maxAttempts: 3, retryMode: 'standard' });
const ec2 = new EC2Client({ region, maxAttempts: 3, retryMode: 'standard' });
const logger = new Logger({ serviceName: 'prepare-restore' });

/**
 * Invoked synchronously by the recovery state machine before StartRestoreJob. An invalid input or a
 * restore that cannot be prepared is logged and rethrown, so that the execution takes its failure branch.
 */
export const handler = async (event: unknown, context?: Context): Promise<PreparedRestore> => {
  if (context) logger.addContext(context);
  return prepareRestore(event, { backup, ec2, logger });
};

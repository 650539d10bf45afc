import { BackupClient } from '@aws-sdk/client-backup';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { locateRecoveryPoints, type CentralBackupClientFactory, type LocateResult } from './logic';

// Created once per execution environment. The SDK's own retries come on top of the logic's
// throttling backoff, which does not rely on them.
const region = process.env.AWS_REGION;
const backup = new BackupClient({ region, maxAttempts: 3, retryMode: 'standard' });
const sts = new STSClient({ region, maxAttempts: 3, retryMode: 'standard' });
const logger = new Logger({ serviceName: 'locate-recovery-points' });

/** The central vault's client: the copy-starter role's temporary credentials, in the central vault's region. */
const centralBackup: CentralBackupClientFactory = (credentials, centralRegion) =>
  new BackupClient({ region: centralRegion, credentials, maxAttempts: 3, retryMode: 'standard' });

/**
 * Invoked synchronously by the recovery state machine. An invalid input or a workload without any
 * recovery point is logged and rethrown, so that the execution takes its failure branch.
 */
export const handler = async (event: unknown, context?: Context): Promise<LocateResult> => {
  if (context) logger.addContext(context);
  return locateRecoveryPoints(event, { backup, sts, centralBackup, logger });
};

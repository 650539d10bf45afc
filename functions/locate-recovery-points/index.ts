import { BackupClient } from '@aws-sdk/client-backup';
import { STSClient } from '@aws-sdk/client-sts';
import { lambdaHandler, SDK_CLIENT_CONFIG, SDK_RETRIES } from '../lambda-handler';
import { locateRecoveryPoints, type CentralBackupClientFactory } from './logic';

const backup = new BackupClient(SDK_CLIENT_CONFIG);
const sts = new STSClient(SDK_CLIENT_CONFIG);

/** The central vault's client: the copy-starter role's temporary credentials, in the central vault's region. */
const centralBackup: CentralBackupClientFactory = (credentials, centralRegion) => new BackupClient({ region: centralRegion, credentials, ...SDK_RETRIES });

/**
 * Invoked synchronously by the recovery state machine. An invalid input or a workload without any
 * recovery point is logged and rethrown, so that the execution takes its failure branch.
 */
export const handler = lambdaHandler('locate-recovery-points', (event, logger) => locateRecoveryPoints(event, { backup, sts, centralBackup, logger }));

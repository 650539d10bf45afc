import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { lambdaHandler, SDK_CLIENT_CONFIG } from '../lambda-handler';
import { prepareRestore } from './logic';

const backup = new BackupClient(SDK_CLIENT_CONFIG);
const ec2 = new EC2Client(SDK_CLIENT_CONFIG);

/**
 * Invoked synchronously by the recovery state machine before StartRestoreJob. An invalid input or a
 * restore that cannot be prepared is logged and rethrown, so that the execution takes its failure branch.
 */
export const handler = lambdaHandler('prepare-restore', (event, logger) => prepareRestore(event, { backup, ec2, logger }));

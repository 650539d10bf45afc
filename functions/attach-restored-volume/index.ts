import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { lambdaHandler, SDK_CLIENT_CONFIG } from '../lambda-handler';
import { attachRestoredVolume } from './logic';

const ec2 = new EC2Client(SDK_CLIENT_CONFIG);
const backup = new BackupClient(SDK_CLIENT_CONFIG);

/**
 * EventBridge target for AWS Backup "Restore Job State Change" events in the DR account. Errors are
 * logged by the logic and rethrown, so that the event reaches the function's on-failure destination.
 */
export const handler = lambdaHandler('attach-restored-volume', (event, logger) => attachRestoredVolume(event, { ec2, backup, logger }));

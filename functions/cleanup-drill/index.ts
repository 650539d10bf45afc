import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { RDSClient } from '@aws-sdk/client-rds';
import { lambdaHandler, SDK_CLIENT_CONFIG } from '../lambda-handler';
import { cleanupDrill } from './logic';

const clients = {
  ec2: new EC2Client(SDK_CLIENT_CONFIG),
  rds: new RDSClient(SDK_CLIENT_CONFIG),
  dynamodb: new DynamoDBClient(SDK_CLIENT_CONFIG),
  efs: new EFSClient(SDK_CLIENT_CONFIG),
  autoScaling: new AutoScalingClient(SDK_CLIENT_CONFIG),
};

/**
 * Invoked synchronously by the recovery state machine after a drill. Errors (a refused failover,
 * an invalid input, resources that could not be deleted) are logged and rethrown, so that the state
 * machine sees them.
 */
export const handler = lambdaHandler('cleanup-drill', (event, logger) => cleanupDrill(event, { ...clients, logger }));

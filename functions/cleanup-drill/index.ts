import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { RDSClient } from '@aws-sdk/client-rds';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { cleanupDrill, type CleanupResult } from './logic';

// Created once per execution environment. The SDK's own retries come on top of the logic's
// throttling backoff, which does not rely on them.
const region = process.env.AWS_REGION;
const clientConfig = { region, maxAttempts: 3, retryMode: 'standard' } as const;
const ec2 = new EC2Client(clientConfig);
const rds = new RDSClient(clientConfig);
const dynamodb = new DynamoDBClient(clientConfig);
const efs = new EFSClient(clientConfig);
const autoScaling = new AutoScalingClient(clientConfig);
const logger = new Logger({ serviceName: 'cleanup-drill' });

/**
 * Invoked synchronously by the recovery state machine after a drill. Errors (a refused failover,
 * an invalid input, resources that could not be deleted) are logged and rethrown, so that the state
 * machine sees them.
 */
export const handler = async (event: unknown, context?: Context): Promise<CleanupResult> => {
  if (context) logger.addContext(context);
  return cleanupDrill(event, { ec2, rds, dynamodb, efs, autoScaling, logger });
};

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { DEFAULT_NAMESPACE, reportRecovery, type RecoveryReport } from './logic';

// Created once per execution environment. The SDK's own retries come on top of the logic's
// throttling backoff, which does not rely on them.
const region = process.env.AWS_REGION;
const cloudwatch = new CloudWatchClient({ region, maxAttempts: 3, retryMode: 'standard' });
const sns = new SNSClient({ region, maxAttempts: 3, retryMode: 'standard' });
const logger = new Logger({ serviceName: 'report-recovery' });

/**
 * Invoked synchronously by the recovery state machine at the end of each execution. Environment:
 * `METRIC_NAMESPACE` (default `DisasterRecovery`), `TOPIC_ARN` (the on-call topic). Errors are
 * logged and rethrown, so that the state machine sees them.
 */
export const handler = async (event: unknown, context?: Context): Promise<RecoveryReport> => {
  if (context) logger.addContext(context);
  const topicArn = process.env.TOPIC_ARN;
  if (!topicArn) {
    const error = new Error('environment variable TOPIC_ARN is not set: the on-call topic to publish the recovery summary to');
    logger.error('Recovery report failed', { errorMessage: error.message, error });
    throw error;
  }
  const namespace = process.env.METRIC_NAMESPACE || DEFAULT_NAMESPACE;
  return reportRecovery(event, { cloudwatch, sns, logger, namespace, topicArn });
};

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SNSClient } from '@aws-sdk/client-sns';
import { lambdaHandler, SDK_CLIENT_CONFIG } from '../lambda-handler';
import { DEFAULT_NAMESPACE, reportRecovery } from './logic';

const cloudwatch = new CloudWatchClient(SDK_CLIENT_CONFIG);
const sns = new SNSClient(SDK_CLIENT_CONFIG);

/**
 * Invoked synchronously by the recovery state machine at the end of each execution. Environment:
 * `METRIC_NAMESPACE` (default `DisasterRecovery`), `TOPIC_ARN` (the on-call topic). Errors are
 * logged and rethrown, so that the state machine sees them.
 */
export const handler = lambdaHandler('report-recovery', async (event, logger) => {
  const topicArn = process.env.TOPIC_ARN;
  if (!topicArn) {
    const error = new Error('environment variable TOPIC_ARN is not set: the on-call topic to publish the recovery summary to');
    logger.error('Recovery report failed', { errorMessage: error.message, error });
    throw error;
  }
  const namespace = process.env.METRIC_NAMESPACE || DEFAULT_NAMESPACE;
  return reportRecovery(event, { cloudwatch, sns, logger, namespace, topicArn });
});

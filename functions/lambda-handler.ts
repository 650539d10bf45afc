/**
 * What every function's `index.ts` does the same way: its SDK clients' configuration and the handler
 * around its logic (one Powertools logger per execution environment, the invocation's Lambda context
 * added to it). Each `index.ts` keeps only its clients, its environment and its doc. A file rather than
 * a folder, as `aws-call.ts` explains.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The SDK's own retries (3, standard) come on top of the logic's throttling backoff, which does not
 * rely on them. Spread it with `region` and `credentials` where a client works elsewhere.
 */
export const SDK_RETRIES = { maxAttempts: 3, retryMode: 'standard' } as const;

/** A client of the function's own account and region (Lambda sets `AWS_REGION`). */
export const SDK_CLIENT_CONFIG = { region: process.env.AWS_REGION, ...SDK_RETRIES } as const;

export type LambdaHandler<R> = (event: unknown, context?: Context) => Promise<R>;

/**
 * The handler of the function `serviceName` (the `service` of its log lines): `run` gets the event and
 * the logger, which is created once per execution environment, as the SDK clients are at module scope.
 */
export function lambdaHandler<R>(serviceName: string, run: (event: unknown, logger: Logger) => Promise<R>): LambdaHandler<R> {
  const logger = new Logger({ serviceName });
  return async (event, context) => {
    if (context) logger.addContext(context);
    return run(event, logger);
  };
}

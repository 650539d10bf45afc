/**
 * Tasks that act in the WORKLOAD's account and region (the restore, its subnet lookup, the reconnect,
 * the health alarm), through the DR account's workload-region-call function (functions/workload-region-call).
 *
 * Not AWS SDK integrations: those always call the service in the state machine's own Region (the
 * recovery region); `Credentials` gives another account, not another Region (Step Functions Developer
 * Guide, https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html;
 * aws-cdk's CallAwsServiceCrossRegion exists for this, https://github.com/aws/aws-cdk/commit/1397737e16066d9101fd1c2fc85cd8396d738869).
 * The function assumes the workload's failback role and makes the one call in the workload's region.
 *
 * Invoked with the Lambda integration's request-response `arn:aws:states:::lambda:invoke`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html): the API's response is the
 * result's `Payload`, so ResultSelector paths read `$.Payload.<Field>`. The function names its errors as
 * the SDK integration did (`Backup.ThrottlingException`, ...; Step Functions takes a function's
 * errorType as the error name: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html),
 * so the Task retries the service's and STS's throttling as well as Lambda's own transient errors.
 */
import { LAMBDA_TRANSIENT_ERRORS, retryTransient, transientErrors, type TaskState } from '../../recovery/asl';
import type { AllowedOperation } from '../../../functions/workload-region-call/input';

/** The error prefix of each allowed operation's service (as the SDK integration and the function name them). */
const ERROR_PREFIX: Record<string, string> = { backup: 'Backup', ec2: 'Ec2', cloudwatch: 'CloudWatch', ssm: 'Ssm', elasticfilesystem: 'Efs', fsx: 'Fsx' };

/**
 * A Task making `operation` with `parameters` (PascalCase, JSONPath `.$` keys as in any Parameters) in
 * the workload's account and region. The item or state input must carry `$.config` (workload, region,
 * failbackRoleArn), which the function checks against its own configuration.
 */
export function workloadRegionTask(functionArn: string, operation: AllowedOperation, parameters: Record<string, unknown>, rest: Record<string, unknown>): TaskState {
  const prefix = ERROR_PREFIX[operation.split(':')[0]];
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      FunctionName: functionArn,
      Payload: {
        operation,
        'workload.$': '$.config.workload',
        'roleArn.$': '$.config.failbackRoleArn',
        'region.$': '$.config.region',
        'executionName.$': '$$.Execution.Name',
        parameters,
      },
    },
    Retry: retryTransient([...LAMBDA_TRANSIENT_ERRORS, ...transientErrors(prefix), ...transientErrors('Sts')]),
    ...rest,
  } as unknown as TaskState;
}

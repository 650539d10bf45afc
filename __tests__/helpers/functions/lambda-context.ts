import type { Context } from 'aws-lambda';

// The handlers put the Lambda context into their logs; only these fields of it are read.
export function lambdaContext(functionName: string, awsRequestId: string, deployedName = functionName): Context {
  return { functionName, awsRequestId, invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:222222222222:function:${deployedName}`, memoryLimitInMB: '256' } as Context;
}

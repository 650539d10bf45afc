import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { rejection } from '../../functions/workload-region-call/fixture';

// workload-region-call must refuse a call outside its workload's bounds before it ever assumes the workload's role.
export async function expectRefusedBeforeAssuming(call: Promise<unknown>, message: RegExp, stsMock: AwsClientStub<STSClient>): Promise<void> {
  const error = await rejection(call);
  expect(error.name).toBe('WorkloadRegionCall.Refused');
  expect(error.message).toMatch(message);
  expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
}

/** StateMachine: the recovery state machine exists and is ACTIVE (described once per run, for every workload). */
import { DescribeStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { AwsCallError, call, type CheckResult, type Runtime } from '../runtime';

export async function describeStateMachine(rt: Runtime, sfn: SFNClient, stateMachineArn: string): Promise<CheckResult> {
  const applyFix = 'Apply the dr stack: it creates the recovery state machine.';
  let status: string | undefined;
  try {
    const out = await call(rt, `DescribeStateMachine(${stateMachineArn})`, () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn })));
    status = out.status ?? 'ACTIVE';
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'StateMachineDoesNotExist') {
      return { check: 'StateMachine', ready: false, reason: `the recovery state machine ${stateMachineArn} does not exist`, fix: applyFix };
    }
    throw error;
  }
  if (status !== 'ACTIVE') return { check: 'StateMachine', ready: false, reason: `the recovery state machine ${stateMachineArn} is ${status}`, fix: applyFix, details: { status } };
  return { check: 'StateMachine', ready: true, reason: `the recovery state machine ${stateMachineArn} is ACTIVE`, details: { status } };
}

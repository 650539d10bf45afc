import { exampleInput } from './synth';

/** `workloads[0].failback` of the example, as an estate would write it. */
export const SHOP_FAILBACK = {
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  securityGroupIds: ['sg-0123456789abcdef0'],
  kmsKeyArn: 'arn:aws:kms:ap-northeast-2:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  // The example backs up RDS and Aurora (the default resource types): failback restores them into this group.
  dbSubnetGroupName: 'shop-db',
  freeze: { kind: 'scaleDown', size: 0 },
};

/** The bundled example with failback configured for its workload (shop); `failback` replaces the fields given. */
export function failbackInput(failback: Record<string, unknown> = {}): ReturnType<typeof exampleInput> {
  const input = exampleInput() as Record<string, any>;
  input.workloads[0].failback = { ...SHOP_FAILBACK, ...failback };
  return input as ReturnType<typeof exampleInput>;
}

/** Whether a Task calls the workload's account and region through the workload-region-call function (modules/failback/steps/workload-region-task.ts). */
export function isWorkloadRegionCall(state: { Resource?: string; Parameters?: Record<string, unknown> }): boolean {
  return state.Resource === 'arn:aws:states:::lambda:invoke' && /:function:[a-z0-9-]+-failback-workload-region-call$/.test(String(state.Parameters?.FunctionName));
}

/**
 * A local Task handler (rehearsal interpreter) for a workload-region-call Task: `handler` gets the
 * API parameters the function would pass and answers the API's response, which the Lambda integration
 * returns as `Payload`.
 */
export function viaWorkloadRegionCall(handler: (parameters: any) => unknown): (input: any) => Promise<unknown> {
  return async (input: any) => ({ Payload: await handler(input.Payload.parameters), StatusCode: 200 });
}

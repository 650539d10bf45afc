import { exampleInput } from './synth';

/** `workloads[0].failback` of the example (config/example.json), as an estate writes it. */
export const SHOP_FAILBACK: Readonly<Record<string, any>> = Object.freeze(exampleFailback());

function exampleFailback(): Record<string, any> {
  const failback = (exampleInput() as Record<string, any>).workloads[0].failback;
  if (!failback) throw new Error('config/example.json has no workloads[0].failback');
  return failback;
}

/**
 * The bundled example, which configures failback for its workload (shop); `failback` replaces the
 * fields given (a field given as undefined is removed).
 */
export function failbackInput(failback: Record<string, unknown> = {}): ReturnType<typeof exampleInput> {
  const input = exampleInput() as Record<string, any>;
  input.workloads[0].failback = JSON.parse(JSON.stringify({ ...input.workloads[0].failback, ...failback }));
  return input as ReturnType<typeof exampleInput>;
}

/** The bundled example without failback (no failback role, no failback state machine). */
export function noFailbackInput(): ReturnType<typeof exampleInput> {
  const input = exampleInput() as Record<string, any>;
  for (const w of input.workloads) delete w.failback;
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

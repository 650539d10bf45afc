import type { Decision, PolicyModel, SimulationOutcome, SimulationRequest } from '../../simulation/policy-model';
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
/** The hosted zone of the failback rehearsals' DNS record. */
export const REHEARSAL_ZONE = 'Z0123456789ABCDEFGHIJ';

/**
 * The failback rehearsals' configuration (rehearsal/failback.test.ts and its mutation suite, which
 * share its synthesized output through the run's synth cache): failback with a DNS record to switch
 * back, and a recovery with a health alarm and a failover record to switch.
 */
export function failbackRehearsalInput(): Record<string, any> {
  const c = failbackInput({ dnsRecord: { hostedZoneId: REHEARSAL_ZONE, recordName: 'shop.example.com', value: 'shop-primary.example.com' } }) as Record<string, any>;
  c.workloads[0].recovery = { ...(c.workloads[0].recovery ?? {}), healthAlarmName: 'shop-health', failover: { hostedZoneId: REHEARSAL_ZONE, recordName: 'shop.example.com', recordType: 'CNAME', value: 'shop-dr.example.com', ttl: 60 } };
  return c;
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

/** A row of the failback IAM simulation suites: a request, its expected decision, and what would allow a denied one. */
export interface FailbackAccessRow {
  description: string;
  request: SimulationRequest;
  expected: Decision;
  allowedIf?: Partial<SimulationRequest>;
}

/**
 * Simulates `row` against `model` and proves it can fail: an Allowed row is Denied without the
 * synthesized statements that allowed it (the identity policies the request supplies stay); an
 * explicitly denied one is no longer explicitly denied without its synthesized Deny; a denied row
 * with `allowedIf` is Allowed with that one change. `resolve` maps a request to the one simulated.
 */
export async function expectFailbackRowHolds(model: PolicyModel, row: FailbackAccessRow, resolve: (request: SimulationRequest) => SimulationRequest = (r) => r): Promise<void> {
  const withoutDecisive = (outcome: SimulationOutcome): PolicyModel => {
    let m = model;
    const sids = new Map<string, string[]>();
    for (const d of outcome.decisive.filter((x) => x.synthesized)) sids.set(d.policyId, [...(sids.get(d.policyId) ?? []), d.statement]);
    for (const [id, s] of sids) m = m.withoutStatements(id, ...new Set(s));
    return m;
  };
  const request = resolve(row.request);
  const outcome = await model.simulate(request);
  expect(outcome.decision).toBe(row.expected);
  if (outcome.result === 'Allowed') {
    expect(outcome.decisive.some((d) => d.synthesized)).toBe(true);
    expect((await withoutDecisive(outcome).simulate(request)).decision).toBe('Denied');
    return;
  }
  let proven = false;
  if (outcome.result === 'ExplicitlyDenied') {
    expect(outcome.decisive.some((d) => d.synthesized && d.effect === 'Deny')).toBe(true);
    expect((await withoutDecisive(outcome).simulate(request)).result).not.toBe('ExplicitlyDenied');
    proven = true;
  }
  if (row.allowedIf) {
    expect((await model.simulate(resolve({ ...row.request, ...row.allowedIf }))).decision).toBe('Allowed');
    proven = true;
  }
  if (!proven) throw new Error(`implicitly denied row "${row.description}" needs allowedIf to show why it is denied`);
}

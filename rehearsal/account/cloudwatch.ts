/** CloudWatch in the model: the workload's health alarm and the metrics the recovery publishes. */
import { ModelError } from './services';
import type { AccountState, Handler } from './state';

/** CloudWatch's API in the model, keyed `cloudwatch:<action>`. */
export function cloudWatchHandlers(model: AccountState): Record<string, Handler> {
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['cloudwatch:describeAlarms'] = (input) => {
    const names: unknown[] = input.AlarmNames ?? [];
    if (names.some((n) => typeof n !== 'string' || n.length === 0)) throw new ModelError('cloudwatch', 'InvalidParameterValue', `AlarmNames must be non-empty strings, got ${JSON.stringify(names)}`);
    return { MetricAlarms: (names as string[]).filter((n) => model.alarms.has(n)).map((n) => ({ AlarmName: n, StateValue: model.alarms.get(n) })), CompositeAlarms: [] };
  };
  h['cloudwatch:putMetricData'] = (input) => {
    if (!input.Namespace || !Array.isArray(input.MetricData)) throw new ModelError('cloudwatch', 'InvalidParameterValue', 'Namespace and MetricData are required');
    model.metrics.push({ at: clock.now(), namespace: input.Namespace, data: input.MetricData });
    return {};
  };
  return h;
}

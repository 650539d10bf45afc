/** DrillRto: the last drill of the workload, within the lookback, recovered it within its RTO (report-recovery's metric). */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { ReadinessInput, WorkloadFacts } from '../input';
import { call, DRILL_MODE, formatAge, ReadinessError, RECOVERY_TIME_METRIC, type CheckResult, type ReadinessClients, type Runtime } from '../runtime';

export async function checkDrillRto(rt: Runtime, clients: ReadinessClients, input: ReadinessInput, w: WorkloadFacts, now: Date): Promise<CheckResult> {
  const hour = 3_600_000;
  // Hour-aligned: CloudWatch keeps data older than 15 days at 5-minute, older than 63 days at 1-hour resolution.
  const start = new Date(Math.floor((now.getTime() - input.drillLookbackDays * 24 * hour) / hour) * hour);
  const points: { timestamp: Date; value: number }[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`GetMetricData returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `GetMetricData(${input.recoveryMetricNamespace}/${RECOVERY_TIME_METRIC}, Workload=${w.name}, Mode=${DRILL_MODE})`, () =>
      clients.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: now,
          ScanBy: 'TimestampDescending',
          MetricDataQueries: [
            {
              Id: 'rto',
              ReturnData: true,
              MetricStat: {
                Metric: {
                  Namespace: input.recoveryMetricNamespace,
                  MetricName: RECOVERY_TIME_METRIC,
                  Dimensions: [
                    { Name: 'Workload', Value: w.name },
                    { Name: 'Mode', Value: DRILL_MODE },
                  ],
                },
                Period: 3600,
                Stat: 'Maximum',
              },
            },
          ],
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    for (const result of out.MetricDataResults ?? []) {
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      timestamps.forEach((t, i) => {
        if (t instanceof Date && typeof values[i] === 'number') points.push({ timestamp: t, value: values[i] });
      });
    }
    nextToken = out.NextToken;
  } while (nextToken);
  const drillFix =
    `Run a drill: \`aws stepfunctions start-execution --state-machine-arn ${input.stateMachineArn} --input '{"workload":"${w.name}","mode":"drill"}'\`, ` +
    'or set workloads[].recovery.drillSchedule (monthly at least); a drill that fails publishes no RTO: read its report on the on-call topic.';
  if (points.length === 0) {
    return {
      check: 'DrillRto',
      ready: false,
      reason: `no drill measured: no ${RECOVERY_TIME_METRIC} (Mode ${DRILL_MODE}) of ${w.name} in the last ${input.drillLookbackDays} days`,
      fix: drillFix,
      details: { rtoMinutes: w.rtoMinutes, lookbackDays: input.drillLookbackDays },
    };
  }
  const last = points.reduce((a, b) => (b.timestamp.getTime() > a.timestamp.getTime() ? b : a));
  const minutes = last.value / 60;
  const details = { rtoMinutes: w.rtoMinutes, lastDrill: last.timestamp.toISOString(), measuredSeconds: last.value };
  if (minutes <= w.rtoMinutes) {
    return { check: 'DrillRto', ready: true, reason: `the last drill (${last.timestamp.toISOString()}) recovered in ${formatAge(minutes)}, within the RTO of ${formatAge(w.rtoMinutes)}`, details };
  }
  return {
    check: 'DrillRto',
    ready: false,
    reason: `the last drill (${last.timestamp.toISOString()}) took ${formatAge(minutes)}, over the RTO of ${formatAge(w.rtoMinutes)}`,
    fix:
      "Read the drill's timeline (its report on the on-call topic, or the execution history) for the slowest step: copies from the central vault " +
      '(an air-gapped vault restores in place), restoreConcurrency, instance start-up; fix it and drill again, or agree a realistic targets.rtoMinutes.',
    details,
  };
}

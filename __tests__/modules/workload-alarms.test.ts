import { Testing } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { WorkloadAlarms } from '../../modules/workload-alarms';
import type { MetricAlarmConfig } from '../../config/schema';
import { resourcesOf } from '../helpers/synth';

const base = { dimensions: { LoadBalancer: 'app/shop/123' }, statistic: 'Average', periodSeconds: 300, evaluationPeriods: 3, missingData: 'notBreaching', triggersRecovery: false } as const;
const anomaly: MetricAlarmConfig = { ...base, name: 'latency', namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', anomalyDetection: { bandWidth: 3, direction: 'above' } };
const staticAlarm: MetricAlarmConfig = { ...base, name: '5xx', namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', statistic: 'p99', datapointsToAlarm: 2, threshold: { value: 10, comparison: 'GreaterThanThreshold' } };

function synth(alarms: MetricAlarmConfig[]) {
  return Testing.synthScope((scope) => {
    new WorkloadAlarms(scope, 'Alarms', { alarmNamePrefix: 'acme-shop-', alarms });
  });
}

/** Synthesizes `alarm` alone and expects an alarm resource with `properties`; the output is for further checks. */
function expectAlarm(alarm: MetricAlarmConfig, properties: Record<string, unknown>): string {
  const out = synth([alarm]);
  expect(out).toHaveResourceWithProperties(CloudwatchMetricAlarm, properties);
  return out;
}

describe('WorkloadAlarms', () => {
  it('builds an ANOMALY_DETECTION_BAND metric-math alarm with the configured band and direction', () => {
    const out = expectAlarm(anomaly, {
      alarm_name: 'acme-shop-latency',
      comparison_operator: 'GreaterThanUpperThreshold',
      threshold_metric_id: 'band',
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
    });
    const [alarm] = resourcesOf(out, 'aws_cloudwatch_metric_alarm') as { metric_query: Record<string, any>[] }[];
    expect(alarm.metric_query).toEqual([
      { id: 'metric', return_data: true, metric: { namespace: 'AWS/ApplicationELB', metric_name: 'TargetResponseTime', dimensions: { LoadBalancer: 'app/shop/123' }, period: 300, stat: 'Average' } },
      { id: 'band', expression: 'ANOMALY_DETECTION_BAND(metric, 3)', label: 'TargetResponseTime (expected)', return_data: true },
    ]);
  });

  it.each([
    ['below', 'LessThanLowerThreshold'],
    ['both', 'LessThanLowerOrGreaterThanUpperThreshold'],
  ] as const)('maps direction %s to %s', (direction, operator) => {
    expectAlarm({ ...anomaly, anomalyDetection: { bandWidth: 2, direction } }, { comparison_operator: operator });
  });

  it('builds a static-threshold alarm, with percentiles as extended statistics', () => {
    const out = expectAlarm(staticAlarm, {
      alarm_name: 'acme-shop-5xx',
      namespace: 'AWS/ApplicationELB',
      metric_name: 'HTTPCode_Target_5XX_Count',
      extended_statistic: 'p99',
      threshold: 10,
      comparison_operator: 'GreaterThanThreshold',
      datapoints_to_alarm: 2,
      period: 300,
    });
    expect(resourcesOf(out, 'aws_cloudwatch_metric_alarm')[0]).not.toHaveProperty('statistic');
  });

  it('treats missing data as configured, never implicitly', () => {
    expectAlarm({ ...staticAlarm, missingData: 'breaching' }, { treat_missing_data: 'breaching' });
  });

  it('rejects an alarm with both or neither of anomalyDetection and threshold', () => {
    expect(() => synth([{ ...anomaly, threshold: { value: 1, comparison: 'GreaterThanThreshold' } }])).toThrow(/alarm "latency" must set exactly one of anomalyDetection and threshold/);
    expect(() => synth([{ ...base, name: 'x', namespace: 'n', metricName: 'm' }])).toThrow(/exactly one/);
  });
});

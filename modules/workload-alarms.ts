import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { MetricAlarmConfig } from '../config/schema';

export interface WorkloadAlarmsProps {
  /** Every alarm name starts with it, so one forwarding rule matches them all. */
  readonly alarmNamePrefix: string;
  readonly alarms: MetricAlarmConfig[];
}

const ANOMALY_COMPARISON = {
  above: 'GreaterThanUpperThreshold',
  below: 'LessThanLowerThreshold',
  both: 'LessThanLowerOrGreaterThanUpperThreshold',
} as const;

/**
 * CloudWatch alarms of a workload: anomaly detection (`ANOMALY_DETECTION_BAND` metric math) or static
 * thresholds. Missing data is treated explicitly (default notBreaching), so a metric that stops
 * reporting never pages by itself.
 */
export class WorkloadAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly alarmNames: string[] = [];

  constructor(scope: Construct, id: string, props: WorkloadAlarmsProps) {
    super(scope, id);
    for (const alarm of props.alarms) {
      if ((alarm.anomalyDetection === undefined) === (alarm.threshold === undefined)) {
        throw new Error(`${this.node.path}: alarm "${alarm.name}" must set exactly one of anomalyDetection and threshold`);
      }
      const alarmName = `${props.alarmNamePrefix}${alarm.name}`;
      const common = {
        alarmName,
        alarmDescription: `${alarm.namespace} ${alarm.metricName}${alarm.triggersRecovery ? ' (triggers recovery)' : ''}`,
        evaluationPeriods: alarm.evaluationPeriods,
        datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods,
        treatMissingData: alarm.missingData,
      };
      const isExtended = /^p\d/.test(alarm.statistic);
      const created = alarm.anomalyDetection
        ? new CloudwatchMetricAlarm(this, alarm.name, {
            ...common,
            comparisonOperator: ANOMALY_COMPARISON[alarm.anomalyDetection.direction],
            thresholdMetricId: 'band',
            metricQuery: [
              {
                id: 'metric',
                returnData: true,
                metric: { namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions, period: alarm.periodSeconds, stat: alarm.statistic },
              },
              { id: 'band', expression: `ANOMALY_DETECTION_BAND(metric, ${alarm.anomalyDetection.bandWidth})`, label: `${alarm.metricName} (expected)`, returnData: true },
            ],
          })
        : new CloudwatchMetricAlarm(this, alarm.name, {
            ...common,
            namespace: alarm.namespace,
            metricName: alarm.metricName,
            dimensions: alarm.dimensions,
            period: alarm.periodSeconds,
            ...(isExtended ? { extendedStatistic: alarm.statistic } : { statistic: alarm.statistic }),
            threshold: alarm.threshold!.value,
            comparisonOperator: alarm.threshold!.comparison,
          });
      this.alarms.push(created);
      this.alarmNames.push(alarmName);
    }
  }
}

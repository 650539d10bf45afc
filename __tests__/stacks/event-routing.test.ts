import * as fs from 'fs';
import * as path from 'path';
import { Testing, type TerraformStack } from 'cdktf';
import { matchesEventPattern } from '../../simulation/event-pattern';
import { estateFor, exampleInput, FIXTURES, resourcesOf } from '../helpers/synth';

/**
 * The estate's rules, as synthesized, against AWS-documented event shapes: each event must be caught
 * by exactly the rules meant for it, where it is emitted and again on the DR bus.
 */
const event = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'events', `${name}.json`), 'utf8'));

function rulesOf(stack: TerraformStack): { name: string; pattern: unknown }[] {
  return resourcesOf(Testing.synth(stack), 'aws_cloudwatch_event_rule').map((r) => ({ name: r.name as string, pattern: r.event_pattern }));
}

function matching(rules: { name: string; pattern: unknown }[], e: unknown): string[] {
  return rules.filter((r) => matchesEventPattern(r.pattern, e)).map((r) => r.name).sort();
}

describe('event routing of the example estate', () => {
  const input = exampleInput() as Record<string, any>;
  input.workloads[0].alarms = [
    { name: 'latency', namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', anomalyDetection: {}, triggersRecovery: true },
    { name: 'errors', namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', threshold: { value: 10, comparison: 'GreaterThanThreshold' } },
  ];
  const estate = estateFor(input);
  const workloadRules = rulesOf(estate.workloads[0]);
  const vaultRules = rulesOf(estate.backupVault);
  const busRules = rulesOf(estate.dr);

  const INCIDENT = 'acme-incidents-to-on-call';
  const RECOVERY = 'acme-recovery-worthy';

  it.each([
    // [event, rules in the workload account, rules in the backup-vault account, rules on the DR bus once forwarded]
    ['health-s3-get-errors', ['acme-health-s3'], [], [INCIDENT, RECOVERY]],
    ['health-ec2-issue', ['acme-health-ec2'], [], [INCIDENT, RECOVERY]],
    ['health-ec2-scheduled-change', [], [], [INCIDENT]],
    ['backup-job-failed', ['acme-failed-backup-jobs'], ['acme-failed-backup-jobs'], [INCIDENT]],
    ['copy-job-failed', ['acme-failed-backup-jobs'], ['acme-failed-backup-jobs'], [INCIDENT]],
    ['copy-job-completed', [], [], [INCIDENT]],
    ['restore-failed-ec2', ['acme-failed-backup-jobs'], ['acme-failed-backup-jobs'], [INCIDENT]],
    ['restore-completed-rds', [], [], [INCIDENT]],
    ['restore-created', [], [], [INCIDENT]],
    ['alarm-state-change', ['acme-alarms'], ['acme-alarms'], [INCIDENT, RECOVERY]],
    ['cloudtrail-delete-recovery-point', [], ['acme-vault-changes'], [INCIDENT]],
  ])('%s is caught by exactly the rules meant for it', (name, inWorkload, inVault, onBus) => {
    const e = event(name);
    expect(matching(workloadRules, e)).toEqual([...inWorkload].sort());
    expect(matching(vaultRules, e)).toEqual([...inVault].sort());
    // The bus rules see only forwarded events; an event no account rule forwards never reaches them.
    expect(matching(busRules, e)).toEqual([...onBus].sort());
  });

  it('never starts recovery for a scheduled change, a non-recovery alarm, or a back-to-OK alarm', () => {
    const recovery = busRules.find((r) => r.name === RECOVERY)!;
    expect(matchesEventPattern(recovery.pattern, event('health-ec2-scheduled-change'))).toBe(false);
    const other = event('alarm-state-change');
    other.detail.alarmName = 'acme-shop-errors';
    expect(matching(workloadRules, other)).toEqual(['acme-alarms']);
    expect(matchesEventPattern(recovery.pattern, other)).toBe(false);
    const ok = event('alarm-state-change');
    ok.detail.state.value = 'OK';
    expect(matching(workloadRules, ok)).toEqual([]);
  });

  it('forwards the alarm on a dead-letter queue filling up', () => {
    const dlqAlarm = event('alarm-state-change');
    dlqAlarm.detail.alarmName = 'acme-event-forwarding-dlq-depth';
    expect(matching(workloadRules, dlqAlarm)).toEqual(['acme-alarms']);
  });

  it('forwards Health events of configured codes only, and in the exact shape of the seed', () => {
    const s3 = workloadRules.find((r) => r.name === 'acme-health-s3')!;
    expect(JSON.parse(s3.pattern as string)).toEqual({
      source: ['aws.health'],
      'detail-type': ['AWS Health Event'],
      detail: {
        service: ['S3'],
        eventTypeCategory: ['issue'],
        eventTypeCode: ['AWS_S3_INCREASED_GET_API_ERROR_RATES', 'AWS_S3_INCREASED_PUT_API_ERROR_RATES', 'AWS_S3_OPERATIONAL_ISSUE'],
      },
    });
    const unknownCode = event('health-s3-get-errors');
    unknownCode.detail.eventTypeCode = 'AWS_S3_SECURITY_NOTIFICATION';
    expect(matching(workloadRules, unknownCode)).toEqual([]);
  });

  it('copes with malformed or partial backup events without matching them as failures', () => {
    const partial = event('backup-job-failed');
    delete partial.detail.state;
    expect(matching(workloadRules, partial)).toEqual([]);
    const wrongType = event('backup-job-failed');
    wrongType.detail.state = { value: 'FAILED' };
    expect(matching(workloadRules, wrongType)).toEqual([]);
  });
});

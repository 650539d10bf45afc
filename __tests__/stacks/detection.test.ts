import * as path from 'path';
import { Testing } from 'cdktf';
import { estateFor, exampleInput, FIXTURES, policyOf, readJson, resourcesOf, type SynthesizedStack } from '../helpers/synth';

const synthOf = (stack: Parameters<typeof Testing.synth>[0]): SynthesizedStack => JSON.parse(Testing.synth(stack));

describe('detection across the three accounts', () => {
  it('points every forwarding target at the bus the DR stack creates, through the role its policy admits', () => {
    const estate = estateFor(exampleInput());
    const busArn = estate.dr.eventBus.busArn;
    expect(busArn).toBe('arn:aws:events:ap-northeast-1:222222222222:event-bus/dr-events');
    const busPolicy = policyOf(resourcesOf(Testing.synth(estate.dr), 'aws_cloudwatch_event_bus_policy')[0]).Statement[0];
    expect(busPolicy.Condition.StringEquals['aws:PrincipalAccount']).toEqual(['111111111111', '333333333333']);
    for (const stack of [estate.workloads[0], estate.backupVault]) {
      const out = Testing.synth(stack);
      const targets = resourcesOf(out, 'aws_cloudwatch_event_target');
      expect(targets.length).toBeGreaterThanOrEqual(3);
      for (const t of targets) expect(t.arn).toBe(busArn);
      const role = resourcesOf(out, 'aws_iam_role').find((r) => r.name === 'acme-event-forwarder')!;
      expect(busPolicy.Condition.ArnLike['aws:PrincipalArn']).toBe(`arn:aws:iam::*:role/${role.name}`);
      expect(policyOf(resourcesOf(out, 'aws_iam_role_policy').find((p) => p.name === 'put-events-on-dr-bus')!).Statement[0].Resource).toBe(busArn);
    }
  });

  it('forwards the Health issues, failed jobs and alarms of a workload, with retries and the DLQ', () => {
    const out = Testing.synth(estateFor(exampleInput()).workloads[0]);
    const names = resourcesOf(out, 'aws_cloudwatch_event_rule').map((r) => r.name).sort();
    expect(names).toEqual(['acme-alarms', 'acme-failed-backup-jobs', 'acme-health-ebs', 'acme-health-ec2', 'acme-health-rds', 'acme-health-s3']);
    for (const t of resourcesOf(out, 'aws_cloudwatch_event_target')) {
      expect(t.retry_policy).toEqual({ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 24 });
      expect(t.dead_letter_config).toBeDefined();
    }
  });

  it('forwards vault changes and failed copy jobs from every central vault region', () => {
    const estate = estateFor(readJson(path.join(FIXTURES, 'three-workloads.json')));
    expect([...estate.backupVault.forwarders.keys()]).toEqual(['ap-northeast-1', 'ap-northeast-2', 'us-east-1']);
    const out = synthOf(estate.backupVault);
    const rules = Object.values(out.resource!.aws_cloudwatch_event_rule);
    expect(rules.filter((r) => r.name === 'acme-vault-changes').map((r) => r.provider ?? 'aws').sort()).toEqual(['aws', 'aws.ap-northeast-2', 'aws.us-east-1']);
    expect(Object.values(out.resource!.aws_sqs_queue).map((q) => q.provider ?? 'aws').sort()).toEqual(['aws', 'aws.ap-northeast-2', 'aws.us-east-1']);
  });

  it('catches global-service Health events with an extra rule and DLQ in us-east-1', () => {
    const input = exampleInput() as Record<string, any>;
    input.detection = { health: { globalServices: { IAM: ['AWS_IAM_OPERATIONAL_ISSUE'] } } };
    const estate = estateFor(input);
    const shop = estate.workloads[0];
    expect([...shop.forwarders.keys()]).toEqual(['ap-northeast-2', 'us-east-1']);
    const out = synthOf(shop);
    expect(out.provider!.aws.map((p) => p.region)).toEqual(['ap-northeast-2', 'us-east-1']);
    const global = Object.values(out.resource!.aws_cloudwatch_event_rule).find((r) => r.name === 'acme-health-global-iam')!;
    expect(global.provider).toBe('aws.us-east-1');
    expect(JSON.parse(global.event_pattern as string).detail).toEqual({ service: ['IAM'], eventTypeCategory: ['issue'], eventTypeCode: ['AWS_IAM_OPERATIONAL_ISSUE'] });
    const recovery = Object.values(synthOf(estate.dr).resource!.aws_cloudwatch_event_rule).find((r) => r.name === 'acme-recovery-worthy')!;
    expect(JSON.parse(recovery.event_pattern as string).detail.service).toContain('IAM');
  });

  it('puts the global rule into the main forwarder when the workload already runs in us-east-1', () => {
    const input = readJson(path.join(FIXTURES, 'three-workloads.json')) as Record<string, any>;
    input.detection = { health: { globalServices: { IAM: ['AWS_IAM_OPERATIONAL_ISSUE'] } } };
    const analytics = estateFor(input).workloads.find((w) => w.workload.name === 'analytics')!;
    expect([...analytics.forwarders.keys()]).toEqual(['us-east-1']);
    expect(analytics.forwarders.get('us-east-1')!.rules).toHaveLength(7);
  });

  it('sends alarms marked triggersRecovery to the recovery rule by exact name', () => {
    const input = exampleInput() as Record<string, any>;
    input.workloads[0].alarms = [{ name: 'latency', namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', anomalyDetection: {}, triggersRecovery: true }];
    const recovery = Object.values(synthOf(estateFor(input).dr).resource!.aws_cloudwatch_event_rule).find((r) => r.name === 'acme-recovery-worthy')!;
    const pattern = JSON.parse(recovery.event_pattern as string);
    expect(pattern.$or[1].detail.alarmName).toEqual(['acme-shop-latency']);
  });
});

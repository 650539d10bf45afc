/**
 * The daily readiness checker, rehearsed: after a rehearsal, its real logic (`functions/check-readiness`)
 * runs on the same model with SDK clients mocked onto it, as the checker's role, and reads the locked
 * central vault through the backup-vault account's reader role (assumed through the model's STS), with
 * every call authorized against the synthesized policies. Its input is the one the synthesized
 * schedule passes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { checkReadiness, type ReadinessInput, type ReadinessReport, type ReadinessResult } from '../functions/check-readiness/logic';
import type { Evaluation } from './authorization';
import { assumedModelClient, modelClient } from './functions';
import type { RehearsalResult } from './machine';
import { addReadinessApis } from './readiness-model';

export interface ReadinessRehearsal {
  readonly result: ReadinessResult;
  /** The report written to `reports/latest.json` of the report bucket. */
  readonly report: ReadinessReport;
  /** Every request the checker made (its own role and the reader role), as evaluated. */
  readonly evaluations: Evaluation[];
}

/** The input the synthesized readiness schedule passes to the checker. */
export function readinessInputOf(synthDir: string): ReadinessInput {
  const stack = JSON.parse(fs.readFileSync(path.join(synthDir, 'stacks', 'dr', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, any>> };
  const schedules = Object.values(stack.resource.aws_scheduler_schedule ?? {}).filter((s) => String(s.name).endsWith('-readiness'));
  if (schedules.length !== 1) throw new Error(`expected one readiness schedule in the DR stack of ${synthDir}, found ${schedules.length}`);
  const target = [schedules[0].target].flat()[0] as { input: string };
  return JSON.parse(target.input) as ReadinessInput;
}

/** Runs the readiness checker after `rehearsal` (whose execution it finds), on its model. */
export async function rehearseReadiness(rehearsal: RehearsalResult): Promise<ReadinessRehearsal> {
  const { model, synthesized } = rehearsal;
  const { config } = synthesized;
  const input = readinessInputOf(synthesized.synthDir);
  const fnName = `${config.name}-recovery-readiness-checker`;
  const fn = synthesized.functions[fnName];
  if (!fn) throw new Error(`no function ${fnName} in the synthesized DR stack`);
  const amiParameters: Record<string, string> = {};
  for (const w of input.workloads) {
    const servers = config.workloads.find((cw) => cw.name === w.name)?.servers ?? [];
    for (const s of w.servers ?? []) {
      const ami = servers.find((cs) => cs.role === s.role)?.amiId;
      if (ami) amiParameters[s.amiParameterName] = ami;
    }
  }
  const started = rehearsal.timeline[0] ? model.clock.startMs : model.clock.now();
  const models = addReadinessApis(model, {
    amiParameters,
    launchTemplates: input.workloads.flatMap((w) => (w.servers ?? []).map((s) => s.launchTemplateName)),
    stateMachineArn: input.stateMachineArn,
    executions: [{ name: `rehearsal-${rehearsal.mode}`, input: rehearsal.input, status: rehearsal.execution.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED', startedAt: started, stoppedAt: started + (rehearsal.rtoSeconds ?? 0) * 1000 }],
    restoreTestingPlans: input.workloads.flatMap((w) => (w.restoreTesting ? [w.restoreTesting.planName] : [])),
  });
  const step = `function:${fnName}`;
  const client = <C>(ClientClass: new (config: any) => C) => modelClient(ClientClass, input.region, model, fn.roleArn, undefined, step);
  const before = model.authorizer.evaluations.length;
  const result = await checkReadiness(
    input,
    {
      backup: client(BackupClient),
      sts: client(STSClient),
      ssm: client(SSMClient),
      ec2: client(EC2Client),
      autoscaling: client(AutoScalingClient),
      sfn: client(SFNClient),
      cloudwatch: client(CloudWatchClient),
      s3: client(S3Client),
      centralBackup: (credentials, region) => assumedModelClient(BackupClient, region, model, model, credentials, step),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      sleep: async () => undefined,
    },
    model.clock.date(),
  );
  const latest = models.objects.get(`${input.reportBucket}/reports/latest.json`);
  if (!latest) throw new Error(`the readiness checker wrote no report to ${input.reportBucket}`);
  return { result, report: JSON.parse(latest) as ReadinessReport, evaluations: model.authorizer.evaluations.slice(before) };
}

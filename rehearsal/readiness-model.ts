/**
 * What the daily readiness checker reads in the DR account, modelled over the rehearsal's account:
 * golden AMI parameters and images, launch templates, the recovery state machine and its executions,
 * the recovery metrics report-recovery published, restore testing plans and jobs, and the report
 * bucket. Registered on a {@link DrAccount} with `extend`, so every call goes through its authorizer.
 */
import { createHash } from 'crypto';
import { ModelError, type DrAccount } from './dr-account';

export interface ReadinessWorld {
  /** Golden AMI parameter name → AMI ID. */
  readonly amiParameters: Record<string, string>;
  readonly launchTemplates: readonly string[];
  readonly stateMachineArn: string;
  /** Executions of the recovery state machine the checker can find (the rehearsal's own). */
  readonly executions: readonly { readonly name: string; readonly input: unknown; readonly status: 'SUCCEEDED' | 'FAILED'; readonly startedAt: number; readonly stoppedAt: number }[];
  readonly restoreTestingPlans: readonly string[];
}

export interface ReadinessModel {
  /** Objects written: `bucket/key` → body. */
  readonly objects: Map<string, string>;
}

/** Adds the readiness checker's APIs to `account`. */
export function addReadinessApis(account: DrAccount, world: ReadinessWorld): ReadinessModel {
  const e = account.estate;
  const clock = account.clock;
  const objects = new Map<string, string>();
  const executionArn = (name: string) => `${world.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const planArn = (name: string) => account.restoreTestingPlanArn(name);
  account.extend({
    'ssm:getParameter': (input) => {
      const value = world.amiParameters[input.Name];
      if (!value) throw new ModelError('ssm', 'ParameterNotFound', `Parameter ${input.Name} not found.`);
      return { Parameter: { Name: input.Name, Type: 'String', Value: value, Version: 1, LastModifiedDate: new Date(clock.now() - 86400_000) } };
    },
    'ec2:describeImages': (input) => ({
      Images: ((input.ImageIds ?? []) as string[]).filter((id) => Object.values(world.amiParameters).includes(id)).map((id) => ({ ImageId: id, State: 'available', CreationDate: new Date(clock.now() - 86400_000).toISOString(), Name: `golden-${id}` })),
    }),
    'ec2:describeLaunchTemplates': (input) => ({
      LaunchTemplates: [
        ...((input.LaunchTemplateNames ?? []) as string[]),
        ...((input.Filters ?? []) as { Name: string; Values: string[] }[]).filter((f) => f.Name === 'launch-template-name').flatMap((f) => f.Values),
      ].filter((n) => world.launchTemplates.includes(n)).map((n) => ({ LaunchTemplateName: n, LaunchTemplateId: `lt-0${createHash('sha256').update(n).digest('hex').slice(0, 16)}`, DefaultVersionNumber: 1, LatestVersionNumber: 1 })),
    }),
    'states:describeStateMachine': (input) => {
      if (input.stateMachineArn !== world.stateMachineArn) throw new ModelError('states', 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`);
      return { stateMachineArn: world.stateMachineArn, name: world.stateMachineArn.split(':').pop(), status: 'ACTIVE', type: 'STANDARD', definition: '{}', roleArn: '', creationDate: new Date(clock.startMs - 30 * 86400_000) };
    },
    'states:listExecutions': (input) => ({
      executions: world.executions
        .filter((x) => !input.statusFilter || x.status === input.statusFilter)
        .map((x) => ({ executionArn: executionArn(x.name), stateMachineArn: world.stateMachineArn, name: x.name, status: x.status, startDate: new Date(x.startedAt), stopDate: new Date(x.stoppedAt) })),
    }),
    'states:describeExecution': (input) => {
      const x = world.executions.find((ex) => executionArn(ex.name) === input.executionArn);
      if (!x) throw new ModelError('states', 'ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
      return { executionArn: input.executionArn, stateMachineArn: world.stateMachineArn, name: x.name, status: x.status, startDate: new Date(x.startedAt), stopDate: new Date(x.stoppedAt), input: JSON.stringify(x.input) };
    },
    'cloudwatch:getMetricData': (input) => ({
      // The RTO metrics report-recovery published in the rehearsal, per query (same namespace and name).
      MetricDataResults: ((input.MetricDataQueries ?? []) as { Id: string; MetricStat?: { Metric?: { Namespace?: string; MetricName?: string } } }[]).map((q) => {
        const points = account.metrics
          .filter((m) => m.namespace === q.MetricStat?.Metric?.Namespace)
          .flatMap((m) => (m.data as { MetricName?: string; Value?: number }[]).filter((d) => d.MetricName === q.MetricStat?.Metric?.MetricName).map((d) => ({ at: m.at, value: Number(d.Value) })));
        return { Id: q.Id, StatusCode: 'Complete', Values: points.map((p) => p.value), Timestamps: points.map((p) => new Date(p.at)) };
      }),
    }),
    'backup:getRestoreTestingPlan': (input) => {
      if (!world.restoreTestingPlans.includes(input.RestoreTestingPlanName)) throw new ModelError('backup', 'ResourceNotFoundException', `restore testing plan ${input.RestoreTestingPlanName} not found`);
      return { RestoreTestingPlan: { RestoreTestingPlanName: input.RestoreTestingPlanName, RestoreTestingPlanArn: planArn(input.RestoreTestingPlanName), ScheduleExpression: 'cron(0 5 ? * * *)', CreationTime: new Date(clock.startMs - 30 * 86400_000) } };
    },
    // Restore jobs of the model started by restore testing (rehearsal/restore-test.ts), as the API lists them.
    'backup:listRestoreJobs': (input) => {
      const after = input.ByCreatedAfter ? new Date(input.ByCreatedAfter).getTime() : -Infinity;
      const jobs = [...account.restoreJobs.values()].filter((j) => j.restoreTestingPlanArn && (!input.ByRestoreTestingPlanArn || j.restoreTestingPlanArn === input.ByRestoreTestingPlanArn) && j.createdAt >= after);
      return {
        RestoreJobs: jobs.map((j) => ({
          AccountId: e.drAccountId,
          RestoreJobId: j.id,
          RecoveryPointArn: j.point.arn,
          SourceResourceArn: j.point.resourceArn,
          CreationDate: new Date(j.createdAt),
          ...(j.completedAt ? { CompletionDate: new Date(j.completedAt) } : {}),
          Status: j.status,
          ...(j.createdResourceArn ? { CreatedResourceArn: j.createdResourceArn } : {}),
          ResourceType: j.resourceType,
          CreatedBy: { RestoreTestingPlanArn: j.restoreTestingPlanArn },
          ...(j.validationStatus ? { ValidationStatus: j.validationStatus, ValidationStatusMessage: j.validationStatusMessage } : {}),
        })),
      };
    },
    's3:putObject': (input) => {
      objects.set(`${input.Bucket}/${input.Key}`, String(input.Body ?? ''));
      return { ETag: `"${createHash('md5').update(String(input.Body ?? '')).digest('hex')}"` };
    },
  });
  return { objects };
}

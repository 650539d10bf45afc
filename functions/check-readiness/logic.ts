import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { callRuntime, messageOf } from '../aws-call';
import { checkDrillRto } from './checks/drill-rto';
import { checkGoldenAmis } from './checks/golden-amis';
import { checkLaunchTemplates } from './checks/launch-templates';
import { checkRecoveryPoints, vaultSources, type VaultSource } from './checks/recovery-points';
import { checkRestoreTest } from './checks/restore-test';
import { checkServerGroups, listRunningRecoveries, type RunningRecoveries } from './checks/server-groups';
import { describeStateMachine } from './checks/state-machine';
import { parseReadinessInput, type ReadinessInput, type WorkloadFacts } from './input';
import { call, DEFAULT_OPTIONS, fixForError, once, ReadinessError, type CheckName, type CheckResult, type ReadinessClients, type Runtime } from './runtime';

export { InvalidInputError, parseReadinessInput } from './input';
export type { CentralVaultRef, ReadinessInput, RestoreTestingRef, ServerRef, VaultRef, WorkloadFacts } from './input';
export type { Logger } from '../aws-call';
/** The central vault is listed as the backup-vault account's reader role: its temporary credentials and a Backup client of them. */
export type { AssumedCredentials, CentralBackupClientFactory } from '../credentials';
export { AwsCallError, CHECKS, DEFAULT_OPTIONS, DRILL_MODE, formatAge, ReadinessError, RECOVERY_TIME_METRIC } from './runtime';
export type { CheckName, CheckResult, ReadinessClients, ReadinessOptions } from './runtime';

/** Exactly the IAM actions {@link checkReadiness} calls with the function's own role. */
export const REQUIRED_ACTIONS = [
  'autoscaling:DescribeAutoScalingGroups',
  'backup:GetRestoreTestingPlan',
  'backup:ListRecoveryPointsByBackupVault',
  'backup:ListRestoreJobs',
  'cloudwatch:GetMetricData',
  'cloudwatch:PutMetricData',
  'ec2:DescribeImages',
  'ec2:DescribeLaunchTemplates',
  's3:PutObject',
  'ssm:GetParameter',
  'states:DescribeExecution',
  'states:DescribeStateMachine',
  'states:ListExecutions',
  'sts:AssumeRole',
] as const;

/** The actions called as the backup-vault account's reader role, on the locked central vault. */
export const READER_REQUIRED_ACTIONS = ['backup:ListRecoveryPointsByBackupVault'] as const;

/**
 * Not called by the logic, but needed by its role: S3 encrypts the report with the bucket's default
 * KMS key on behalf of the writer.
 */
export const ENCRYPTED_BUCKET_KMS_ACTIONS = ['kms:GenerateDataKey'] as const;

/** Metric of every check (dimensions `Workload`, `Check`) and of each workload overall (dimension `Workload`): 1 ready, 0 not. */
export const METRIC_READY = 'Ready';

export const REPORT_PREFIX = 'reports/';
export const LATEST_REPORT_KEY = `${REPORT_PREFIX}latest.json`;
/** `reports/<yyyy-mm-dd>/readiness.json` (UTC date of the run). */
export function dailyReportKey(now: Date): string {
  return `${REPORT_PREFIX}${now.toISOString().slice(0, 10)}/readiness.json`;
}

export interface WorkloadReadiness {
  readonly workload: string;
  readonly ready: boolean;
  /** The checks that apply to the workload (no server checks without servers, no restore test without restoreTesting). */
  readonly checks: CheckResult[];
}

/** The JSON report written to the report bucket. */
export interface ReadinessReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly estate: string;
  readonly region: string;
  readonly ready: boolean;
  readonly summary: { readonly workloads: number; readonly readyWorkloads: number; readonly failedChecks: number };
  /** Every check that is not ready, with its fix: what to read first. */
  readonly failedChecks: { readonly workload: string; readonly check: CheckName; readonly reason: string; readonly fix: string }[];
  readonly workloads: WorkloadReadiness[];
}

/** The function's output. */
export interface ReadinessResult {
  readonly ready: boolean;
  readonly generatedAt: string;
  readonly reportBucket: string;
  readonly reportKeys: string[];
  readonly metricsPublished: number;
  readonly notReady: { readonly workload: string; readonly check: CheckName; readonly reason: string }[];
}

// ---------------------------------------------------------------------------------------------------
// The run: each workload's checks (checks/), the report and the metrics
// ---------------------------------------------------------------------------------------------------

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Runs one check; any error makes it not ready, with the error as the reason, and never stops the other checks. */
async function runCheck(rt: Runtime, workload: string, check: CheckName, fn: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await fn();
  } catch (error) {
    rt.logger.warn('Readiness check could not run', { ...rt.context, workload, check, errorMessage: messageOf(error) });
    return { check, ready: false, reason: `could not be checked: ${messageOf(error)}`, fix: fixForError(error) };
  }
}

/** What the checks of every workload share, each looked up at most once per run. */
interface Shared {
  readonly vaults: readonly VaultSource[];
  readonly stateMachine: () => Promise<CheckResult>;
  readonly runningRecoveries: () => Promise<RunningRecoveries>;
}

function sharedLookups(rt: Runtime, clients: ReadinessClients, input: ReadinessInput, now: Date): Shared {
  return {
    vaults: vaultSources(rt, clients, input, now),
    stateMachine: once(() => describeStateMachine(rt, clients.sfn, input.stateMachineArn)),
    runningRecoveries: once(() => listRunningRecoveries(rt, clients.sfn, input)),
  };
}

async function checkWorkload(rt: Runtime, clients: ReadinessClients, shared: Shared, input: ReadinessInput, w: WorkloadFacts, now: Date): Promise<WorkloadReadiness> {
  const checks: CheckResult[] = [];
  checks.push(await runCheck(rt, w.name, 'RecoveryPoints', () => checkRecoveryPoints(rt, shared.vaults, input, w, now)));
  if (w.servers.length > 0) {
    checks.push(await runCheck(rt, w.name, 'GoldenAmis', () => checkGoldenAmis(rt, clients, input, w)));
    checks.push(await runCheck(rt, w.name, 'LaunchTemplates', () => checkLaunchTemplates(rt, clients, w)));
    checks.push(await runCheck(rt, w.name, 'ServerGroups', () => checkServerGroups(rt, clients, shared.runningRecoveries, input, w)));
  }
  checks.push(await runCheck(rt, w.name, 'StateMachine', () => shared.stateMachine()));
  checks.push(await runCheck(rt, w.name, 'DrillRto', () => checkDrillRto(rt, clients, input, w, now)));
  if (w.restoreTesting) checks.push(await runCheck(rt, w.name, 'RestoreTest', () => checkRestoreTest(rt, clients, w, now)));
  const ready = checks.every((c) => c.ready);
  rt.logger.info(ready ? 'Workload ready' : 'Workload not ready', {
    ...rt.context,
    workload: w.name,
    ready,
    failedChecks: checks.filter((c) => !c.ready).map((c) => ({ check: c.check, reason: c.reason })),
  });
  return { workload: w.name, ready, checks };
}

export function buildReport(input: ReadinessInput, workloads: WorkloadReadiness[], now: Date): ReadinessReport {
  const failedChecks = workloads.flatMap((w) =>
    w.checks.filter((c) => !c.ready).map((c) => ({ workload: w.workload, check: c.check, reason: c.reason, fix: c.fix ?? 'See the reason.' })),
  );
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    estate: input.estate,
    region: input.region,
    ready: workloads.every((w) => w.ready),
    summary: { workloads: workloads.length, readyWorkloads: workloads.filter((w) => w.ready).length, failedChecks: failedChecks.length },
    failedChecks,
    workloads,
  };
}

/** `Ready` per workload and check (dimensions `Workload`, `Check`) and per workload (dimension `Workload`). */
export function readinessMetrics(workloads: WorkloadReadiness[], now: Date): MetricDatum[] {
  return workloads.flatMap((w) => [
    ...w.checks.map((c) => ({
      MetricName: METRIC_READY,
      Dimensions: [
        { Name: 'Workload', Value: w.workload },
        { Name: 'Check', Value: c.check },
      ],
      Timestamp: now,
      Value: c.ready ? 1 : 0,
      Unit: 'Count' as const,
    })),
    { MetricName: METRIC_READY, Dimensions: [{ Name: 'Workload', Value: w.workload }], Timestamp: now, Value: w.ready ? 1 : 0, Unit: 'Count' as const },
  ]);
}

/**
 * Checks, per workload of the input, that a recovery could start now and meet its targets: recovery
 * points within the RPO, golden AMIs, launch templates and idle server groups, the recovery state
 * machine, the last drill's RTO, the last restore test. A check that fails with an AWS error is not
 * ready (the error is its reason) and never stops the others. Then publishes the `Ready` metrics and
 * writes the report (`reports/<date>/readiness.json` and `reports/latest.json`); both are attempted,
 * and a failure of either is thrown afterwards.
 */
export async function checkReadiness(rawInput: unknown, clients: ReadinessClients, now: Date): Promise<ReadinessResult> {
  const rt: Runtime = callRuntime(clients, DEFAULT_OPTIONS);
  try {
    const input = parseReadinessInput(rawInput);
    Object.assign(rt.context, { estate: input.estate, region: input.region });
    const shared = sharedLookups(rt, clients, input, now);
    const workloads = await mapLimit(input.workloads, rt.options.concurrency, (w) => checkWorkload(rt, clients, shared, input, w, now));
    const report = buildReport(input, workloads, now);

    const metrics = readinessMetrics(workloads, now);
    let metricsError: string | undefined;
    let published = 0;
    try {
      for (let i = 0; i < metrics.length; i += rt.options.metricsPerCall) {
        const batch = metrics.slice(i, i + rt.options.metricsPerCall);
        await call(rt, `PutMetricData(${input.metricNamespace})`, () => clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: input.metricNamespace, MetricData: batch })));
        published += batch.length;
      }
    } catch (error) {
      metricsError = messageOf(error);
      rt.logger.error('Readiness metrics not published; writing the report anyway', { ...rt.context, errorMessage: metricsError });
    }

    const keys = [dailyReportKey(now), LATEST_REPORT_KEY];
    const body = JSON.stringify(report, null, 2);
    let reportError: string | undefined;
    const written: string[] = [];
    for (const key of keys) {
      try {
        await call(rt, `PutObject(s3://${input.reportBucket}/${key})`, () =>
          clients.s3.send(new PutObjectCommand({ Bucket: input.reportBucket, Key: key, Body: body, ContentType: 'application/json' })),
        );
        written.push(key);
      } catch (error) {
        reportError = messageOf(error);
        break;
      }
    }

    const notReady = report.failedChecks.map(({ workload, check, reason }) => ({ workload, check, reason }));
    rt.logger.info('Readiness checked', { ...rt.context, ready: report.ready, summary: report.summary, reportBucket: input.reportBucket, reportKeys: written, metricsPublished: published });
    if (metricsError || reportError) {
      throw new ReadinessError(
        `readiness checked (${report.ready ? 'ready' : `${report.summary.failedChecks} checks not ready`}) but not fully reported: ` +
          [metricsError ? `metrics not published: ${metricsError}` : 'metrics published', reportError ? `report not written: ${reportError}` : 'report written'].join('; '),
      );
    }
    return { ready: report.ready, generatedAt: report.generatedAt, reportBucket: input.reportBucket, reportKeys: written, metricsPublished: published, notReady };
  } catch (error) {
    rt.logger.error('Readiness check failed', { ...rt.context, errorMessage: messageOf(error), error });
    throw error;
  }
}

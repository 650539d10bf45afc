/** RestoreTest: the last restore test of each resource of the workload's restore testing plan, within its window, passed. */
import { GetRestoreTestingPlanCommand, ListRestoreJobsCommand, type ListRestoreJobsCommandInput, type RestoreJobsListMember } from '@aws-sdk/client-backup';
import type { WorkloadFacts } from '../input';
import { call, formatAge, listed, MINUTE, ReadinessError, type CheckResult, type ReadinessClients, type Runtime } from '../runtime';

const FINISHED_RESTORE = new Set(['COMPLETED', 'ABORTED', 'FAILED']);

export async function checkRestoreTest(rt: Runtime, clients: ReadinessClients, w: WorkloadFacts, now: Date): Promise<CheckResult> {
  const testing = w.restoreTesting!;
  const plan = await call(rt, `GetRestoreTestingPlan(${testing.planName})`, () => clients.backup.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: testing.planName })));
  const planArn = plan.RestoreTestingPlan?.RestoreTestingPlanArn;
  if (!planArn) throw new ReadinessError(`GetRestoreTestingPlan(${testing.planName}) returned no plan ARN`);
  const since = new Date(now.getTime() - testing.windowHours * 60 * MINUTE);
  const jobs: RestoreJobsListMember[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`ListRestoreJobs returned more than ${rt.options.maxPages} pages; giving up`);
    const request: ListRestoreJobsCommandInput = { ByRestoreTestingPlanArn: planArn, ByCreatedAfter: since, MaxResults: 1000, ...(nextToken ? { NextToken: nextToken } : {}) };
    const out = await call(rt, `ListRestoreJobs(${testing.planName})`, () => clients.backup.send(new ListRestoreJobsCommand(request)));
    jobs.push(...(out.RestoreJobs ?? []));
    nextToken = out.NextToken;
  } while (nextToken);

  // A job still running, or completed but still being validated, has no verdict yet: the resource's
  // previous test (the window reaches back past the previous scheduled run) decides.
  const hasVerdict = (j: RestoreJobsListMember) => FINISHED_RESTORE.has(j.Status ?? '') && !(j.Status === 'COMPLETED' && j.ValidationStatus === 'VALIDATING');
  const newestPerResource = new Map<string, RestoreJobsListMember>();
  for (const job of jobs.filter(hasVerdict)) {
    const key = job.SourceResourceArn ?? job.RecoveryPointArn ?? job.RestoreJobId ?? '';
    const current = newestPerResource.get(key);
    if (!current || (job.CreationDate?.getTime() ?? 0) > (current.CreationDate?.getTime() ?? 0)) newestPerResource.set(key, job);
  }
  const pending = jobs.filter((j) => !hasVerdict(j)).length;
  const verdicts = [...newestPerResource.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const passed = (j: RestoreJobsListMember) => j.Status === 'COMPLETED' && (j.ValidationStatus === undefined || j.ValidationStatus === 'SUCCESSFUL');
  const details = {
    restoreTestingPlanArn: planArn,
    windowHours: testing.windowHours,
    jobsInWindow: jobs.length,
    pending,
    resources: verdicts.map(([resource, j]) => ({
      resource,
      restoreJobId: j.RestoreJobId ?? null,
      created: j.CreationDate?.toISOString() ?? null,
      status: j.Status ?? null,
      validationStatus: j.ValidationStatus ?? null,
      message: j.ValidationStatusMessage ?? j.StatusMessage ?? null,
    })),
  };
  const listJobs = `\`aws backup list-restore-jobs --by-restore-testing-plan-arn ${planArn}\``;
  if (verdicts.length === 0) {
    return {
      check: 'RestoreTest',
      ready: false,
      reason: `no restore test of plan ${testing.planName} finished in the last ${formatAge(testing.windowHours * 60)}${pending > 0 ? ` (${pending} still running or validating)` : ''}`,
      fix:
        `Check the restore testing plan ${testing.planName} and its selections in the AWS Backup console (${listJobs}): each selection takes every recovery point ` +
        'of its resource type (ProtectedResourceArns ["*"], no tag condition) in the vaults the plan includes, so no job usually means no snapshot of the tested types reached ' +
        'those vaults within selectionWindowDays: check what they hold (`aws backup list-recovery-points-by-backup-vault --backup-vault-name <vault>`) and the copy jobs into them.',
      details,
    };
  }
  const failed = verdicts.filter(([, j]) => !passed(j));
  if (failed.length === 0) {
    return { check: 'RestoreTest', ready: true, reason: `the last restore test of each of ${verdicts.length} resources completed${pending > 0 ? ` (${pending} newer still running or validating)` : ''} and passed validation`, details };
  }
  const describe = ([resource, j]: [string, RestoreJobsListMember]) =>
    `${resource}: ${j.Status ?? 'unknown status'}${j.ValidationStatus ? `, validation ${j.ValidationStatus}` : ''}${j.ValidationStatusMessage || j.StatusMessage ? ` (${j.ValidationStatusMessage ?? j.StatusMessage})` : ''}`;
  return {
    check: 'RestoreTest',
    ready: false,
    reason: `${failed.length} of ${verdicts.length} resources failed their last restore test: ${listed(failed.map(describe), rt.options.maxListedInReason)}`,
    fix:
      `Read each failed job's status and validation messages (${listJobs}; the validate-restore function's logs say what it checked), fix the backup or the restore settings, and let the next test run. ` +
      "The resource may be another workload's (its ARN names its account): the plan's selections take every recovery point of their types in the estate's shared vaults.",
    details,
  };
}

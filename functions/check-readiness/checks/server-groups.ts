/**
 * ServerGroups: the Auto Scaling group of every server role exists, idle unless a recovery of the
 * workload is running (the recovery state machine's running executions are listed once per run).
 */
import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { isRecord } from '../../aws-call';
import type { ReadinessInput, WorkloadFacts } from '../input';
import { call, listed, ReadinessError, type CheckResult, type ReadinessClients, type Runtime } from '../runtime';

export interface RunningRecoveries {
  /** Workloads with a RUNNING execution of the recovery state machine. */
  readonly workloads: Set<string>;
  /** RUNNING executions whose input names no workload (and no workload account): they may be recovering any workload. */
  readonly unattributed: string[];
}


export async function listRunningRecoveries(rt: Runtime, sfn: SFNClient, input: ReadinessInput): Promise<RunningRecoveries> {
  const executions: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`ListExecutions returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `ListExecutions(${input.stateMachineArn}, RUNNING)`, () =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn: input.stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, ...(nextToken ? { nextToken } : {}) })),
    );
    for (const e of out.executions ?? []) if (e.executionArn) executions.push(e.executionArn);
    nextToken = out.nextToken;
  } while (nextToken);
  const byAccount = new Map(input.workloads.map((w) => [w.accountId, w.name]));
  const workloads = new Set<string>();
  const unattributed: string[] = [];
  for (const executionArn of executions) {
    const out = await call(rt, `DescribeExecution(${executionArn})`, () => sfn.send(new DescribeExecutionCommand({ executionArn })));
    let parsed: unknown;
    try {
      parsed = JSON.parse(out.input ?? 'null');
    } catch {
      parsed = undefined;
    }
    const workload = isRecord(parsed) && typeof parsed.workload === 'string' ? parsed.workload : undefined;
    // Event-triggered runs may name the workload only through the incident's account.
    const incidentAccount = isRecord(parsed) && isRecord(parsed.incident) && typeof parsed.incident.account === 'string' ? byAccount.get(parsed.incident.account) : undefined;
    const name = workload ?? incidentAccount;
    if (name) workloads.add(name);
    else unattributed.push(executionArn);
  }
  return { workloads, unattributed };
}

/**
 * Every group exists at desired capacity 0, or, while a recovery of the workload is running (an
 * execution of the recovery state machine that names it, or names no workload), at any capacity:
 * recovery scales the groups up, and cleanup-drill scales them back to 0.
 */
export async function checkServerGroups(rt: Runtime, clients: ReadinessClients, runningRecoveries: () => Promise<RunningRecoveries>, input: ReadinessInput, w: WorkloadFacts): Promise<CheckResult> {
  const wanted = [...new Set(w.servers.map((s) => s.autoScalingGroupName))].sort();
  const groups = new Map<string, AutoScalingGroup>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > rt.options.maxPages) throw new ReadinessError(`DescribeAutoScalingGroups returned more than ${rt.options.maxPages} pages; giving up`);
    const out = await call(rt, `DescribeAutoScalingGroups(${wanted.join(', ')})`, () =>
      clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: wanted, ...(nextToken ? { NextToken: nextToken } : {}) })),
    );
    for (const g of out.AutoScalingGroups ?? []) if (g.AutoScalingGroupName) groups.set(g.AutoScalingGroupName, g);
    nextToken = out.NextToken;
  } while (nextToken);
  const missing = wanted.filter((n) => !groups.has(n));
  const scaled = wanted.filter((n) => (groups.get(n)?.DesiredCapacity ?? 0) > 0);
  const details: Record<string, unknown> = {
    groups: wanted.map((n) => ({ name: n, exists: groups.has(n), desiredCapacity: groups.get(n)?.DesiredCapacity ?? null })),
  };
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`Auto Scaling groups missing: ${listed(missing, rt.options.maxListedInReason)}`);
  let recovering: string | undefined;
  if (scaled.length > 0) {
    const running = await runningRecoveries();
    details.runningRecoveries = { workloads: [...running.workloads].sort(), unattributed: running.unattributed };
    if (running.workloads.has(w.name)) recovering = `a recovery of ${w.name} is running`;
    else if (running.unattributed.length > 0) recovering = `a recovery execution naming no workload is running (${running.unattributed[0]})`;
    if (!recovering) {
      problems.push(
        `${listed(scaled.map((n) => `${n} (desired capacity ${groups.get(n)?.DesiredCapacity})`), rt.options.maxListedInReason)} above 0 with no recovery of the workload running`,
      );
    }
  }
  if (problems.length === 0) {
    const reason = recovering
      ? `all ${wanted.length} Auto Scaling groups exist; ${listed(scaled, rt.options.maxListedInReason)} scaled up while ${recovering}`
      : `all ${wanted.length} Auto Scaling groups exist at desired capacity 0`;
    return { check: 'ServerGroups', ready: true, reason, details };
  }
  const fixes: string[] = [];
  if (missing.length > 0) fixes.push('Apply the dr stack: its landing zone creates one Auto Scaling group per server role.');
  if (scaled.length > 0 && !recovering) {
    fixes.push(
      `If the workload is not failed over to ${input.region} (after a failover the groups stay up until you fail back), scale each group back: ` +
        `\`aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --min-size 0 --desired-capacity 0\` ` +
        '(a drill that failed before its cleanup leaves them up; its restored resources may need cleaning too).',
    );
  }
  return { check: 'ServerGroups', ready: false, reason: problems.join('; '), fix: fixes.join(' '), details };
}

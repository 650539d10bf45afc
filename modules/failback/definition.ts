import type { State, StateMachineDefinition } from '../recovery/asl';
import type { FailbackContext, FailbackDefinitionProps } from './steps/common';
import { failbackInputStates } from './steps/input';
import { failbackApprovalStates } from './steps/approval';
import { freezeStates } from './steps/freeze';
import { copyToWorkloadStates, finalBackupStates, restoreInWorkloadStates } from './steps/jobs';
import { failbackReportStates } from './steps/report';

export { FAILBACK_RESTORABLE_TYPES, FAILBACK_STEPS } from './steps/common';
export type { FailbackDefinitionProps, FailbackFreeze, FailbackStep, FailbackWorkload } from './steps/common';

/**
 * The failback machine (DR account): approve (primary region healthy) → freeze writes in the DR account
 * → final backups into the DR restore vault → copy them to the workload's local vault → restore in the
 * workload account through its failback role → report (with the failback RPO window). Every Task is
 * retried on throttling and caught into a report naming the step. Input: `{ workload, resourceArns }`.
 *
 * Not built yet (docs/failback.md): reconnect, DNS switch back and verify, release of the freeze, the
 * grace period and the second approval before the DR cleanup.
 */
export function failbackDefinition(props: FailbackDefinitionProps): StateMachineDefinition {
  if (props.workloads.length === 0) throw new Error('failbackDefinition needs at least one workload with failback');
  const poll = props.pollSeconds ?? 30;
  const ctx: FailbackContext = {
    props,
    poll,
    jobPolls: Math.ceil((Math.max(...props.workloads.map((w) => w.jobTimeoutMinutes)) * 60) / poll),
    jobConcurrency: Math.max(1, Math.min(...props.workloads.map((w) => w.restoreConcurrency))),
  };
  const states: Record<string, State> = {
    ...failbackInputStates(ctx),
    ...failbackApprovalStates(ctx),
    ...freezeStates(ctx),
    ...finalBackupStates(ctx),
    ...copyToWorkloadStates(ctx),
    ...restoreInWorkloadStates(ctx),
    ...failbackReportStates(ctx),
  };
  return {
    Comment: 'Failback: approve, freeze writes in DR, final backups, copy to the workload account, restore there, report.',
    StartAt: 'HasWorkloadField',
    // Approval, three rounds of jobs and a report: more than three days needs a person.
    TimeoutSeconds: 3 * 24 * 3600,
    States: states,
  };
}

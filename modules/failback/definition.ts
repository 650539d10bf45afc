import type { StateMachineDefinition } from '../recovery/asl';
import type { FailbackContext, FailbackDefinitionProps } from './steps/common';
import { jobPacing, stepStates } from '../recovery/steps/common';
import { failbackInputStates } from './steps/input';
import { failbackApprovalStates } from './steps/approval';
import { freezeStates } from './steps/freeze';
import { copyToWorkloadStates, finalBackupStates, restoreInWorkloadStates } from './steps/jobs';
import { failbackReportStates } from './steps/report';
import { locateStates } from './steps/locate';
import { switchBackStates, undoFreezeStates } from './steps/switch-back';
import { cleanupStates } from './steps/cleanup';
import { reconnectStates } from './steps/reconnect';

export { FAILBACK_RESTORABLE_TYPES, FAILBACK_STEPS } from './steps/common';
export type { FailbackDefinitionProps, FailbackFreeze, FailbackStep, FailbackWorkload } from './steps/common';

/**
 * The failback machine (DR account): locate the DR resources by tag (unless the input lists them) →
 * approve (primary region healthy) → freeze writes in the DR account → final backups into the DR
 * restore vault → copy them to the workload's local vault → restore in the workload account through
 * its failback role → reconnect there (attach restored volumes by tag, connect runbook) → switch DNS back (INSYNC) → verify with the health alarm → release the freeze →
 * report (with the failback RPO window) → grace period → second approval → clean up the DR account.
 * Every Task is retried on throttling and caught into a report naming the step; a failure while frozen
 * first restores the DR server groups. Input: `{ workload, resourceArns? }`.
 */
export function failbackDefinition(props: FailbackDefinitionProps): StateMachineDefinition {
  if (props.workloads.length === 0) throw new Error('failbackDefinition needs at least one workload with failback');
  const ctx: FailbackContext = { props, ...jobPacing(props) };
  const states = stepStates(ctx, [
    failbackInputStates, failbackApprovalStates, freezeStates, finalBackupStates, copyToWorkloadStates, restoreInWorkloadStates,
    reconnectStates, switchBackStates, failbackReportStates, undoFreezeStates, locateStates, cleanupStates,
  ]);
  // After the restore: reconnect in the primary region (steps/reconnect.ts), then the switch back
  // (steps/switch-back.ts), not straight to the report.
  (states.RestoreInWorkload as { Next?: string }).Next = 'Reconnect';
  return {
    Comment: 'Failback: locate, approve, freeze writes in DR, final backups, copy to the workload account, restore there, reconnect, switch DNS back, verify, release, report, grace period, approve and clean up DR.',
    StartAt: 'HasWorkloadField',
    // Two approvals, three rounds of jobs, the switch and the grace period (up to 30 days): beyond that a person decides.
    TimeoutSeconds: 3 * 24 * 3600 + Math.max(...props.workloads.map((w) => (w.graceHours ?? 72) * 3600 + w.approvalTimeoutSeconds)),
    States: states,
  };
}

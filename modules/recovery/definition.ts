import type { State, StateMachineDefinition } from './asl';
import { jobPacing, stepStates, type RecoveryDefinitionProps, type StepContext } from './steps/common';
import { approvalStates } from './steps/approval';
import { drillCleanupStates, failedDrillCleanupStates } from './steps/cleanup';
import { connectServersStates } from './steps/connect';
import { copyAndBuildStates } from './steps/copy-and-build';
import { failoverStates } from './steps/failover';
import { inputStates } from './steps/input';
import { locateStates } from './steps/locate';
import { reportFailureStates, reportSuccessStates } from './steps/report';
import { restoreDataStates } from './steps/restore';
import { verifyStates } from './steps/verify';

// The entry point: each step's states are built in steps/, composed here in the order of the
// definition (the JSON's key order is what reviewers diff).
export { BRANCH_FAILED, RECOVERY_STEPS } from './steps/common';
export type { RecoveryDefinitionProps, RecoveryInfrastructure, RecoveryStep, RecoveryWorkload } from './steps/common';
export { FSX_FILE_SYSTEM_FAILED, FSX_FILE_SYSTEM_READY, FSX_VOLUME_FAILED, FSX_VOLUME_READY, fsxCleanupStates } from './steps/fsx';
export { TERRAFORM_RUN_DONE_STATUSES, TERRAFORM_RUN_FAILED_STATUSES } from './steps/terraform-cloud';

/**
 * The recovery machine: approve → locate data → copy from the central vault where the DR copy is
 * missing or too old, beside building the infrastructure (Auto Scaling groups or a Terraform Cloud
 * run) → restore data (parallel, bounded) → connect servers (attach volumes, mount targets for
 * restored file systems, runbook) → fail over traffic → verify and report; every step retried on throttling and caught into a failure
 * report naming the step. Input: `{ workload | incident.account, mode: failover|drill, pointInTime?,
 * trigger?: manual|event|schedule, incident? }`.
 */
export function recoveryDefinition(props: RecoveryDefinitionProps): StateMachineDefinition {
  if (props.workloads.length === 0) throw new Error('recoveryDefinition needs at least one workload');
  const ctx: StepContext = {
    props,
    ...jobPacing(props),
    // Restored EFS file systems need mount targets before the runbook mounts them.
    restoresEfs: props.workloads.some((w) => w.resourceTypes.includes('EFS')),
    // Restored FSx file systems and volumes are described (type, DNS name, mount name or junction path) for the runbook.
    restoresFsx: props.workloads.some((w) => w.resourceTypes.includes('FSx')),
  };
  const states: Record<string, State> = {
    ...stepStates(ctx, [inputStates, approvalStates, locateStates, copyAndBuildStates, restoreDataStates, connectServersStates, failoverStates, verifyStates, reportSuccessStates, drillCleanupStates]),
    Recovered: { Type: 'Succeed' },
    // The failure branch: which step failed and why, reported; a drill still cleans up.
    ...reportFailureStates(ctx),
    ...failedDrillCleanupStates(ctx),
    RecoveryFailed: { Type: 'Fail', Error: 'RecoveryFailed', CausePath: '$.failure.Cause' },
  };

  return {
    Comment: 'Disaster recovery: approve, locate data, build infrastructure, restore data, connect servers, fail over, verify and report.',
    StartAt: 'HasWorkloadField',
    // A Standard workflow may run a year; a recovery that takes more than two days needs a person.
    TimeoutSeconds: 2 * 24 * 3600,
    States: states,
  };
}

import type { State } from '../asl';
import { ifPresent, resolveWorkloadStates, type RecoveryDefinitionProps, type RecoveryWorkload, type StepContext } from './common';
import { infrastructureConfig, terraformRunPolling } from './terraform-cloud';

/** `$.config` of a workload: what the later steps read of it. */
function workloadConfig(w: RecoveryWorkload, props: RecoveryDefinitionProps): Record<string, unknown> {
  return {
    workload: w.name,
    accountId: w.accountId,
    approvalRequired: w.approvalRequired,
    rpoMinutes: w.rpoMinutes,
    resourceTypes: w.resourceTypes,
    servers: w.servers.map((s) => ({ role: s.role, autoScalingGroupName: s.autoScalingGroupName, size: s.size, maxSize: s.maxSize })),
    autoScalingGroupNames: w.servers.map((s) => s.autoScalingGroupName),
    failover: w.failover ?? null,
    // Absent (not null) without an alarm: NeedsHealthCheck tests IsPresent, and a null field is present.
    ...(w.healthAlarmName ? { healthAlarmName: w.healthAlarmName } : {}),
    startCommand: w.startCommand,
    mountRoot: w.mountRoot,
    target: {
      ...props.target,
      nameSuffix: props.target.nameSuffix ?? 'dr',
      // Only where set: the example's definition stays as it was.
      ...(w.fsx?.windowsDirectoryId ? { windowsDirectoryId: w.fsx.windowsDirectoryId } : {}),
      ...(w.fsx?.ontapStorageVirtualMachineId ? { ontapStorageVirtualMachineId: w.fsx.ontapStorageVirtualMachineId } : {}),
    },
    // Only where some workload builds through Terraform Cloud (HowToBuild reads it).
    ...(terraformRunPolling(props) ? { infrastructure: infrastructureConfig(w, props) } : {}),
  };
}

/**
 * The input: the workload, by name (manual, schedule) or by the incident's account (event), its
 * configuration into `$.config`, the mode, and the point in time (default: the execution's start).
 */
export function inputStates({ props }: StepContext): Record<string, State> {
  const states: Record<string, State> = {};
  // A Choice rule on a missing Variable fails the execution (States.Runtime), and the DR bus rule's
  // input has no "workload": test for the field first.
  states.HasWorkloadField = ifPresent('$.workload', 'ResolveWorkload', 'HasIncidentAccount');
  states.HasIncidentAccount = ifPresent('$.incident.account', 'ResolveWorkloadByIncident', 'UnknownWorkload');
  states.ResolveWorkloadByIncident = {
    Type: 'Choice',
    Choices: props.workloads.map((w) => ({ Variable: '$.incident.account', StringEquals: w.accountId, Next: `Config-${w.name}` })),
    Default: 'UnknownWorkload',
  };
  Object.assign(
    states,
    resolveWorkloadStates(props.workloads, (w) => workloadConfig(w, props), 'The input names no workload of this estate (neither "workload" nor the incident account matches).', 'HasMode'),
  );
  states.HasMode = ifPresent('$.mode', 'CheckMode', 'InvalidMode');
  states.CheckMode = {
    Type: 'Choice',
    Choices: [{ Or: [{ Variable: '$.mode', StringEquals: 'failover' }, { Variable: '$.mode', StringEquals: 'drill' }], Next: 'CheckPointInTime' }],
    Default: 'InvalidMode',
  };
  states.InvalidMode = { Type: 'Fail', Error: 'InvalidInput', Cause: '"mode" must be "failover" or "drill".' };
  states.CheckPointInTime = { Type: 'Choice', Choices: [{ Variable: '$.pointInTime', IsPresent: true, Next: 'NeedsApproval' }], Default: 'DefaultPointInTime' };
  states.DefaultPointInTime = { Type: 'Pass', Parameters: { 'value.$': '$$.Execution.StartTime' }, ResultPath: '$.defaultPointInTime', Next: 'StorePointInTime' };
  states.StorePointInTime = { Type: 'Pass', InputPath: '$.defaultPointInTime.value', ResultPath: '$.pointInTime', Next: 'NeedsApproval' };
  return states;
}

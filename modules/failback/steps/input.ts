import type { State } from '../../recovery/asl';
import { ifPresent, resolveWorkloadStates } from '../../recovery/steps/common';
import type { FailbackContext, FailbackWorkload } from './common';

/** Default of `failback.graceHours` (config/schema.ts DEFAULT_FAILBACK_GRACE_HOURS). */
const DEFAULT_GRACE_HOURS = 72;

/** `$.config` of a workload: what the later steps read of it. */
function workloadConfig(w: FailbackWorkload): Record<string, unknown> {
  return {
    workload: w.name,
    accountId: w.accountId,
    region: w.region,
    freeze: w.freeze,
    localVaultName: w.localVault.name,
    localVaultArn: w.localVault.arn,
    localRetentionDays: w.localRetentionDays,
    failbackRoleArn: w.failbackRoleArn,
    backupRoleArn: w.backupRoleArn,
    // Merged into the restore metadata of each type (States.JsonMerge): the workload's network and key,
    // never the DR landing zone's that the recovery point was taken in. Metadata values are strings.
    restoreOverrides: {
      EC2: { SubnetId: w.subnetIds[0], SecurityGroupIds: JSON.stringify(w.securityGroupIds) },
      DynamoDB: { encryptionType: 'KMS', kmsMasterKeyArn: w.kmsKeyArn },
    },
    // Mount targets of restored EFS file systems (steps/reconnect.ts).
    subnetIds: w.subnetIds,
    securityGroupIds: w.securityGroupIds,
    // After the restore (steps/locate.ts, switch-back.ts, cleanup.ts).
    serverGroups: w.serverGroups ?? [],
    serverGroupNames: (w.serverGroups ?? []).map((g) => g.name),
    ...(w.dnsRecord ? { dnsRecord: w.dnsRecord } : {}),
    ...(w.connectRunbook ? { connectRunbook: w.connectRunbook } : {}),
    ...(w.healthAlarmName ? { healthAlarmName: w.healthAlarmName } : {}),
    graceSeconds: (w.graceHours ?? DEFAULT_GRACE_HOURS) * 3600,
  };
}

/**
 * The input: `{ workload, resourceArns? }`, the workload by name and optionally the ARNs of the
 * resources that production runs on in the DR account; without them they are found by their
 * `dr:workload` tag (steps/locate.ts). The workload's configuration goes into `$.config`.
 */
export function failbackInputStates({ props }: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.HasWorkloadField = ifPresent('$.workload', 'ResolveWorkload', 'UnknownWorkload');
  Object.assign(states, resolveWorkloadStates(props.workloads, workloadConfig, 'The input names no workload of this estate with failback configured ("workload").', 'HasResources'));
  states.HasResources = ifPresent('$.resourceArns[0]', 'RequestApproval', 'LocateDrResources');
  return states;
}

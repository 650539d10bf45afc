/**
 * The failback state machine exactly as synthesized (the DR stack's `<name>-failback`), and what the
 * rehearsal's model of the workload account needs of the workload's stack: its local vault's key, its
 * failback role, its backup role, its connect runbook (step Reconnect, when synthesized).
 */
import { EstateNames, workloadRegion, workloadStackName } from '../../config/naming';
import type { EstateConfig } from '../../config/schema';
import type { StateMachineDefinition } from '../../modules/recovery/asl';
import { readStack, replaceTokens, roleArnFromReference, validateDefinition, type SynthesizedRecovery } from '../estate';

type Workload = EstateConfig['workloads'][number];

export interface SynthesizedFailback {
  readonly definition: StateMachineDefinition;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly executionRoleArn: string;
  /** The failback's AWS Backup role in the DR account (final backups, copies). */
  readonly backupRoleArn: string;
  readonly workloadRegionCallName: string;
  /** The workload account, its region and what lives there. */
  readonly workload: {
    readonly name: string;
    readonly accountId: string;
    readonly region: string;
    readonly failbackRoleArn: string;
    readonly backupRoleArn: string;
    readonly localVaultName: string;
    readonly localVaultArn: string;
    readonly localVaultKey: string;
    /** The connect runbook of the workload account (step Reconnect), when the workload stack has one. */
    readonly connectDocumentName?: string;
    readonly connectRunbookRoleArn?: string;
  };
  /** Whether the definition reconnects in the primary region (attaches restored volumes there). */
  readonly reconnects: boolean;
}

/** Reads the failback machine of `workload` from the synthesized output of `synthesized`. */
export function synthesizedFailback(synthesized: SynthesizedRecovery, workload: Workload): SynthesizedFailback {
  const { config } = synthesized;
  if (!workload.failback) throw new Error(`workload ${workload.name} has no failback configured (workloads[].failback): --mode failback needs it`);
  const names = new EstateNames(config);
  const region = config.regions.recovery;
  const dr = config.accounts.dr.id;
  const resources = readStack(synthesized.synthDir, 'dr').resource;
  const machine = Object.values(resources.aws_sfn_state_machine ?? {}).find((m) => m.name === names.failbackStateMachineName);
  if (!machine) throw new Error(`no state machine ${names.failbackStateMachineName} in the synthesized DR stack`);
  const definition = replaceTokens(JSON.parse(String(machine.definition)) as StateMachineDefinition, { ...synthesized.fakeIds });
  validateDefinition(definition);

  const wr = workloadRegion(config, workload);
  const localVaultName = names.workloadVaultName(workload.name);
  const localVaultArn = names.workloadVaultArn(workload);
  const workloadStack = readWorkloadStack(synthesized.synthDir, workload.name);
  const runbook = Object.values(workloadStack?.aws_ssm_document ?? {}).find((d) => String(d.name).endsWith('-connect-servers'));
  const runbookRole = runbook ? (JSON.parse(String(runbook.content)) as { parameters?: { AutomationAssumeRole?: { default?: string } } }).parameters?.AutomationAssumeRole?.default : undefined;
  return {
    definition,
    stateMachineName: String(machine.name),
    stateMachineArn: `arn:aws:states:${region}:${dr}:stateMachine:${machine.name}`,
    executionRoleArn: roleArnFromReference(resources, String(machine.role_arn), dr),
    backupRoleArn: names.failbackBackupRoleArn,
    workloadRegionCallName: names.failbackWorkloadRegionCallFunctionName,
    workload: {
      name: workload.name,
      accountId: workload.accountId,
      region: wr,
      failbackRoleArn: names.workloadFailbackRoleArn(workload),
      backupRoleArn: `arn:aws:iam::${workload.accountId}:role/${names.workloadBackupRoleName(workload.name)}`,
      localVaultName,
      localVaultArn,
      localVaultKey: synthesized.policies.vaultKeyArn(localVaultArn),
      ...(runbook ? { connectDocumentName: String(runbook.name) } : {}),
      ...(runbookRole && /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(runbookRole) ? { connectRunbookRoleArn: runbookRole } : {}),
    },
    reconnects: JSON.stringify(definition).includes('ec2:AttachRestoredVolume'),
  };
}

/** The workload stack's resources, if synthesized. */
function readWorkloadStack(synthDir: string, workload: string): Record<string, Record<string, Record<string, any>>> | undefined {
  try {
    return readStack(synthDir, workloadStackName(workload)).resource;
  } catch {
    return undefined;
  }
}

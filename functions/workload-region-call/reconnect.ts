/**
 * The reconnect operations of workload-region-call (failback step Reconnect, modules/failback/steps/reconnect.ts):
 *
 *  - `ec2:AttachRestoredVolume`: attach one restored EBS volume to the restored instance with its
 *    `dr:server` tag, at its `dr:device`, in the workload's account and region. Not an API of its own:
 *    the attach-restored-volume function's logic (functions/attach-restored-volume/logic.ts, reused, never
 *    copied), given an EC2 client built from the failback role's credentials in the workload's region. It
 *    is idempotent (a volume already attached to that instance answers `already-attached`), so a retried
 *    Task attaches every volume exactly once.
 *  - `ssm:StartAutomationExecution` and `ssm:GetAutomationExecution`: start the workload's connect
 *    runbook (the configured document only, with its own AutomationAssumeRole) and track it; an
 *    execution of any other document is refused.
 *
 * Each has a `refuse` check, made before any role is assumed: a call it refuses is never made.
 */
import { GetAutomationExecutionCommand, StartAutomationExecutionCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Logger } from '../aws-call';
import { attachRestoredVolume, type AttachOptions } from '../attach-restored-volume/logic';
import type { WorkloadTarget } from './input';

/** `arn:<partition>:ec2:<region>:<account>:volume/vol-...` */
const VOLUME_ARN = /^arn:aws[a-z-]*:ec2:([a-z0-9-]+):(\d{12}):volume\/vol-[0-9a-f]{8,17}$/;
/** SSM automation execution IDs are UUIDs. */
const EXECUTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * How long the attach logic waits, within the function's timeout (modules/failback/workload-region-call.ts):
 * at most 20 checks 3 s apart while the volume is `creating`, and 20 after AttachVolume.
 */
export const ATTACH_OPTIONS: Partial<AttachOptions> = { pollIntervalMs: 3000, maxAvailableChecks: 20, maxAttachChecks: 20 };

const accountOfRole = (roleArn: string) => roleArn.split(':')[4];
const keysOf = (parameters: Record<string, unknown>) => Object.keys(parameters).sort();

/** Why `ec2:AttachRestoredVolume` with `parameters` is refused for `target`, or undefined. */
export function refuseAttach(target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  const extra = keysOf(parameters).filter((k) => k !== 'VolumeArn' && k !== 'RestoreJobId');
  if (extra.length > 0) return `ec2:AttachRestoredVolume takes VolumeArn and RestoreJobId only, not ${extra.join(', ')}`;
  const arn = parameters.VolumeArn;
  const match = typeof arn === 'string' ? VOLUME_ARN.exec(arn) : null;
  if (!match) return `VolumeArn must be an EBS volume ARN, got ${JSON.stringify(arn)}`;
  if (match[1] !== target.region || match[2] !== accountOfRole(target.roleArn)) {
    return `volume ${arn} is not in workload ${target.workload}'s account ${accountOfRole(target.roleArn)} and region ${target.region}`;
  }
  if (parameters.RestoreJobId !== undefined && typeof parameters.RestoreJobId !== 'string') return 'RestoreJobId must be a string';
  return undefined;
}

/**
 * Attaches the volume through the attach-restored-volume logic, as the restore event of its restore
 * job (COMPLETED, EBS) would. No recovery point is named: the volume must carry its `dr:*` tags itself
 * (the failback restore copies them: CopySourceTagsToRestoredResource), which the failback role's
 * AttachVolume condition requires anyway. An AWS error keeps its code as the error's name.
 */
export async function attachInWorkloadRegion(
  ec2: EC2Client,
  backup: BackupClient,
  parameters: Record<string, unknown>,
  deps: { readonly logger: Logger; readonly sleep?: (ms: number) => Promise<void> },
): Promise<object> {
  const event = {
    source: 'aws.backup',
    'detail-type': 'Restore Job State Change',
    detail: {
      status: 'COMPLETED',
      resourceType: 'EBS',
      createdResourceArn: parameters.VolumeArn,
      ...(typeof parameters.RestoreJobId === 'string' ? { restoreJobId: parameters.RestoreJobId } : {}),
    },
  };
  try {
    return await attachRestoredVolume(event, { ec2, backup, logger: deps.logger, ...(deps.sleep ? { sleep: deps.sleep } : {}), options: ATTACH_OPTIONS });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) throw Object.assign(new Error((error as Error).message, { cause: error }), { name: code });
    throw error;
  }
}

/** Why `ssm:StartAutomationExecution` with `parameters` is refused for `target`, or undefined. */
export function refuseStartRunbook(target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  if (!target.connectDocumentName) return `workload ${target.workload} has no connect runbook configured`;
  if (parameters.DocumentName !== target.connectDocumentName) {
    return `document ${JSON.stringify(parameters.DocumentName)} is not the connect runbook configured for workload ${target.workload} (${target.connectDocumentName})`;
  }
  const extra = keysOf(parameters).filter((k) => k !== 'DocumentName' && k !== 'Parameters');
  if (extra.length > 0) return `ssm:StartAutomationExecution takes DocumentName and Parameters only, not ${extra.join(', ')}`;
  const runbookParameters = parameters.Parameters;
  if (runbookParameters !== undefined && (typeof runbookParameters !== 'object' || runbookParameters === null || Array.isArray(runbookParameters))) return 'Parameters must be an object';
  // The runbook runs as the role its document names by default, never one the caller chooses.
  if (runbookParameters && 'AutomationAssumeRole' in runbookParameters) return 'Parameters.AutomationAssumeRole is the document\'s own: it may not be given';
  return undefined;
}

export function startRunbook(ssm: SSMClient, parameters: Record<string, unknown>): Promise<object> {
  return ssm.send(new StartAutomationExecutionCommand({ DocumentName: parameters.DocumentName as string, Parameters: parameters.Parameters as Record<string, string[]> | undefined }));
}

/** Why `ssm:GetAutomationExecution` with `parameters` is refused for `target`, or undefined. */
export function refuseDescribeRunbook(target: WorkloadTarget, parameters: Record<string, unknown>): string | undefined {
  if (!target.connectDocumentName) return `workload ${target.workload} has no connect runbook configured`;
  const extra = keysOf(parameters).filter((k) => k !== 'AutomationExecutionId');
  if (extra.length > 0) return `ssm:GetAutomationExecution takes AutomationExecutionId only, not ${extra.join(', ')}`;
  if (typeof parameters.AutomationExecutionId !== 'string' || !EXECUTION_ID.test(parameters.AutomationExecutionId)) {
    return `AutomationExecutionId must be an automation execution ID, got ${JSON.stringify(parameters.AutomationExecutionId)}`;
  }
  return undefined;
}

export function describeRunbook(ssm: SSMClient, parameters: Record<string, unknown>): Promise<object> {
  return ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: parameters.AutomationExecutionId as string }));
}

/**
 * GetAutomationExecution is authorized on every execution of the account (resource
 * `automation-execution/*`: its ID is known only once started), so the answer is checked: an execution
 * of another document is refused, and not handed to the state machine.
 */
export function refuseRunbookAnswer(target: WorkloadTarget, output: object): string | undefined {
  const documentName = (output as { AutomationExecution?: { DocumentName?: unknown } }).AutomationExecution?.DocumentName;
  return documentName === target.connectDocumentName ? undefined : `automation execution of document ${JSON.stringify(documentName)}, not workload ${target.workload}'s connect runbook ${target.connectDocumentName}`;
}

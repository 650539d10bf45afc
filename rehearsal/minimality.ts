/**
 * Least privilege, the other way round: every statement of a recovery role is needed by some call of
 * the rehearsal's scenarios (removing it makes a recorded request denied, which fails the scenario's
 * "every AWS call authorized" check), or it carries a stated reason in {@link UNEXERCISED_STATEMENTS}.
 */
import { Authorizer, type Evaluation } from './authorization';
import type { PolicyModel } from '../simulation/policy-model';

/**
 * Statements the scenarios cannot reach, per role (name without the estate prefix) and Sid, with why
 * they are there. A statement listed here that a scenario does need is an error (the list goes stale).
 */
export const UNEXERCISED_STATEMENTS: Record<string, Record<string, string>> = {
  // Every bundled function: used by the Lambda service and runtime, not by the function's logic.
  '*function*': {
    WriteOwnLogs: 'Lambda writes the function log with the execution role (the rehearsal runs the logic, not the runtime)',
    Tracing: 'the X-Ray daemon of the Lambda runtime sends segments with the execution role',
    SendFailedEventsToOwnDlq: 'Lambda sends a failed asynchronous event to the DLQ with the execution role after its retries',
    DecryptOwnEnvironment: 'Lambda decrypts the environment variables with the execution role at cold start',
  },
  'recovery-orchestrator': {
    DeliverExecutionLogs: 'Step Functions delivers execution logs to CloudWatch Logs with the execution role (not a Task call)',
    Tracing: 'Step Functions sends X-Ray traces with the execution role (not a Task call)',
    AssumeCentralCopyStarter: 'copies from the locked central vault (needed with centralVault.kind locked); with both, recovery restores in place from the air-gapped vault instead',
    RestoreFromRestoreVault: 'the DR restore vault path (needed with centralVault.kind locked and both); with airGapped nothing is copied into the DR vault',
    RestoreInPlaceFromAirGappedVault: 'in-place restores from the air-gapped vault (needed with airGapped); with both, the DR vault holds the newest copies in these scenarios',
  },
  'recovery-locate-recovery-points': {
    ReadRecoveryPointTags: 'tags of the DR restore vault points (needed with centralVault.kind locked and both); with airGapped that vault stays empty',
  },
  'recovery-prepare-restore': {
    ReadRestoreMetadata: 'metadata of the DR restore vault points (needed with centralVault.kind locked and both); with airGapped that vault stays empty',
    ReadSharedAirGappedVaultPoints: 'metadata of air-gapped points restored in place (needed with airGapped); with both, the DR vault holds the newest copies in these scenarios',
  },
  'attach-restored-volume': {
    ReadRecoveryPointTags: "the logic's fallback when a restored volume lacks its dr:* tags (restores copy the source tags, CopySourceTagsToRestoredResource): unit-tested in functions/attach-restored-volume; EBS points in the DR vault are snapshots, read with DescribeSnapshots",
    ReadSharedAirGappedRecoveryPointTags: "the same fallback for a volume restored in place from the air-gapped vault, whose points have AWS Backup ARNs (ListTags)",
    UseRestoredVolumeKeyThroughEc2Grants: "volumes restored from the DR vault carry its key (needed with centralVault.kind locked and both); restored in place from the air-gapped vault they do not",
    UseRestoredVolumeKeyThroughEc2: 'as UseRestoredVolumeKeyThroughEc2Grants',
  },
  'central-copy-starter': {
    StartCopyFromCentralVault: 'copies from the locked central vault (needed with centralVault.kind locked); with both, recovery restores in place from the air-gapped vault instead',
    TrackCopyJobs: 'as StartCopyFromCentralVault',
    PassCopyServiceRoleToAwsBackupOnly: 'as StartCopyFromCentralVault',
  },
};

export interface StatementUse {
  readonly role: string;
  readonly policyId: string;
  readonly sid: string;
  /** A request that is denied without the statement (needed), or the stated reason. */
  readonly needed?: { readonly step: string; readonly action: string; readonly resource: string };
  readonly reason?: string;
}

/** The reason a statement of `role` may stay without a scenario that needs it, if any. */
export function statedReason(estateName: string, role: string, sid: string, isFunction: boolean): string | undefined {
  const name = role.split('/').pop()?.slice(estateName.length + 1) ?? '';
  return UNEXERCISED_STATEMENTS[name]?.[sid] ?? (isFunction ? UNEXERCISED_STATEMENTS['*function*'][sid] : undefined);
}

/**
 * For each inline statement of each role: re-evaluates the role's requests of `evaluations` (all
 * allowed in the unmodified output) without that statement; the first one denied shows it is needed.
 */
export async function statementUses(policies: PolicyModel, roles: readonly string[], evaluations: readonly Evaluation[], reasonOf: (role: string, sid: string) => string | undefined): Promise<StatementUse[]> {
  const out: StatementUse[] = [];
  for (const role of roles) {
    const requests = dedupe(evaluations.filter((e) => e.allowed && e.principal === role));
    for (const policy of policies.identityPoliciesOf(role)) {
      for (const [index, statement] of policy.document.Statement.entries()) {
        const sid = statement.Sid ?? String(index + 1);
        const without = new Authorizer(policies.withoutStatements(policy.id, sid));
        let needed: StatementUse['needed'];
        for (const e of requests) {
          const outcome = await without.evaluate(role, e.request);
          if (outcome.decision !== 'Allowed') {
            needed = { step: e.step, action: e.request.action, resource: e.request.resource };
            break;
          }
        }
        out.push({ role, policyId: policy.id, sid, ...(needed ? { needed } : { reason: reasonOf(role, sid) }) });
      }
    }
  }
  return out;
}

function dedupe(evaluations: readonly Evaluation[]): Evaluation[] {
  const seen = new Map<string, Evaluation>();
  for (const e of evaluations) {
    const key = JSON.stringify([e.principal, e.request]);
    if (!seen.has(key)) seen.set(key, e);
  }
  return [...seen.values()];
}

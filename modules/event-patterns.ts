import type { RestoreEvent } from '../functions/attach-restored-volume/event';
import { EXPECTED_DETAIL_TYPE, EXPECTED_SOURCE, type RestoreJobDetailField, type RestoreJobEvent } from '../functions/restore-job-event';
import type { RestoreTestEvent } from '../functions/validate-restore/event';
import { DESTRUCTIVE_VAULT_ACTIONS } from './protected-backup-vault';

/**
 * EventBridge event patterns of the estate, as pure data so that tests can match them against the
 * event shapes AWS documents.
 */
export type EventPattern = { [key: string]: unknown[] | EventPattern | EventPattern[] };

/**
 * The `detail` of a pattern routing restore job events to the function whose events are `E`: only the
 * fields its schema reads (functions/restore-job-event.ts), so that a field renamed or misspelt on
 * either side does not compile.
 */
const restoreJobDetailPattern =
  <E extends RestoreJobEvent>() =>
  (detail: { readonly [K in RestoreJobDetailField<E>]?: unknown[] }): EventPattern =>
    detail as EventPattern;

/** AWS Backup job states that mean a backup, copy or restore did not happen. */
export const FAILED_JOB_STATES = ['FAILED', 'ABORTED', 'EXPIRED'];

/** An AWS Health issue (not a scheduled change or an account notification) for one service. */
export function healthIssuePattern(service: string, eventTypeCodes: string[]): EventPattern {
  return {
    source: ['aws.health'],
    'detail-type': ['AWS Health Event'],
    detail: { service: [service], eventTypeCategory: ['issue'], eventTypeCode: [...eventTypeCodes].sort() },
  };
}

/**
 * Failed backup, copy and restore jobs. Backup and copy job events carry `detail.state`; restore job
 * events carry `detail.status`: match either.
 */
export function failedBackupJobPattern(): EventPattern {
  return {
    source: ['aws.backup'],
    'detail-type': ['Backup Job State Change', 'Copy Job State Change', EXPECTED_DETAIL_TYPE],
    detail: { $or: [{ state: FAILED_JOB_STATES }, { status: FAILED_JOB_STATES }] },
  };
}

/**
 * Calls (allowed or denied) that would weaken a vault: policy and lock changes, recovery point
 * deletion and lifecycle changes. Needs CloudTrail management events in the account (an organization
 * trail is enough).
 */
export function vaultChangePattern(): EventPattern {
  return {
    source: ['aws.backup'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['backup.amazonaws.com'], eventName: DESTRUCTIVE_VAULT_ACTIONS.map((a) => a.replace(/^backup:/, '')) },
  };
}

/** An estate alarm (name starting with `prefix`) going into ALARM. */
export function alarmPattern(alarmNamePrefix: string): EventPattern {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { alarmName: [{ prefix: alarmNamePrefix }], state: { value: ['ALARM'] } },
  };
}

/** Everything the estate forwards to the DR bus: every such event is an incident for on-call. */
export function incidentPattern(): EventPattern {
  return { source: ['aws.backup', 'aws.cloudwatch', 'aws.health'] };
}

/**
 * Incidents that should start recovery: AWS Health issues for the configured services and codes, and
 * alarms marked `triggersRecovery`.
 */
export function recoveryPattern(healthCodes: Record<string, string[]>, recoveryAlarmNames: string[]): EventPattern {
  const services = Object.keys(healthCodes).sort();
  const alternatives: EventPattern[] = [];
  if (services.length > 0) {
    alternatives.push({
      source: ['aws.health'],
      'detail-type': ['AWS Health Event'],
      detail: { service: services, eventTypeCategory: ['issue'], eventTypeCode: [...new Set(services.flatMap((s) => healthCodes[s]))].sort() },
    });
  }
  if (recoveryAlarmNames.length > 0) {
    alternatives.push({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [...recoveryAlarmNames].sort(), state: { value: ['ALARM'] } },
    });
  }
  if (alternatives.length === 0) throw new Error('recoveryPattern needs at least one Health service or recovery alarm');
  return alternatives.length === 1 ? alternatives[0] : { $or: alternatives };
}

/**
 * A completed AWS Backup restore of one resource type (restore events carry `detail.status`), not
 * started by restore testing: those carry `detail.restoreTestingPlanArn` and are validated, then
 * deleted, by restore testing ({@link restoreTestJobPattern}); they never belong to a recovery.
 */
export function restoreCompletedPattern(resourceType: string): EventPattern {
  return {
    // What attach-restored-volume's schema expects (functions/restore-job-event.ts).
    source: [EXPECTED_SOURCE],
    'detail-type': [EXPECTED_DETAIL_TYPE],
    detail: restoreJobDetailPattern<RestoreEvent>()({ resourceType: [resourceType], status: ['COMPLETED'], restoreTestingPlanArn: [{ exists: false }] }),
  };
}

/**
 * Restore jobs that one of the given restore testing plans started, in one of `statuses`. Their events
 * carry `detail.restoreTestingPlanArn` (`arn:<partition>:backup:<region>:<account>:restore-testing-plan:<name>-<id>`);
 * restores started otherwise (the recovery state machine, an operator) carry none and never match.
 */
export function restoreTestJobPattern(planArnPrefixes: string[], statuses: string[]): EventPattern {
  if (planArnPrefixes.length === 0) throw new Error('restoreTestJobPattern needs at least one restore testing plan ARN prefix');
  if (statuses.length === 0) throw new Error('restoreTestJobPattern needs at least one restore job status');
  return {
    // What validate-restore's schema expects (functions/restore-job-event.ts).
    source: [EXPECTED_SOURCE],
    'detail-type': [EXPECTED_DETAIL_TYPE],
    detail: restoreJobDetailPattern<RestoreTestEvent>()({ restoreTestingPlanArn: [...new Set(planArnPrefixes)].sort().map((prefix) => ({ prefix })), status: [...statuses] }),
  };
}

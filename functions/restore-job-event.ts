import { describeType, isRecord } from './input-values';

/**
 * The envelope of AWS Backup's `Restore Job State Change` events, shared by the functions that react to
 * them (attach-restored-volume, validate-restore); each reads its own fields of `detail`.
 */
export const EXPECTED_SOURCE = 'aws.backup';
export const EXPECTED_DETAIL_TYPE = 'Restore Job State Change';

export class MalformedEventError extends Error {
  constructor(message: string) {
    super(`Malformed event: ${message}`);
    this.name = 'MalformedEventError';
  }
}

/**
 * The `detail` of a restore job event, or why the event is ignored (another source or detail-type).
 * Throws {@link MalformedEventError} when the event is not an object with a `detail` object.
 */
export function restoreJobDetail(event: unknown): { readonly kind: 'detail'; readonly detail: Record<string, unknown> } | { readonly kind: 'ignored'; readonly reason: string } {
  if (!isRecord(event)) throw new MalformedEventError(`expected an EventBridge event object, got ${describeType(event)}`);
  const detail = event.detail;
  if (!isRecord(detail)) {
    throw new MalformedEventError(detail === undefined ? '"detail" is missing' : `"detail" must be an object, got ${describeType(detail)}`);
  }

  // The rule already matches these; an event with other values was not meant for the function.
  const source = event.source;
  if (source !== undefined && source !== EXPECTED_SOURCE) return { kind: 'ignored', reason: `source ${JSON.stringify(source)} is not "${EXPECTED_SOURCE}"` };
  const detailType = event['detail-type'];
  if (detailType !== undefined && detailType !== EXPECTED_DETAIL_TYPE) {
    return { kind: 'ignored', reason: `detail-type ${JSON.stringify(detailType)} is not "${EXPECTED_DETAIL_TYPE}"` };
  }
  return { kind: 'detail', detail };
}

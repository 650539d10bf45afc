/**
 * The event path beside the state machine: the "Restore Job State Change" events the model emits,
 * matched against the synthesized rule and delivered to attach-restored-volume (once, twice, or
 * lost; a failed invocation retried as Lambda retries asynchronous events, then dead-lettered).
 */
import { matchesEventPattern } from '../../simulation/event-pattern';
import { shortArn, type BackupEvent } from '../dr-account';
import type { FunctionError } from '../functions';
import type { Rehearsal } from './setup';

export interface EventPath {
  /** What became of the events: emitted, matched by the rule, delivered, lost; the function's outcomes and errors. */
  readonly events: { emitted: number; matched: number; delivered: number; lost: number; outcomes: Record<string, number>; errors: string[] };
  /** Deliveries still to come or under way: the rehearsal ends once there are none. */
  pending(): number;
}

/** Delivers the model's restore events as EventBridge would, from now on. */
export function connectEventPath(rehearsal: Rehearsal): EventPath {
  const { options, random, synthesized, clock, timeline, model, runner } = rehearsal;
  const { config } = synthesized;
  const attachFn = synthesized.functions[`${config.name}-attach-restored-volume`];
  const events = { emitted: 0, matched: 0, delivered: 0, lost: 0, outcomes: {} as Record<string, number>, errors: [] as string[] };
  let pendingDeliveries = 0;
  let lostBudget = options.lostEvents ?? 0;
  const duplicate = options.duplicateEvents ?? true;
  const deliver = (event: BackupEvent, label: string, attempt: number) => {
    pendingDeliveries++;
    const detail = event.detail as Record<string, string>;
    runner
      .invoke(attachFn.arn, event)
      .then((out) => {
        const outcome = (out as { outcome?: string })?.outcome ?? 'unknown';
        events.outcomes[outcome] = (events.outcomes[outcome] ?? 0) + 1;
        timeline.emit('EventPath', `${label}: attach-restored-volume → ${outcome} (${shortArn(detail.createdResourceArn)})`);
      })
      .catch((error: FunctionError) => {
        // Asynchronous invocation: Lambda retries a failed event twice (1 min, then 2 min later), then the DLQ.
        events.errors.push(`${label} (attempt ${attempt}): ${error.errorMessage ?? String(error)}`);
        timeline.emit('EventPath', `${label}: attach-restored-volume failed (attempt ${attempt}): ${error.errorMessage ?? error}`);
        if (attempt < 3) {
          pendingDeliveries++;
          clock.after(attempt * 60_000, () => {
            pendingDeliveries--;
            deliver(event, label, attempt + 1);
          });
        } else {
          events.outcomes['dead-letter'] = (events.outcomes['dead-letter'] ?? 0) + 1;
        }
      })
      .finally(() => pendingDeliveries--);
  };
  model.onEvent((event) => {
    events.emitted++;
    if (!matchesEventPattern(synthesized.ebsRestoreCompletedPattern, event)) return;
    events.matched++;
    const detail = event.detail as Record<string, string>;
    if (lostBudget > 0) {
      lostBudget--;
      events.lost++;
      timeline.emit('EventPath', `restore-completed event of ${shortArn(detail.createdResourceArn)} LOST (never delivered)`);
      return;
    }
    const first = (options.eventDelaySeconds ?? 1 + 9 * random()) * 1000;
    const second = duplicate ? first + (options.duplicateDelaySeconds ?? 5 + 175 * random()) * 1000 : undefined;
    const at = new Map<number, string[]>();
    at.set(first, ['event']);
    if (second !== undefined) at.set(second, [...(at.get(second) ?? []), 'duplicate event']);
    for (const [delay, labels] of at) {
      pendingDeliveries++;
      clock.after(delay, () => {
        pendingDeliveries--;
        // Deliveries due at the same moment run concurrently.
        for (const label of labels) {
          events.delivered++;
          deliver(event, label, 1);
        }
      });
    }
  });
  return { events, pending: () => pendingDeliveries };
}

/** SNS in the model: what is published to the on-call topic. */
import { ModelError } from './services';
import type { AccountState, Handler } from './state';

/** SNS's API in the model, keyed `sns:<action>`. */
export function snsHandlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['sns:publish'] = (input, principal) => {
    if (input.TopicArn !== e.onCallTopicArn) throw new ModelError('sns', 'NotFoundException', `Topic does not exist: ${input.TopicArn}`);
    if (input.Subject !== undefined && (typeof input.Subject !== 'string' || input.Subject.length > 99 || /[\r\n]/.test(input.Subject))) {
      throw new ModelError('sns', 'InvalidParameterException', 'Invalid parameter: Subject');
    }
    const message = String(input.Message ?? '');
    if (message.length === 0 || Buffer.byteLength(message, 'utf8') > 256 * 1024) throw new ModelError('sns', 'InvalidParameterException', 'Invalid parameter: Message');
    const attributes = Object.fromEntries(Object.entries((input.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>).map(([k, v]) => [k, String(v.StringValue ?? '')]));
    model.publishes.push({ at: clock.now(), principal, topicArn: input.TopicArn, subject: input.Subject, message, attributes });
    model.note('sns', `published to ${e.onCallTopicArn.split(':').pop()}: ${input.Subject ?? message.slice(0, 60)}`);
    return { MessageId: model.uuid('msg').toLowerCase() };
  };
  return h;
}

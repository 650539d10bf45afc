/** STS in the model: AssumeRole issues temporary credentials, whose principal the model remembers. */
import { accountOfPrincipal, ModelError, roleNameOf } from './services';
import type { AccountState, Handler } from './state';

/** STS's API in the model, keyed `sts:<action>`. */
export function stsHandlers(model: AccountState): Record<string, Handler> {
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['sts:assumeRole'] = (input) => {
    const duration = input.DurationSeconds ?? 3600;
    if (typeof duration !== 'number' || duration < 900 || duration > 43200) throw new ModelError('sts', 'ValidationError', `DurationSeconds ${duration} is outside 900-43200`);
    const accessKeyId = `ASIA${model.hexId('key', 16).toUpperCase()}`;
    model.sessions.set(accessKeyId, input.RoleArn);
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: model.hexId('secret', 40), SessionToken: model.hexId('token', 64), Expiration: new Date(clock.now() + duration * 1000) },
      AssumedRoleUser: { AssumedRoleId: `AROA${model.hexId('aro', 16).toUpperCase()}:${input.RoleSessionName}`, Arn: `arn:aws:sts::${accountOfPrincipal(input.RoleArn)}:assumed-role/${roleNameOf(input.RoleArn)}/${input.RoleSessionName}` },
    };
  };
  return h;
}

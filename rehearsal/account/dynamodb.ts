/** DynamoDB in the model: the tables AWS Backup restored, described and deleted. */
import { ModelError } from './services';
import type { AccountState, Handler } from './state';

/** DynamoDB's API in the model, keyed `dynamodb:<action>`. */
export function dynamoDbHandlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['dynamodb:describeTable'] = (input) => {
    const t = model.tables.get(input.TableName);
    if (!t) throw new ModelError('dynamodb', 'ResourceNotFoundException', `Requested resource not found: Table: ${input.TableName} not found`);
    return { Table: { TableName: t.name, TableStatus: t.status, TableArn: `arn:aws:dynamodb:${e.region}:${e.drAccountId}:table/${t.name}`, ItemCount: 1 } };
  };
  h['dynamodb:deleteTable'] = (input) => {
    const t = model.tables.get(input.TableName);
    if (!t) throw new ModelError('dynamodb', 'ResourceNotFoundException', `Requested resource not found: Table: ${input.TableName} not found`);
    t.status = 'DELETING';
    model.deletions.push({ at: clock.now(), kind: 'table', id: t.name });
    model.note('deletion', `table ${t.name} deleting`);
    clock.after(60_000, () => model.tables.delete(t.name));
    return { TableDescription: { TableName: t.name, TableStatus: 'DELETING' } };
  };
  return h;
}

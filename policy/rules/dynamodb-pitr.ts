import { block, compliant, forType, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_28: DynamoDB tables have point-in-time recovery. */
export const dynamodbPitr: PolicyRule = {
  id: 'CKV_AWS_28',
  name: 'DynamoDbPointInTimeRecovery',
  fix: 'set pointInTimeRecovery: { enabled: true } on the table',
  check: forType('aws_dynamodb_table', (r) => (block(r.attributes.point_in_time_recovery)?.enabled === true ? compliant : nonCompliant('point-in-time recovery is off'))),
};

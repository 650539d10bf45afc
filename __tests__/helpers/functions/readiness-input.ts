// The example estate's readiness facts (without workloads), as the scheduler passes them and the checker parses them, in the schema's key order.
export const readinessFacts = () => ({
  estate: 'acme',
  region: 'ap-northeast-1',
  reportBucket: 'acme-dr-readiness-222222222222-ap-northeast-1',
  metricNamespace: 'DisasterRecovery/Readiness',
  recoveryMetricNamespace: 'DisasterRecovery',
  restoreVault: { name: 'acme-dr-restore', accountId: '222222222222' },
  centralVault: { name: 'acme-central', accountId: '111111111111', readerRoleArn: 'arn:aws:iam::111111111111:role/acme-central-vault-reader' },
  stateMachineArn: 'arn:aws:states:ap-northeast-1:222222222222:stateMachine:acme-recovery',
  recoveryPointLookbackDays: 35,
  drillLookbackDays: 40,
});

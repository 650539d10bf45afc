import { Testing } from 'cdktf';
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { WorkloadBackupPlan, selectionResourceArns, type WorkloadBackupPlanProps } from '../../modules/workload-backup-plan';
import { resourcesOf } from '../helpers/synth';

const central = 'arn:aws:backup:ap-northeast-1:111111111111:backup-vault:acme-central';
const props: WorkloadBackupPlanProps = {
  planName: 'acme-shop',
  selectionName: 'acme-shop-tagged',
  targetVaultName: 'acme-shop-local',
  backupRoleArn: 'arn:aws:iam::333333333333:role/acme-shop-backup',
  rules: [
    { name: 'daily', schedule: 'cron(0 17 * * ? *)', retentionDays: 120, coldStorageAfterDays: 30, copyRetentionDays: 90 },
    { name: 'pitr', schedule: 'cron(0 * * * ? *)', retentionDays: 14, copyRetentionDays: 14, continuous: true, scheduleTimezone: 'Asia/Seoul' },
  ],
  copyDestinationVaultArns: [central],
  selectionTag: { key: 'backup-plan', value: 'shop' },
  resourceTypes: ['EBS', 'S3'],
  accountId: '333333333333',
  region: 'ap-northeast-2',
  recoveryPointTags: { 'dr:workload': 'shop' },
};

function synth(p: Partial<WorkloadBackupPlanProps> = {}) {
  const out = Testing.synthScope((scope) => {
    new WorkloadBackupPlan(scope, 'Plan', { ...props, ...p });
  });
  const [plan] = resourcesOf(out, 'aws_backup_plan') as { rule: Record<string, any>[] }[];
  return { out, plan };
}

describe('WorkloadBackupPlan', () => {
  it('turns each configured rule into a plan rule targeting the local vault', () => {
    const { out, plan } = synth();
    expect(out).toHaveResourceWithProperties(BackupPlan, { name: 'acme-shop' });
    expect(plan.rule).toHaveLength(2);
    expect(plan.rule[0]).toMatchObject({
      rule_name: 'daily',
      target_vault_name: 'acme-shop-local',
      schedule: 'cron(0 17 * * ? *)',
      start_window: 60,
      completion_window: 10080,
      enable_continuous_backup: false,
      lifecycle: { delete_after: 120, cold_storage_after: 30, opt_in_to_archive_for_supported_resources: true },
      recovery_point_tags: { 'dr:workload': 'shop', 'dr:rule': 'daily' },
    });
  });

  it('copies every rule to the central vault with an explicit lifecycle (never the keep-forever default)', () => {
    const { plan } = synth({ copyDestinationVaultArns: [central, 'arn:aws:backup:ap-northeast-2:111111111111:backup-vault:acme-central'] });
    for (const rule of plan.rule) {
      expect(rule.copy_action).toHaveLength(2);
      for (const copy of rule.copy_action) expect(copy.lifecycle.delete_after).toBeGreaterThan(0);
    }
    expect(plan.rule[0].copy_action[0]).toEqual({ destination_vault_arn: central, lifecycle: { delete_after: 90 } });
  });

  it('sets continuous backup and the schedule time zone where configured, without cold storage', () => {
    const { plan } = synth();
    expect(plan.rule[1]).toMatchObject({ enable_continuous_backup: true, schedule_expression_timezone: 'Asia/Seoul', lifecycle: { delete_after: 14 } });
    expect(plan.rule[1].lifecycle).not.toHaveProperty('cold_storage_after');
  });

  it('selects resources that carry the tag AND are of an allowed type in this account and region', () => {
    const { out } = synth();
    expect(out).toHaveResourceWithProperties(BackupSelection, {
      name: 'acme-shop-tagged',
      iam_role_arn: props.backupRoleArn,
      resources: ['arn:aws:ec2:ap-northeast-2:333333333333:volume/*', 'arn:aws:s3:::*'],
      condition: [{ string_equals: [{ key: 'aws:ResourceTag/backup-plan', value: 'shop' }] }],
    });
    const [selection] = resourcesOf(out, 'aws_backup_selection');
    // ListOfTags would OR with resources and back up every volume: the tag must be a condition.
    expect(selection).not.toHaveProperty('selection_tag');
  });

  it('maps every resource type to its ARN pattern', () => {
    expect(selectionResourceArns(['RDS', 'Aurora', 'DynamoDB', 'EFS', 'FSx', 'EC2'], 'us-east-1', '555555555555')).toEqual([
      'arn:aws:rds:us-east-1:555555555555:cluster:*',
      'arn:aws:dynamodb:us-east-1:555555555555:table/*',
      'arn:aws:ec2:us-east-1:555555555555:instance/*',
      'arn:aws:elasticfilesystem:us-east-1:555555555555:file-system/*',
      'arn:aws:fsx:us-east-1:555555555555:file-system/*',
      'arn:aws:rds:us-east-1:555555555555:db:*',
    ]);
  });

  it.each([
    [{ rules: [] }, /rules must contain at least one rule/],
    [{ copyDestinationVaultArns: [] }, /copyDestinationVaultArns must name at least one vault/],
    [{ resourceTypes: [] }, /resourceTypes must list at least one type/],
  ])('rejects invalid props %j', (override, message) => {
    expect(() => synth(override as Partial<WorkloadBackupPlanProps>)).toThrow(message);
  });
});

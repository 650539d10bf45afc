import { Testing } from 'cdktf';
import { BackupFramework } from '@cdktf/provider-aws/lib/backup-framework';
import { BackupGuardrails, type BackupGuardrailsProps } from '../../modules/backup-guardrails';
import { resourcesOf } from '../helpers/synth';

const props: BackupGuardrailsProps = {
  namePrefix: 'acme-shop',
  resourceTypes: ['S3', 'DynamoDB', 'EBS'],
  copyAccountIds: ['111111111111'],
  copyRegions: ['ap-northeast-1'],
  minRetentionDays: 35,
};

function synth(p: Partial<BackupGuardrailsProps>) {
  return Testing.synthScope((scope) => {
    new BackupGuardrails(scope, 'Guardrails', { ...props, ...p });
  });
}

describe('BackupGuardrails', () => {
  it('creates nothing by default (AWS Config rules need a recorder)', () => {
    const out = synth({});
    expect(resourcesOf(out, 'aws_config_config_rule')).toEqual([]);
    expect(resourcesOf(out, 'aws_backup_framework')).toEqual([]);
  });

  it('flags unversioned buckets, tables without PITR and unprotected resources of each type', () => {
    const rules = resourcesOf(synth({ awsConfigRules: true }), 'aws_config_config_rule') as { name: string; source: { owner: string; source_identifier: string } }[];
    expect(rules.map((r) => r.source.source_identifier).sort()).toEqual([
      'DYNAMODB_PITR_ENABLED',
      'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
      'EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
      'S3_BUCKET_VERSIONING_ENABLED',
      'S3_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
    ]);
    for (const r of rules) {
      expect(r.source.owner).toBe('AWS');
      expect(r.name).toMatch(/^acme-shop-[a-z0-9-]+$/);
    }
  });

  it('checks cross-account and cross-region copies and minimum retention in an audit framework', () => {
    const out = synth({ auditFramework: true });
    expect(out).toHaveResourceWithProperties(BackupFramework, { name: 'acme_shop_dr_readiness' });
    const [framework] = resourcesOf(out, 'aws_backup_framework') as { control: { name: string; input_parameter?: { name: string; value: string }[] }[] }[];
    const control = (name: string) => framework.control.find((c) => c.name === name);
    expect(control('BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT')?.input_parameter).toEqual([{ name: 'crossAccountList', value: '111111111111' }]);
    expect(control('BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION')?.input_parameter).toEqual([{ name: 'crossRegionList', value: 'ap-northeast-1' }]);
    expect(control('BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')?.input_parameter).toEqual([{ name: 'requiredRetentionDays', value: '35' }]);
    expect(control('BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED')).toBeDefined();
  });
});

import { Construct } from 'constructs';
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { BackupFramework } from '@cdktf/provider-aws/lib/backup-framework';
import type { ResourceType } from '../config/schema';

export interface BackupGuardrailsProps {
  /** Prefix of rule names, e.g. `acme-shop`. */
  readonly namePrefix: string;
  /** Resource types the workload protects; a "protected by backup plan" check is added for each. */
  readonly resourceTypes: ResourceType[];
  /**
   * AWS Config managed rules (needs an AWS Config recorder in the account).
   * @default false
   */
  readonly awsConfigRules?: boolean;
  /**
   * AWS Backup Audit Manager framework (also needs a Config recorder).
   * @default false
   */
  readonly auditFramework?: boolean;
  /** For the framework: accounts and regions recovery points must be copied to. */
  readonly copyAccountIds: string[];
  readonly copyRegions: string[];
  /** For the framework: minimum retention of recovery points. */
  readonly minRetentionDays: number;
}

const PROTECTED_BY_PLAN_RULE: Record<ResourceType, string> = {
  EBS: 'EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  EC2: 'EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  RDS: 'RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  Aurora: 'AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  DynamoDB: 'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  S3: 'S3_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  EFS: 'EFS_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  FSx: 'FSX_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
};

/**
 * Detective guard-rails for "software fault or human error": S3 buckets without versioning, DynamoDB
 * tables without point-in-time recovery, resources no backup plan covers. Off by default, because
 * AWS Config rules and Audit Manager frameworks need an AWS Config recorder in the account.
 */
export class BackupGuardrails extends Construct {
  readonly configRuleNames: string[] = [];
  readonly framework?: BackupFramework;

  constructor(scope: Construct, id: string, props: BackupGuardrailsProps) {
    super(scope, id);
    if (props.awsConfigRules) {
      const managed = [
        'S3_BUCKET_VERSIONING_ENABLED',
        'DYNAMODB_PITR_ENABLED',
        ...[...new Set(props.resourceTypes)].sort().map((t) => PROTECTED_BY_PLAN_RULE[t]),
      ];
      for (const identifier of managed) {
        const name = `${props.namePrefix}-${identifier.toLowerCase().replace(/_/g, '-')}`;
        new ConfigConfigRule(this, identifier, { name, source: { owner: 'AWS', sourceIdentifier: identifier } });
        this.configRuleNames.push(name);
      }
    }
    if (props.auditFramework) {
      const param = (name: string, value: string) => ({ name, value });
      this.framework = new BackupFramework(this, 'AuditFramework', {
        name: `${props.namePrefix.replace(/[^A-Za-z0-9]/g, '_')}_dr_readiness`,
        description: 'Disaster-recovery readiness: coverage, encryption, cross-account and cross-region copies',
        control: [
          { name: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN' },
          { name: 'BACKUP_RECOVERY_POINT_ENCRYPTED' },
          { name: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED' },
          { name: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', inputParameter: [param('requiredRetentionDays', String(props.minRetentionDays))] },
          { name: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT', inputParameter: [param('crossAccountList', [...props.copyAccountIds].sort().join(','))] },
          { name: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION', inputParameter: [param('crossRegionList', [...props.copyRegions].sort().join(','))] },
        ],
      });
    }
  }
}

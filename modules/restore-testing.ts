import { Construct } from 'constructs';
import { BackupRestoreTestingPlan } from '@cdktf/provider-aws/lib/backup-restore-testing-plan';
import { BackupRestoreTestingSelection } from '@cdktf/provider-aws/lib/backup-restore-testing-selection';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { BackupServiceRole } from './backup-service-role';
import { KEY_USE_ACTIONS } from './backup-kms-key';
import { BundledFunction, type BundledFunctionProps } from './bundled-function';
import { DeadLetterQueue } from './dead-letter-queue';
import { EventForwardingRole } from './event-forwarding';
import { FAILED_JOB_STATES, restoreTestJobPattern, type EventPattern } from './event-patterns';
import { FunctionTrigger } from './function-trigger';
import { policyDocument, renderPolicy, type PolicyDocument, type PolicyStatement } from './policy-document';
import { DESTRUCTIVE_VAULT_ACTIONS } from './protected-backup-vault';
import { eventRuleArn, recoveryPointArnPattern, type EstateNames } from '../config/naming';
import { dnsSuffixOf, partitionOf } from '../config/regions';
import type { RestoreTestingConfig } from '../config/schema';
import { requiredActionsFor } from '../functions/validate-restore/actions';
import type { OnCallTopic } from './on-call-topic';
import { retryPolicyOf, type EventDelivery } from './event-delivery';

type RestoreTestingResourceType = RestoreTestingConfig['resourceTypes'][number];

/**
 * `ProtectedResourceType` of AWS Backup restore testing for each resource type of the configuration
 * (AWS's names: Aurora, DocumentDB, DynamoDB, EBS, EC2, EFS, FSx, Neptune, RDS, S3).
 */
export const PROTECTED_RESOURCE_TYPES: Record<RestoreTestingResourceType, string> = {
  EBS: 'EBS',
  EC2: 'EC2',
  RDS: 'RDS',
  Aurora: 'Aurora',
  DynamoDB: 'DynamoDB',
  S3: 'S3',
  EFS: 'EFS',
  FSx: 'FSx',
};

/**
 * Restore testing restores random-named resources: `awsbackup-restore-test-...` tables, buckets, DB
 * instances and clusters (AWS Backup, "Restore testing inferred metadata"). The validation function
 * may describe those only.
 */
export const RESTORE_TEST_NAME_PREFIX = 'awsbackup-restore-test';

/** Services through which the restore testing role may use the restore vault's key (as the key policy). */
const RESTORE_SERVICES = ['backup', 'ec2', 'rds', 'elasticfilesystem', 'dynamodb', 's3', 'fsx'];

export interface RestoreTestingWorkload extends RestoreTestingConfig {
  readonly name: string;
  /**
   * The workload's backup selection tag. Ignored: it is deliberately not a condition of the restore
   * testing selections (see {@link RESTORE_TESTING_SELECTION_ARNS}); callers may still pass it.
   */
  readonly selectionTag?: { readonly key: string; readonly value: string };
}

/**
 * `ProtectedResourceArns` of every restore testing selection: the wildcard, with no
 * `ProtectedResourceConditions`. Which recovery points a test may restore is then decided by the
 * plan's `IncludeVaults` alone: the DR restore vault and the shared air-gapped vault, which hold only
 * this estate's copies.
 *
 * Why not the workload's tag (`aws:ResourceTag/<key>` in `ProtectedResourceConditions`): AWS documents
 * those conditions as filters on the tags of protected resources, and does not document how they are
 * evaluated for recovery points whose protected resource lives in another account, which is every
 * recovery point here (cross-account copies in the DR restore vault; the air-gapped vault is owned by
 * the backup-vault account; every workload has its own account). A condition that matched nothing
 * would start no job, noticed only by the readiness check days later. The wildcard, with the vaults
 * chosen by `IncludeVaults`, is the documented form:
 *  - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForCreate.html
 *    (a selection is `ProtectedResourceArns` or `ProtectedResourceConditions`; `["*"]` or up to 30 ARNs)
 *  - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingRecoveryPointSelection.html
 *    ("you must indicate through IncludeVaults from which vaults the recovery points can be chosen")
 *  - https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html (restored resources
 *    are deleted once validation completes or the validation window closes)
 *  - https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/backup_restore_testing_selection
 *    (`protected_resource_arns = ["*"]` is the resource's basic example; `protected_resource_conditions`
 *    are "conditions for resource tags", keys `aws:ResourceTag/...`)
 *
 * What it means for workloads sharing the vaults: AWS documents no way to tell one workload's recovery
 * points from another's in a restore testing selection: conditions filter protected-resource tags
 * (above), not recovery point tags; `IncludeVaults`/`ExcludeVaults` work per vault and the estate's
 * vaults are shared; specific `ProtectedResourceArns` would need each resource's ARN, which the
 * tag-based backup selections do not know. So each workload's plan draws from all the estate's
 * recovery points of its resource types in those vaults, possibly another workload's. That is
 * acceptable: every point there is one of this estate's own copies; a restore test restores into the
 * DR account (the isolated landing zone, or new `awsbackup-restore-test-*` tables and buckets), never
 * touches the source, and AWS Backup deletes what it restored after the validation window; and the
 * restore testing role is denied restores outside the estate's vaults whatever the selection says.
 */
export const RESTORE_TESTING_SELECTION_ARNS: readonly string[] = ['*'];

/** Where restored resources land: the recovery landing zone (Terraform references are fine). */
export interface RestoreTestingTarget {
  readonly availabilityZones: string[];
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly dbSubnetGroupName: string;
}

export interface RestoreTestingProps {
  readonly names: EstateNames;
  /** The estate's name (`config.name`): prefix of the function and role names. */
  readonly namePrefix: string;
  /** The DR account. */
  readonly accountId: string;
  readonly region: string;
  readonly workloads: RestoreTestingWorkload[];
  /**
   * Vaults restore tests pick recovery points from: the DR restore vault, and the logically
   * air-gapped vault shared with this account when there is one.
   */
  readonly vaultArns: string[];
  /** Key of the DR restore vault, which the restore testing role may use through AWS services. */
  readonly restoreVaultKeyArn: string;
  /**
   * The landing zone, when there is one.
   * @default none: AWS Backup's defaults (the default VPC) apply
   */
  readonly target?: RestoreTestingTarget;
  /** The DR account's central event bus: failed restore tests are forwarded there (and so reach on-call). */
  readonly eventBusArn: string;
  /** Where failed validations and the alarms notify; publishing to it is granted by its owner ({@link OnCallTopic.grantPublish}). */
  readonly onCallTopicArn: string;
  /** Retry policy of the rules' targets. */
  readonly delivery: EventDelivery;
  /** The validation function: everything of {@link BundledFunctionProps} the stack decides (entry, key, logs, ...). */
  readonly validationFunction: Omit<BundledFunctionProps, 'functionName' | 'description' | 'policyStatements' | 'environment' | 'timeout' | 'accountId' | 'region'>;
}

/** ARN prefix of a restore testing plan's ARN: AWS appends `-<id>` to the plan name. */
export function restoreTestingPlanArnPrefix(region: string, accountId: string, planName: string): string {
  return `arn:${partitionOf(region)}:backup:${region}:${accountId}:restore-testing-plan:${planName}-`;
}

/** Restore metadata overrides that put a restore test of `type` into the landing zone (values are strings; lists JSON-encoded). */
export function restoreMetadataOverrides(type: RestoreTestingResourceType, target: RestoreTestingTarget | undefined): Record<string, string> | undefined {
  if (!target) return undefined;
  const list = (values: string[]) => JSON.stringify(values);
  switch (type) {
    case 'EBS':
      // A random zone is inferred otherwise; the landing zone's first is where recovery instances run.
      return target.availabilityZones.length > 0 ? { availabilityZone: target.availabilityZones[0] } : undefined;
    case 'EC2':
      return target.subnetIds.length > 0 ? { subnetId: target.subnetIds[0], securityGroupIds: list(target.securityGroupIds) } : undefined;
    case 'RDS':
      return { dbSubnetGroupName: target.dbSubnetGroupName, vpcSecurityGroupIds: list(target.securityGroupIds) };
    case 'Aurora':
      // Up to three random zones are inferred otherwise, which need not be in the DB subnet group.
      return { dbSubnetGroupName: target.dbSubnetGroupName, vpcSecurityGroupIds: list(target.securityGroupIds), availabilityZones: list(target.availabilityZones) };
    case 'FSx':
      // Lustre, OpenZFS and Windows File Server need a subnet (Windows also an Active Directory, not inferred).
      return target.subnetIds.length > 0 ? { subnetIds: list(target.subnetIds.slice(0, 1)), securityGroupIds: list(target.securityGroupIds) } : undefined;
    default:
      // DynamoDB, S3 and EFS restore into new, randomly named resources and need no network.
      return undefined;
  }
}

/**
 * AWS Backup restore testing in the DR account, per workload: a plan that restores the newest
 * recovery points of the DR restore vault (and the shared air-gapped vault) on a schedule, one
 * selection per resource type (every recovery point of the type in those vaults, restored into the
 * landing zone),
 * the role AWS Backup restores with, a validation function that checks every completed restore test
 * and reports the verdict, and a rule that forwards failed restore tests to the DR bus, whose
 * incident rule pages on-call.
 */
export class RestoreTesting extends Construct {
  readonly role: BackupServiceRole;
  /** Inline policy of the restore testing role, beside AWS's managed restore policies. */
  readonly rolePolicy: PolicyDocument;
  readonly plans: Record<string, BackupRestoreTestingPlan> = {};
  readonly selections: BackupRestoreTestingSelection[] = [];
  readonly validateRestore: BundledFunction;
  readonly failedRule: CloudwatchEventRule;
  readonly failedPattern: EventPattern;

  constructor(scope: Construct, id: string, props: RestoreTestingProps) {
    super(scope, id);
    const { names, accountId, region } = props;
    if (props.workloads.length === 0) throw new Error(`${this.node.path}: no workload has restoreTesting`);
    if (props.vaultArns.length === 0) throw new Error(`${this.node.path}: vaultArns must name at least the DR restore vault`);
    // The selections take every recovery point of their type (ProtectedResourceArns ["*"]): the vaults
    // are all that scopes them, so they must be named, never a wildcard.
    const wildcardVaults = props.vaultArns.filter((arn) => arn.includes('*'));
    if (wildcardVaults.length > 0) throw new Error(`${this.node.path}: vaultArns must name vaults, not wildcards (${wildcardVaults.join(', ')}): they alone scope the restore testing selections`);
    const partition = partitionOf(region);

    // ---- the role AWS Backup restores with -----------------------------------------------------
    this.role = new BackupServiceRole(this, 'Role', {
      roleName: names.restoreTestingRoleName,
      accountId,
      region,
      purposes: ['restore'],
      description: 'AWS Backup role for restore tests in the DR account',
    });
    const viaServices = RESTORE_SERVICES.map((s) => `${s}.${region}.${dnsSuffixOf(region)}`);
    const vaultAccounts = [...new Set(props.vaultArns.map((arn) => arn.split(':')[4]))].sort();
    // Recovery points of the vaults restore tests read: AWS Backup's own ARNs, and in this account's
    // standard vault the service-native ones (EBS/EC2 snapshots carry no account in their ARN).
    const estateRecoveryPoints = [
      ...vaultAccounts.map((a) => recoveryPointArnPattern(region, a)),
      `arn:${partition}:ec2:${region}::snapshot/*`,
      `arn:${partition}:ec2:${region}::image/*`,
      `arn:${partition}:rds:${region}:${accountId}:snapshot:awsbackup:*`,
      `arn:${partition}:rds:${region}:${accountId}:cluster-snapshot:awsbackup:*`,
      `arn:${partition}:fsx:${region}:${accountId}:backup/*`,
    ];
    this.rolePolicy = policyDocument(
      {
        Sid: 'UseRestoreVaultKeyThroughAwsServices',
        Effect: 'Allow',
        Action: KEY_USE_ACTIONS,
        Resource: props.restoreVaultKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': viaServices } },
      },
      {
        Sid: 'GrantRestoreVaultKeyToAwsResources',
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: props.restoreVaultKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': viaServices }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      // Guards, whatever AWS's managed policies allow now or later: the role restores, it never
      // weakens a vault or a recovery point, and it is never used on recovery points outside the
      // vaults restore tests read (restore testing's service-linked role starts the jobs).
      { Sid: 'DenyWeakeningVaultsAndRecoveryPoints', Effect: 'Deny', Action: DESTRUCTIVE_VAULT_ACTIONS, Resource: '*' },
      { Sid: 'DenyRestoresOutsideEstateVaults', Effect: 'Deny', Action: 'backup:StartRestoreJob', NotResource: estateRecoveryPoints },
    );
    new IamRolePolicy(this, 'RolePolicy', { role: this.role.role.name, name: 'restore-testing', policy: renderPolicy(this.rolePolicy) });

    // ---- plans and selections ------------------------------------------------------------------
    const planArnPrefixes: string[] = [];
    for (const w of props.workloads) {
      const planName = names.restoreTestingPlanName(w.name);
      planArnPrefixes.push(restoreTestingPlanArnPrefix(region, accountId, planName));
      const plan = new BackupRestoreTestingPlan(this, `Plan-${w.name}`, {
        name: planName,
        scheduleExpression: w.schedule,
        scheduleExpressionTimezone: 'Etc/UTC',
        startWindowHours: w.startWindowHours,
        recoveryPointSelection: [
          {
            algorithm: 'LATEST_WITHIN_WINDOW',
            includeVaults: [...props.vaultArns],
            // Only snapshots reach these vaults: continuous recovery points become snapshots when copied.
            recoveryPointTypes: ['SNAPSHOT'],
            selectionWindowDays: w.selectionWindowDays,
          },
        ],
      });
      this.plans[w.name] = plan;
      for (const type of [...new Set(w.resourceTypes)]) {
        this.selections.push(
          new BackupRestoreTestingSelection(this, `Selection-${w.name}-${type}`, {
            name: names.restoreTestingSelectionName(w.name, type),
            restoreTestingPlanName: plan.name,
            protectedResourceType: PROTECTED_RESOURCE_TYPES[type],
            iamRoleArn: this.role.roleArn,
            // Every recovery point of the type in the plan's IncludeVaults (the estate's vaults), from any
            // workload; no tag condition: see RESTORE_TESTING_SELECTION_ARNS for why and for AWS's docs.
            protectedResourceArns: [...RESTORE_TESTING_SELECTION_ARNS],
            restoreMetadataOverrides: restoreMetadataOverrides(type, props.target),
            validationWindowHours: w.validationWindowHours,
          }),
        );
      }
    }

    // ---- validation of completed restore tests ------------------------------------------------
    const testedTypes = [...new Set(props.workloads.flatMap((w) => w.resourceTypes))];
    this.validateRestore = new BundledFunction(this, 'ValidateRestore', {
      ...props.validationFunction,
      accountId,
      region,
      functionName: `${props.namePrefix}-validate-restore`,
      description: 'Validates what an AWS Backup restore test restored and reports the verdict',
      // Waits (bounded) while a restored database finishes its first backup, then one verdict.
      timeout: 900,
      environment: { TOPIC_ARN: props.onCallTopicArn },
      policyStatements: validationStatements({ partition, region, accountId, testedTypes, vaultAccounts }),
    });
    new FunctionTrigger(this, 'Completed', {
      ruleName: names.eventRuleName('restore-test-completed'),
      description: 'A completed restore test of the estate: validate what it restored',
      pattern: restoreTestJobPattern(planArnPrefixes, ['COMPLETED']),
      target: this.validateRestore,
      accountId,
      region,
      delivery: props.delivery,
      alarmActions: [props.onCallTopicArn],
    });

    // ---- failed restore tests: to the DR bus, like every incident ------------------------------
    const failedRuleName = names.eventRuleName('restore-test-failed');
    this.failedPattern = restoreTestJobPattern(planArnPrefixes, FAILED_JOB_STATES);
    this.failedRule = new CloudwatchEventRule(this, 'FailedRule', {
      name: failedRuleName,
      description: 'A failed or aborted restore test of the estate: an incident for on-call (through the DR bus)',
      eventPattern: JSON.stringify(this.failedPattern),
      state: 'ENABLED',
    });
    const forwarder = new EventForwardingRole(this, 'FailedForwarder', {
      roleName: `${props.namePrefix}-restore-test-forwarder`,
      accountId,
      ruleNamePrefix: failedRuleName,
      targetBusArn: props.eventBusArn,
      partition,
    });
    const dlq = new DeadLetterQueue(this, 'FailedDeadLetters', {
      queueName: `${failedRuleName}-dlq`,
      accountId,
      region,
      sourceRuleArns: [eventRuleArn(region, accountId, failedRuleName)],
      alarmName: `${failedRuleName}-dlq-depth`,
      alarmActions: [props.onCallTopicArn],
    });
    new CloudwatchEventTarget(this, 'FailedToDrBus', {
      rule: this.failedRule.name,
      targetId: 'dr-event-bus',
      arn: props.eventBusArn,
      roleArn: forwarder.roleArn,
      retryPolicy: retryPolicyOf(props.delivery),
      deadLetterConfig: { arn: dlq.queue.arn },
    });
  }
}

/** The validation function's statements: exactly the actions its logic calls for the tested types, each as narrow as IAM allows. */
function validationStatements(p: { partition: string; region: string; accountId: string; testedTypes: string[]; vaultAccounts: string[] }): PolicyStatement[] {
  // sns:Publish (and the topic's key) come from the on-call topic's grantPublish, in the stack.
  const actions = new Set(requiredActionsFor(p.testedTypes).filter((a) => a !== 'sns:Publish'));
  const { partition, region, accountId } = p;
  const statements: PolicyStatement[] = [];
  const add = (sid: string, wanted: string[], resource: string | string[], condition?: PolicyStatement['Condition']) => {
    const granted = wanted.filter((a) => actions.has(a));
    if (granted.length > 0) statements.push({ Sid: sid, Effect: 'Allow', Action: granted.length === 1 ? granted[0] : granted, Resource: resource, ...(condition ? { Condition: condition } : {}) });
  };
  const inRegion = { StringEquals: { 'aws:RequestedRegion': region } };
  // No resource-level permissions exist for these (Service Authorization Reference): region only.
  add('ReadRestoreJobsAndReportValidation', ['backup:DescribeRestoreJob', 'backup:GetRestoreJobMetadata', 'backup:PutRestoreValidationResult'], '*', inRegion);
  add('ReadRecoveryPointTags', ['backup:ListTags'], p.vaultAccounts.map((a) => recoveryPointArnPattern(region, a)));
  add('DescribeRestoredVolumesInstancesSnapshots', ['ec2:DescribeInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeVolumes'], '*');
  add('DescribeRestoredDatabases', ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'], [
    `arn:${partition}:rds:${region}:${accountId}:cluster:${RESTORE_TEST_NAME_PREFIX}*`,
    `arn:${partition}:rds:${region}:${accountId}:db:${RESTORE_TEST_NAME_PREFIX}*`,
  ]);
  add('DescribeRestoredTables', ['dynamodb:DescribeTable'], `arn:${partition}:dynamodb:${region}:${accountId}:table/${RESTORE_TEST_NAME_PREFIX}*`);
  add('ListRestoredBuckets', ['s3:ListBucket'], `arn:${partition}:s3:::${RESTORE_TEST_NAME_PREFIX}*`);
  add('DescribeRestoredFileSystems', ['elasticfilesystem:DescribeFileSystems'], `arn:${partition}:elasticfilesystem:${region}:${accountId}:file-system/*`);
  return statements;
}

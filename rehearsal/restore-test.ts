/**
 * A restore test, rehearsed: after a rehearsal, AWS Backup restore testing restores one recovery point
 * of the DR vault (or the shared air-gapped vault) with the synthesized restore testing role; the
 * COMPLETED event is matched against the synthesized rule and delivered to validate-restore, whose
 * real logic validates the restored resource and reports the result to AWS Backup. Every call (the
 * service's use of the role and keys, the function's own) is authorized against the synthesized
 * policies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { matchesEventPattern } from '../simulation/event-pattern';
import type { Evaluation } from './authorization';
import { targetKeyOf, type ResourceType } from './dr-account';
import type { RehearsalResult } from './machine';

export interface RestoreTestRehearsal {
  readonly restoreJobId: string;
  /** What validate-restore returned (its `outcome`), or its error. */
  readonly outcome: unknown;
  readonly validationStatus?: string;
  readonly evaluations: Evaluation[];
}

interface RestoreTestingFacts {
  readonly planName: string;
  readonly roleArn: string;
  readonly overrides: Record<string, string>;
  readonly completedPattern: unknown;
}

/** The workload's restore testing plan, its selection of `type` and the validation rule, as synthesized. */
function restoreTestingOf(rehearsal: RehearsalResult, type: ResourceType): RestoreTestingFacts {
  const { synthesized } = rehearsal;
  const stack = JSON.parse(fs.readFileSync(path.join(synthesized.synthDir, 'stacks', 'dr', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, any>> };
  const selection = Object.entries(stack.resource.aws_backup_restore_testing_selection ?? {}).find(([, s]) => s.protected_resource_type === type);
  if (!selection) throw new Error(`the synthesized DR stack has no restore testing selection of ${type}`);
  const [address, s] = selection;
  const model = synthesized.policies.resources.find((r) => r.address === `aws_backup_restore_testing_selection.${address}` && r.stack === 'dr');
  const resolve = (v: string) => (model ? synthesized.policies.resolveIn(model, v) : v);
  const planName = resolve(String(s.restore_testing_plan_name));
  if (!Object.values(stack.resource.aws_backup_restore_testing_plan ?? {}).some((p) => p.name === planName)) throw new Error(`no restore testing plan ${planName} in the synthesized DR stack`);
  const rule = Object.values(stack.resource.aws_cloudwatch_event_rule ?? {}).find((r) => String(r.name).endsWith('-restore-test-completed'));
  if (!rule) throw new Error('no restore-test-completed rule in the synthesized DR stack');
  const overrides = Object.fromEntries(Object.entries((s.restore_metadata_overrides ?? {}) as Record<string, string>).map(([k, v]) => [k, resolve(String(v))]));
  return { planName, roleArn: resolve(String(s.iam_role_arn)), overrides, completedPattern: JSON.parse(String(rule.event_pattern)) };
}

/**
 * Restores the newest recovery point of `type` as restore testing would, delivers the COMPLETED event
 * to validate-restore and waits (simulated time) for its result.
 */
export async function rehearseRestoreTest(rehearsal: RehearsalResult, type: ResourceType): Promise<RestoreTestRehearsal> {
  const { model, runner, synthesized } = rehearsal;
  const facts = restoreTestingOf(rehearsal, type);
  const point = [...model.recoveryPoints.values()].filter((p) => p.resourceType === type && (p.vault === 'dr' || p.vault === 'airGapped') && p.tags['dr:workload'] === model.estate.workload).sort((a, b) => b.creationDate - a.creationDate)[0];
  if (!point) throw new Error(`no ${type} recovery point of ${model.estate.workload} in the DR or air-gapped vault`);
  const planArn = model.restoreTestingPlanArn(facts.planName);
  // Restore testing infers the metadata from the recovery point, then applies the selection's
  // overrides (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html);
  // the source account's key is not among what it can use.
  const metadata: Record<string, string> = { ...point.restoreMetadata, ...facts.overrides };
  const sourceKey = targetKeyOf(type, metadata);
  if (sourceKey && sourceKey.split(':')[4] !== model.estate.drAccountId) {
    for (const k of ['kmsKeyId', 'KmsKeyId', 'kmsMasterKeyArn', 'KMSKey']) delete metadata[k];
    if (type === 'DynamoDB') metadata.encryptionType = 'Default';
  }
  // Restore testing names what it restores `awsbackup-restore-test-…` (the prefix validate-restore's
  // role is scoped to).
  const testName = `awsbackup-restore-test-${point.arn.replace(/[^a-zA-Z0-9]/g, '').slice(-12).toLowerCase()}`;
  if (metadata.DBInstanceIdentifier) metadata.DBInstanceIdentifier = testName;
  if (metadata.DBClusterIdentifier) metadata.DBClusterIdentifier = testName;
  if (type === 'DynamoDB') metadata.targetTableName = testName;
  if (type === 'EFS') Object.assign(metadata, { newFileSystem: 'true', CreationToken: `restore-test-${point.arn.slice(-12)}` });
  if (type === 'EBS') metadata.availabilityZone = metadata.availabilityZone && model.estate.subnets.some((s) => s.availabilityZone === metadata.availabilityZone) ? metadata.availabilityZone : model.estate.subnets[0].availabilityZone;

  const before = model.authorizer.evaluations.length;
  let outcome: unknown;
  let done = false;
  const validateFn = `${synthesized.config.name}-validate-restore`;
  model.onEvent((event) => {
    const detail = event.detail as Record<string, string>;
    if (detail.restoreTestingPlanArn !== planArn || detail.status !== 'COMPLETED' || !matchesEventPattern(facts.completedPattern, event)) return;
    runner
      .invoke(validateFn, event)
      .then((out) => (outcome = out), (error: Error) => (outcome = { error: error.message }))
      .finally(() => (done = true));
  });
  const job = await model.startRestoreTest({ pointArn: point.arn, planArn, roleArn: facts.roleArn, metadata });
  await model.clock.drive(() => done || job.status === 'FAILED', model.clock.now() + 6 * 3600_000);
  return { restoreJobId: job.id, outcome, validationStatus: job.validationStatus, evaluations: model.authorizer.evaluations.slice(before) };
}

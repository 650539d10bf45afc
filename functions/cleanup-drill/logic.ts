import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { configuredRegion, messageOf, runtimeWithClients } from '../aws-call';
import { classifyResource, type CleanupAction } from './actions';
import { cleanUp } from './deletions';
import { parseCleanupInput } from './input';
import { call, CleanupDrillError, DEFAULT_OPTIONS, type CleanupDrillDeps, type Ctx, type Runtime } from './runtime';

export { CleanupRefusedError, InvalidInputError, parseArn, parseCleanupInput } from './input';
export type { Arn, CleanupInput, RestoredResource } from './input';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';
export { classifyResource, S3_SKIP_REASON } from './actions';
export type { CleanupAction } from './actions';
export { AwsCallError, CleanupDrillError, DEFAULT_OPTIONS } from './runtime';
export type { CleanupDrillDeps, CleanupOptions } from './runtime';

/** Exactly the IAM actions {@link cleanupDrill} calls. */
export const REQUIRED_ACTIONS = [
  'autoscaling:UpdateAutoScalingGroup',
  'ec2:DescribeVolumes',
  'ec2:DetachVolume',
  'ec2:DeleteVolume',
  'ec2:TerminateInstances',
  'rds:DeleteDBInstance',
  'rds:DescribeDBInstances',
  'rds:DescribeDBClusters',
  'rds:DeleteDBCluster',
  'dynamodb:DeleteTable',
  'elasticfilesystem:DescribeMountTargets',
  'elasticfilesystem:DeleteMountTarget',
  'elasticfilesystem:DeleteFileSystem',
] as const;

/**
 * Not called by the logic, but checked by AWS on the caller when it calls one of the actions above:
 * DeleteMountTarget deletes the mount target's network interface as the caller.
 */
export const INDIRECT_ACTIONS = ['ec2:DeleteNetworkInterface'] as const;

export interface SkippedResource {
  readonly arn: string;
  readonly reason: string;
}

/** The function's output, returned to the state machine; every list sorted. */
export interface CleanupResult {
  /** Deleted now, deletion already in progress, or already gone. */
  readonly deleted: string[];
  readonly skipped: SkippedResource[];
  readonly scaledToZero: string[];
}

/** Thrown at the end when some resources or groups could not be cleaned up; `result` is what was. */
export class CleanupIncompleteError extends CleanupDrillError {
  constructor(
    message: string,
    readonly failures: readonly { readonly item: string; readonly error: string }[],
    readonly result: CleanupResult,
  ) {
    super(message);
    this.name = 'CleanupIncompleteError';
  }
}

async function forEachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(limit) || 1, items.length)) }, worker));
}

/**
 * After a DRILL, scales the landing zone's Auto Scaling groups to zero, then deletes what the
 * drill's restores created (EBS volumes, EC2 instances, RDS instances, Aurora clusters, DynamoDB
 * tables, EFS file systems) in the drill's account and region. Refuses a failover. Resources already
 * gone count as deleted, so a retry succeeds. One failure does not stop the others: every failure is
 * thrown at the end, in one error.
 */
export async function cleanupDrill(input: unknown, deps: CleanupDrillDeps): Promise<CleanupResult> {
  const rt: Runtime = runtimeWithClients(deps, DEFAULT_OPTIONS);
  try {
    const parsed = parseCleanupInput(input);
    Object.assign(rt.context, { executionName: parsed.executionName, accountId: parsed.accountId, region: parsed.region });

    for (const [service, client] of [['EC2', rt.ec2], ['RDS', rt.rds], ['DynamoDB', rt.dynamodb], ['EFS', rt.efs], ['Auto Scaling', rt.autoScaling]] as const) {
      const clientRegion = await configuredRegion(client);
      if (clientRegion !== undefined && clientRegion !== parsed.region) {
        throw new CleanupDrillError(`the drill ran in ${parsed.region} but this function's ${service} client works in ${clientRegion}; nothing cleaned up`);
      }
    }
    rt.logger.info('Cleaning up drill', { ...rt.context, restores: parsed.restores.length, autoScalingGroups: parsed.autoScalingGroups });
    for (const index of parsed.restoresWithoutResource) {
      rt.logger.info('Restore created no resource; nothing to delete', { ...rt.context, restoreIndex: index });
    }

    const failures: { item: string; error: string }[] = [];
    const fail = (item: string, ctx: Ctx, error: unknown) => {
      failures.push({ item, error: messageOf(error) });
      rt.logger.error('Not cleaned up', { ...rt.context, ...ctx, errorMessage: messageOf(error), error });
    };

    // First the servers: their instances terminate while the restored resources are deleted.
    const scaledToZero: string[] = [];
    for (const name of parsed.autoScalingGroups) {
      const ctx = { autoScalingGroup: name };
      try {
        await call(rt, `UpdateAutoScalingGroup(${name})`, () => rt.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, DesiredCapacity: 0 })), ctx);
        scaledToZero.push(name);
        rt.logger.info('Auto Scaling group scaled to zero', { ...rt.context, ...ctx });
      } catch (error) {
        fail(`Auto Scaling group ${name}`, ctx, error);
      }
    }

    const deleted: string[] = [];
    const skipped: SkippedResource[] = [];
    const actions: { arn: string; action: CleanupAction }[] = [];
    const seen = new Set<string>();
    for (const resource of parsed.restores) {
      if (seen.has(resource.arn.text)) continue;
      seen.add(resource.arn.text);
      const classified = classifyResource(resource, parsed);
      if ('skip' in classified) {
        skipped.push({ arn: resource.arn.text, reason: classified.skip });
        rt.logger.info('Restored resource skipped', { ...rt.context, arn: resource.arn.text, resourceType: resource.resourceType, reason: classified.skip });
      } else {
        actions.push({ arn: resource.arn.text, action: classified });
      }
    }

    await forEachConcurrently(actions, rt.options.concurrency, async ({ arn, action }) => {
      const ctx = { arn, kind: action.kind, id: action.id };
      try {
        const deletion = await cleanUp(rt, ctx, action);
        deleted.push(arn);
        rt.logger.info(deletion === 'deleted' ? 'Restored resource deleted' : 'Restored resource already gone or being deleted', { ...rt.context, ...ctx });
      } catch (error) {
        fail(arn, ctx, error);
      }
    });

    const result: CleanupResult = {
      deleted: deleted.sort(),
      skipped: skipped.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)),
      scaledToZero: scaledToZero.sort(),
    };
    if (failures.length > 0) {
      failures.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
      const total = parsed.autoScalingGroups.length + actions.length;
      throw new CleanupIncompleteError(
        `drill cleanup incomplete: ${failures.length} of ${total} failed (${result.scaledToZero.length} group(s) scaled to zero, ` +
          `${result.deleted.length} resource(s) deleted, ${result.skipped.length} skipped): ${failures.map((f) => `${f.item}: ${f.error}`).join('; ')}`,
        failures,
        result,
      );
    }
    rt.logger.info('Drill cleaned up', { ...rt.context, ...result });
    return result;
  } catch (error) {
    rt.logger.error('Drill cleanup failed', { ...rt.context, errorMessage: messageOf(error), error, ...(error instanceof CleanupIncompleteError ? { result: error.result } : {}) });
    throw error;
  }
}

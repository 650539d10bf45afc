import {
  AttachVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type DescribeInstancesCommandInput,
  type EC2Client,
  type Instance,
  type Volume,
  type VolumeAttachment,
} from '@aws-sdk/client-ec2';
import type { BackupClient } from '@aws-sdk/client-backup';
import { functionCalls, messageOf, runtimeWithClients, type CallDeps, type CallRuntime, type ThrottleOptions, configuredRegion } from '../aws-call';
import { recoveryPointTags, tagMap } from '../recovery-point-tags';
import { parseRestoreEvent, type RestoredVolume } from './event';

export { MalformedEventError, parseRestoreEvent } from './event';
export type { ParsedRestoreEvent, RestoredVolume } from './event';
export { backoffDelay, errorCode } from '../aws-call';
export type { Logger } from '../aws-call';

/** Server role of a protected EBS volume and of the recovery instance it belongs to (e.g. `app`). */
export const DR_SERVER_TAG = 'dr:server';
/** Device name the protected EBS volume is attached at (e.g. `/dev/sdf`). */
export const DR_DEVICE_TAG = 'dr:device';

/** Exactly the IAM actions {@link attachRestoredVolume} calls. */
export const REQUIRED_ACTIONS = ['ec2:DescribeVolumes', 'ec2:DescribeInstances', 'ec2:AttachVolume', 'ec2:DescribeSnapshots', 'backup:ListTags'] as const;

export interface AttachOptions extends ThrottleOptions {
  /** Delay between two DescribeVolumes while waiting for the volume or the attachment. */
  readonly pollIntervalMs: number;
  /** DescribeVolumes while the restored volume is still `creating`. */
  readonly maxAvailableChecks: number;
  /** DescribeVolumes after AttachVolume, waiting for the attachment to be `attached`. */
  readonly maxAttachChecks: number;
}

export const DEFAULT_OPTIONS: AttachOptions = {
  maxThrottleAttempts: 6,
  baseBackoffMs: 250,
  maxBackoffMs: 8000,
  pollIntervalMs: 3000,
  maxAvailableChecks: 20,
  maxAttachChecks: 20,
};

export interface AttachRestoredVolumeDeps extends CallDeps<AttachOptions> {
  readonly ec2: EC2Client;
  readonly backup: BackupClient;
}

export interface VolumeAttachmentResult {
  readonly volumeId: string;
  readonly instanceId: string;
  readonly device: string;
  readonly availabilityZone: string;
}

export type AttachOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | ({ readonly outcome: 'attached' } & VolumeAttachmentResult)
  | ({ readonly outcome: 'already-attached' } & VolumeAttachmentResult);

/**
 * Every failure of this function (besides a malformed event) is an `AttachRestoredVolumeError`; an
 * AWS call failing other than by throttling, an `AwsCallError`. `call` runs one AWS call, retrying it
 * while throttled.
 */
export const { FunctionError: AttachRestoredVolumeError, AwsCallError, call } = functionCalls('AttachRestoredVolumeError');

/** Attachment states in which the volume is (or is becoming) attached to the instance. */
const ATTACHED_STATES: ReadonlySet<string> = new Set(['attached', 'attaching', 'busy']);
/** Attachment states in which the attachment is complete. */
const COMPLETE_STATES: ReadonlySet<string> = new Set(['attached', 'busy']);
/** Upper bound on pages of one paginated call, against a service that keeps returning a token. */
const MAX_PAGES = 100;

interface Runtime extends CallRuntime<AttachOptions> {
  readonly ec2: EC2Client;
  readonly backup: BackupClient;
}

async function describeVolume(rt: Runtime, volumeId: string): Promise<Volume> {
  const out = await call(rt, `DescribeVolumes(${volumeId})`, () => rt.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })));
  const volume = (out.Volumes ?? []).find((v) => v.VolumeId === volumeId);
  if (!volume) throw new AttachRestoredVolumeError(`volume ${volumeId} not found: DescribeVolumes returned no such volume`);
  return volume;
}

/** A tag value, or undefined when absent or blank. */
function tagValue(tags: Record<string, string>, key: string): string | undefined {
  const value = tags[key];
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}

/** `dr:server` and `dr:device` of the restored volume, else of its recovery point. */
async function resolveTags(rt: Runtime, restored: RestoredVolume, volume: Volume): Promise<{ server: string; device: string }> {
  const onVolume = tagMap(volume.Tags);
  let server = tagValue(onVolume, DR_SERVER_TAG);
  let device = tagValue(onVolume, DR_DEVICE_TAG);
  if (server && device) {
    rt.logger.info('Tags read from the restored volume', { ...rt.context, server, device });
    return { server, device };
  }
  const missing = [server ? undefined : DR_SERVER_TAG, device ? undefined : DR_DEVICE_TAG].filter((t): t is string => t !== undefined);
  const arn = restored.recoveryPointArn;
  if (!arn) {
    throw new AttachRestoredVolumeError(`volume ${restored.volumeId} lacks tag(s) ${missing.join(', ')} and the event has no detail.recoveryPointArn to read them from`);
  }
  rt.logger.info('Volume lacks tags; reading them from the recovery point', { ...rt.context, missingTags: missing, recoveryPointArn: arn });
  const onRecoveryPoint = await recoveryPointTags(rt, call, arn, { maxPages: MAX_PAGES });
  server ??= tagValue(onRecoveryPoint, DR_SERVER_TAG);
  device ??= tagValue(onRecoveryPoint, DR_DEVICE_TAG);
  const stillMissing = [server ? undefined : DR_SERVER_TAG, device ? undefined : DR_DEVICE_TAG].filter((t): t is string => t !== undefined);
  if (!server || !device) {
    throw new AttachRestoredVolumeError(`tag(s) ${stillMissing.join(', ')} missing on volume ${restored.volumeId} and on its recovery point ${arn}`);
  }
  rt.logger.info('Tags resolved', { ...rt.context, server, device, recoveryPointArn: arn });
  return { server, device };
}

/** The one running instance tagged `dr:server=<server>` in the Availability Zone. */
async function findRecoveryInstance(rt: Runtime, server: string, availabilityZone: string): Promise<Instance> {
  const found = new Map<string, Instance>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const input: DescribeInstancesCommandInput = {
      Filters: [
        { Name: `tag:${DR_SERVER_TAG}`, Values: [server] },
        { Name: 'availability-zone', Values: [availabilityZone] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    const out = await call(rt, `DescribeInstances(${DR_SERVER_TAG}=${server}, ${availabilityZone})`, () => rt.ec2.send(new DescribeInstancesCommand(input)));
    for (const reservation of out.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) if (instance.InstanceId) found.set(instance.InstanceId, instance);
    }
    nextToken = out.NextToken;
  } while (nextToken && ++pages < MAX_PAGES);

  const instances = [...found.values()];
  if (instances.length === 0) throw new AttachRestoredVolumeError(`no running instance with ${DR_SERVER_TAG}=${server} in ${availabilityZone}`);
  if (instances.length > 1) {
    const ids = instances.map((i) => i.InstanceId).sort();
    throw new AttachRestoredVolumeError(
      `${instances.length} running instances with ${DR_SERVER_TAG}=${server} in ${availabilityZone}: ${ids.join(', ')}; expected exactly one, not attaching`,
    );
  }
  return instances[0];
}

function attachmentTo(volume: Volume, instanceId: string): VolumeAttachment | undefined {
  return (volume.Attachments ?? []).find((a) => a.InstanceId === instanceId && a.State !== 'detached');
}

/** Waits while a freshly restored volume is `creating`; returns the volume once it is not. */
async function waitWhileCreating(rt: Runtime, volume: Volume, volumeId: string): Promise<Volume> {
  let current = volume;
  for (let check = 1; current.State === 'creating'; check++) {
    if (check > rt.options.maxAvailableChecks) {
      throw new AttachRestoredVolumeError(
        `volume ${volumeId} is still in state "creating" after ${rt.options.maxAvailableChecks} checks ${rt.options.pollIntervalMs} ms apart; not attaching`,
      );
    }
    rt.logger.warn('Volume still creating; waiting', { ...rt.context, check, delayMs: rt.options.pollIntervalMs });
    await rt.sleep(rt.options.pollIntervalMs);
    current = await describeVolume(rt, volumeId);
  }
  return current;
}

/** Waits until DescribeVolumes shows the volume attached to the instance. */
async function waitUntilAttached(rt: Runtime, volumeId: string, instanceId: string, device: string): Promise<void> {
  let last = 'attaching';
  for (let check = 1; check <= rt.options.maxAttachChecks; check++) {
    await rt.sleep(rt.options.pollIntervalMs);
    const volume = await describeVolume(rt, volumeId);
    const attachment = attachmentTo(volume, instanceId);
    if (attachment?.State && COMPLETE_STATES.has(attachment.State)) return;
    last = attachment ? `attachment state "${attachment.State}"` : `no attachment to ${instanceId}, volume state "${volume.State}"`;
    if (volume.State === 'error' || volume.State === 'deleting' || volume.State === 'deleted') {
      throw new AttachRestoredVolumeError(`volume ${volumeId} entered state "${volume.State}" while attaching to instance ${instanceId} at ${device}`);
    }
  }
  throw new AttachRestoredVolumeError(
    `timed out waiting for volume ${volumeId} to be attached to instance ${instanceId} at ${device} ` +
      `(${rt.options.maxAttachChecks} checks ${rt.options.pollIntervalMs} ms apart; last seen: ${last}); AttachVolume was accepted, ` +
      'a retry of this event returns already-attached once the attachment completes',
  );
}

function describeAttachments(volume: Volume): string {
  const live = (volume.Attachments ?? []).filter((a) => a.State !== 'detached');
  return live.length === 0 ? 'none' : live.map((a) => `${a.InstanceId} (${a.State})`).join(', ');
}

async function attach(rt: Runtime, restored: RestoredVolume): Promise<AttachOutcome> {
  const { volumeId } = restored;

  const clientRegion = await configuredRegion(rt.ec2);
  if (clientRegion !== undefined && clientRegion !== restored.region) {
    throw new AttachRestoredVolumeError(`volume ${volumeId} is in ${restored.region} but this function works in ${clientRegion}; not attaching`);
  }

  let volume = await describeVolume(rt, volumeId);
  volume = await waitWhileCreating(rt, volume, volumeId);
  if (volume.State !== 'available' && volume.State !== 'in-use') {
    throw new AttachRestoredVolumeError(`volume ${volumeId} is in state "${volume.State ?? 'unknown'}"; it must be "available" to be attached`);
  }
  const availabilityZone = volume.AvailabilityZone;
  if (!availabilityZone) throw new AttachRestoredVolumeError(`volume ${volumeId} has no Availability Zone in DescribeVolumes`);
  rt.context.availabilityZone = availabilityZone;

  const { server, device } = await resolveTags(rt, restored, volume);
  Object.assign(rt.context, { server, device });

  const instance = await findRecoveryInstance(rt, server, availabilityZone);
  const instanceId = instance.InstanceId as string;
  rt.context.instanceId = instanceId;
  rt.logger.info('Recovery instance found', { ...rt.context });

  // Idempotency: EventBridge delivers at least once.
  const mine = attachmentTo(volume, instanceId);
  if (mine) {
    if (mine.State && ATTACHED_STATES.has(mine.State)) {
      if (mine.Device && mine.Device !== device) {
        rt.logger.warn(`Volume is attached to the instance at ${mine.Device}, not at ${device}`, { ...rt.context, attachedDevice: mine.Device });
      }
      return { outcome: 'already-attached', volumeId, instanceId, device: mine.Device ?? device, availabilityZone };
    }
    throw new AttachRestoredVolumeError(`volume ${volumeId} is in attachment state "${mine.State}" with instance ${instanceId}; not attaching`);
  }
  const elsewhere = (volume.Attachments ?? []).filter((a) => a.State !== 'detached' && a.InstanceId !== instanceId);
  if (elsewhere.length > 0) {
    throw new AttachRestoredVolumeError(
      `volume ${volumeId} is attached to ${elsewhere.map((a) => `instance ${a.InstanceId} (${a.State})`).join(', ')}, ` +
        `not to instance ${instanceId}, the running instance with ${DR_SERVER_TAG}=${server} in ${availabilityZone}; not attaching`,
    );
  }
  if (volume.State !== 'available') {
    throw new AttachRestoredVolumeError(`volume ${volumeId} is in state "${volume.State}" with no attachment; it must be "available" to be attached`);
  }

  const taken = (instance.BlockDeviceMappings ?? []).find((m) => m.DeviceName === device);
  if (taken && taken.Ebs?.VolumeId !== volumeId) {
    throw new AttachRestoredVolumeError(
      `device ${device} on instance ${instanceId} is already used by ${taken.Ebs?.VolumeId ?? 'a non-EBS device'}; not attaching volume ${volumeId}`,
    );
  }

  rt.logger.info('Attaching volume', { ...rt.context });
  const operation = `AttachVolume(${volumeId} to ${instanceId} at ${device})`;
  try {
    await call(rt, operation, () => rt.ec2.send(new AttachVolumeCommand({ Device: device, InstanceId: instanceId, VolumeId: volumeId })));
  } catch (error) {
    if (!(error instanceof AwsCallError) || (error.code !== 'IncorrectState' && error.code !== 'VolumeInUse')) throw error;
    // A concurrent delivery of the same event may have attached it first.
    const now = await describeVolume(rt, volumeId);
    const attachment = attachmentTo(now, instanceId);
    if (attachment?.State && ATTACHED_STATES.has(attachment.State)) {
      rt.logger.warn(`AttachVolume failed with ${error.code} but the volume is attached to the instance: concurrent delivery`, { ...rt.context });
      return { outcome: 'already-attached', volumeId, instanceId, device: attachment.Device ?? device, availabilityZone };
    }
    throw new AttachRestoredVolumeError(
      `${operation} failed with ${error.code} and the volume is not attached to ${instanceId} (volume state "${now.State}", attachments: ${describeAttachments(now)})`,
      { cause: error },
    );
  }

  await waitUntilAttached(rt, volumeId, instanceId, device);
  return { outcome: 'attached', volumeId, instanceId, device, availabilityZone };
}

/**
 * Attaches the EBS volume of a COMPLETED AWS Backup restore job to the running recovery instance
 * with the same `dr:server` tag in the volume's Availability Zone, at the volume's `dr:device`.
 * Ignores (without any AWS call) every other restore event; throws, after logging, on any failure,
 * never attaching when a check fails.
 */
export async function attachRestoredVolume(event: unknown, deps: AttachRestoredVolumeDeps): Promise<AttachOutcome> {
  const rt: Runtime = runtimeWithClients(deps, DEFAULT_OPTIONS);
  try {
    const parsed = parseRestoreEvent(event);
    if (parsed.kind === 'ignored') {
      rt.logger.info('Event ignored', { reason: parsed.reason });
      return { outcome: 'ignored', reason: parsed.reason };
    }
    Object.assign(rt.context, { volumeId: parsed.volume.volumeId, restoreJobId: parsed.volume.restoreJobId });
    rt.logger.info('Restored EBS volume', { ...rt.context, recoveryPointArn: parsed.volume.recoveryPointArn });
    const result = await attach(rt, parsed.volume);
    rt.logger.info(result.outcome === 'attached' ? 'Volume attached' : 'Volume already attached', { ...result });
    return result;
  } catch (error) {
    rt.logger.error('Restored volume not attached', { ...rt.context, errorMessage: messageOf(error), error });
    throw error;
  }
}

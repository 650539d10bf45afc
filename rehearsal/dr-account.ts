/**
 * An in-memory model of the DR account (and of the central vault in the backup-vault account), on a
 * simulated clock. Every AWS call of a rehearsal, whether made by a state machine Task or by the
 * Lambda logic through a mocked SDK client, goes through {@link DrAccount.call} with the API's own
 * (PascalCase) shapes, as the principal that makes it:
 *
 * - Throttling: with probability `throttle`, any call throws the service's throttling error instead
 *   of acting (decided per call, with the rehearsal's seeded PRNG).
 * - IAM as AWS evaluates it (`authorization.ts`): every call's requests (`iam-requests.ts`) and the
 *   calls services make on the caller's behalf (`encryption.ts`: KMS for encrypted volumes, restores,
 *   copies and topics; the role AWS Backup assumes) against the synthesized identity, resource, key
 *   and trust policies; a denial fails the call as AWS would.
 * - Jobs and resources change state over simulated time: copy and restore jobs, instances of the
 *   Auto Scaling groups (pending → running → SSM online), volumes, attachments, automation
 *   executions, deletions.
 *
 * The model is split by concern in `account/`: its state (`state.ts`), how a rehearsal configures it
 * (`config.ts`), errors and helpers every service shares (`services.ts`), IAM (`iam.ts`), one file per
 * service's API (`sts.ts`, `backup.ts`, `ec2.ts`, `autoscaling.ts`, `ssm.ts`, `rds.ts`, `dynamodb.ts`,
 * `efs.ts`, `fsx.ts`, `cloudwatch.ts`, `sns.ts`, `route53.ts`), and what they act on over simulated
 * time (`recovery-points.ts`, `backup-jobs.ts`, `terraform-cloud.ts`). This class composes them.
 */
import { autoScalingHandlers } from './account/autoscaling';
import { backupHandlers } from './account/backup';
import { startRestoreTestJob } from './account/backup-jobs';
import { cloudWatchHandlers } from './account/cloudwatch';
import type { ModelOptions, ProtectedResource, ResourceType, TerraformCloudModel } from './account/config';
import { dynamoDbHandlers } from './account/dynamodb';
import { ec2Handlers } from './account/ec2';
import { efsHandlers } from './account/efs';
import { fsxHandlers } from './account/fsx';
import { authorizeCall, authorizeOrCount, knownRole } from './account/iam';
import { rdsHandlers } from './account/rds';
import { addRecoveryPoint } from './account/recovery-points';
import { route53Handlers } from './account/route53';
import { deepCopy, ModelError, THROTTLING_CODE } from './account/services';
import { snsHandlers } from './account/sns';
import { ssmHandlers } from './account/ssm';
import { AccountState, type BackupEvent, type Handler, type Instance, type ModelVault, type RestoreJob, type Volume } from './account/state';
import { stsHandlers } from './account/sts';
import { invokeHttpEndpoint } from './account/terraform-cloud';

export { accountOfPrincipal, HttpTaskError, IAM_PREFIX, iamActionOf, ModelError, shortArn, targetKeyOf, THROTTLING_CODE } from './account/services';
export { DEFAULT_TIMINGS, type FsxType, type ModelEstate, type ModelOptions, type ModelTimings, type ProtectedResource, type ResourceType, type TerraformCloudModel, type TerraformRun } from './account/config';
export type { AttachRecord, BackupEvent, Deletion, Handler, ModelNote, ModelVault, Publish, RecoveryPoint, RestoreJob } from './account/state';

/** The services the model answers, each its handlers keyed `<service>:<action>`. */
const SERVICES: readonly ((model: AccountState) => Record<string, Handler>)[] = [
  stsHandlers, backupHandlers, ec2Handlers, autoScalingHandlers, ssmHandlers, rdsHandlers,
  dynamoDbHandlers, efsHandlers, fsxHandlers, cloudWatchHandlers, snsHandlers, route53Handlers,
];

/** The DR account: its state ({@link AccountState}) with the API the rehearsal calls, and every service's handlers. */
export class DrAccount extends AccountState {
  private readonly handlers: Record<string, Handler>;

  constructor(options: ModelOptions) {
    super(options);
    this.handlers = {
      ...Object.assign({}, ...SERVICES.map((handlers) => handlers(this))),
      // Lambda: the invocation itself; the rehearsal runs the function's logic.
      'lambda:invoke': () => ({ StatusCode: 200 }),
    };
  }

  // ---- public API ---------------------------------------------------------------------------

  /**
   * One AWS call: `service` (`backup`, `ec2`, ...), `action` as in the SDK integration
   * (`startRestoreJob`), `input` with the API's PascalCase shapes, made by `principal` (role ARN).
   * Returns the API's output shape (timestamps as Date); throws {@link ModelError}.
   */
  async call(service: string, action: string, input: unknown, principal: string, step = 'unknown'): Promise<any> {
    this.clock.touch();
    this.stats.calls++;
    const key = `${service}:${action}`;
    this.stats.byAction.set(key, (this.stats.byAction.get(key) ?? 0) + 1);
    if (this.throttle > 0 && this.random() < this.throttle) {
      this.stats.throttled++;
      throw new ModelError(service, THROTTLING_CODE[service] ?? 'ThrottlingException', `Rate exceeded (${key}, simulated throttling)`);
    }
    const handler = this.handlers[key];
    if (!handler) throw new ModelError(service, 'UnsupportedOperation', `the rehearsal model does not implement ${key}`);
    await authorizeCall(this, step, service, action, (input ?? {}) as Record<string, any>, principal);
    return deepCopy(handler((input ?? {}) as Record<string, unknown>, principal));
  }

  /** Principal of temporary credentials issued by the model's STS. */
  principalOfAccessKey(accessKeyId: string): string | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Checks that `principal` may assume `roleArn` (Step Functions' `Credentials.RoleArn`); returns the assumed principal. */
  async assumeRoleFor(principal: string, roleArn: string, step = 'unknown'): Promise<string> {
    knownRole(this, principal, roleArn);
    await authorizeOrCount(this, step, principal, [{ action: 'sts:AssumeRole', resource: roleArn }]);
    return roleArn;
  }

  /** The Terraform Cloud workspace the recovery's HTTP Tasks reach (recovery.infrastructure terraformCloud). */
  configureTerraformCloud(model: TerraformCloudModel): void {
    this.terraformCloud = model;
  }

  /**
   * One HTTP Task (`arn:aws:states:::http:invoke`) as `principal` (the execution role): the IAM checks
   * Step Functions makes (`states:InvokeHTTPEndpoint` with the endpoint and method, the connection's
   * credentials and secret), then the Terraform Cloud runs API. Returns the task's output
   * (`StatusCode`, `StatusText`, `Headers`, `ResponseBody`); throws {@link HttpTaskError}.
   */
  httpInvoke(input: Record<string, any>, principal: string): Promise<unknown> {
    return invokeHttpEndpoint(this, input, principal);
  }

  /**
   * Adds API handlers of another concern of the account (the readiness checker's reads, ...), keyed
   * `<service>:<action>` like the model's own; each needs its entry in `iam-requests.ts`.
   */
  extend(handlers: Record<string, (input: any, principal: string) => unknown>): void {
    for (const [key, handler] of Object.entries(handlers)) {
      if (this.handlers[key]) throw new Error(`the model already implements ${key}`);
      this.handlers[key] = handler;
    }
  }

  /**
   * Replaces API handlers (failback's view of a service, `failback/dr-jobs.ts`); each gets the handler
   * it replaces (undefined for a new one), to delegate what it does not change.
   */
  override(handlers: Record<string, (input: any, principal: string, previous: Handler | undefined) => unknown>): void {
    for (const [key, handler] of Object.entries(handlers)) {
      const previous = this.handlers[key];
      this.handlers[key] = (input, principal) => handler(input, principal, previous);
    }
  }

  /**
   * A restore test: AWS Backup restore testing starts a restore job of `pointArn` with the restore
   * testing role (no caller of StartRestoreJob: the service assumes the role and uses the keys with
   * it, evaluated here). The job's events carry `restoreTestingPlanArn`.
   * https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
   */
  startRestoreTest(input: { pointArn: string; planArn: string; roleArn: string; metadata: Record<string, string> }): Promise<RestoreJob> {
    return startRestoreTestJob(this, input);
  }

  /** Restore jobs of these resources end FAILED. */
  failRestoresOf(resourceArns: Iterable<string>): void {
    this.failingResources = new Set(resourceArns);
  }

  onEvent(listener: (event: BackupEvent) => void): void {
    this.eventListeners.push(listener);
  }

  /** Successful AttachVolume calls per volume. */
  attachCount(volumeId: string): number {
    return this.attaches.filter((a) => a.volumeId === volumeId).length;
  }

  volume(id: string): Volume | undefined {
    return this.volumes.get(id);
  }

  instance(id: string): Instance | undefined {
    return this.instances.get(id);
  }

  // ---- setting up the estate -----------------------------------------------------------------

  /** A protected resource of the workload, with recovery points (newest first: hours before now). */
  addProtectedResource(resource: ProtectedResource, points: { centralAgesHours: number[]; drAgesHours: number[]; airGappedAgesHours?: number[] }): void {
    this.protectedResources.push(resource);
    const tags: Record<string, string> = { 'backup-plan': this.estate.workload, 'dr:workload': this.estate.workload };
    if (resource.server) tags['dr:server'] = resource.server;
    if (resource.device) tags['dr:device'] = resource.device;
    for (const [vault, ages] of [['central', points.centralAgesHours], ['dr', points.drAgesHours], ['airGapped', points.airGappedAgesHours ?? []]] as const) {
      for (const age of ages) addRecoveryPoint(this, vault, resource, this.clock.now() - age * 3600_000, tags);
    }
  }

  /** A recovery point of another workload (the locate function must ignore it). */
  addForeignRecoveryPoint(vault: ModelVault, resourceArn: string, resourceType: ResourceType, ageHours: number): void {
    addRecoveryPoint(this, vault, { resourceArn, resourceType }, this.clock.now() - ageHours * 3600_000, { 'backup-plan': 'other' });
  }
}

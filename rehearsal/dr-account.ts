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
 */
import { createHash } from 'crypto';
import type { Authorizer, IamRequest } from './authorization';
import type { VirtualClock } from './clock';
import { copyJobRequests, ebsKeyUse, restoreJobRequests, s3PutKeyUse, snsPublishKeyUse, AWS_OWNED_KEY, type KeyRef } from './encryption';
import { checkFsxRestoreMetadata, fsxEntries, fsxMountProblem, fsxRestoreMetadata, type FsxResource } from './fsx-model';
import { requestsOf, type RequestLookup } from './iam-requests';
import type { ServerGroupSpec } from './estate';

// ---------------------------------------------------------------------------------------------
// Errors, services

/** An AWS error: `name` is the SDK's error code (`RequestLimitExceeded`, `VolumeInUse`, ...). */
export class ModelError extends Error {
  constructor(
    readonly service: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Model service → IAM prefix. */
export const IAM_PREFIX: Record<string, string> = {
  backup: 'backup',
  ec2: 'ec2',
  autoscaling: 'autoscaling',
  ssm: 'ssm',
  sts: 'sts',
  rds: 'rds',
  dynamodb: 'dynamodb',
  efs: 'elasticfilesystem',
  cloudwatch: 'cloudwatch',
  sns: 'sns',
  route53: 'route53',
  lambda: 'lambda',
};

/** The code each service throttles with (as the AWS SDK for JavaScript v3 names it). */
export const THROTTLING_CODE: Record<string, string> = {
  backup: 'ThrottlingException',
  ec2: 'RequestLimitExceeded',
  autoscaling: 'Throttling',
  ssm: 'ThrottlingException',
  sts: 'Throttling',
  rds: 'Throttling',
  dynamodb: 'ThrottlingException',
  efs: 'ThrottlingException',
  cloudwatch: 'Throttling',
  sns: 'ThrottledException',
  route53: 'Throttling',
  lambda: 'TooManyRequestsException',
  fsx: 'ThrottlingException',
  states: 'ThrottlingException',
  s3: 'SlowDown',
};

const IAM_ACTION_EXCEPTIONS: Record<string, string> = { 'lambda:invoke': 'lambda:InvokeFunction' };

export function iamActionOf(service: string, action: string): string {
  return IAM_ACTION_EXCEPTIONS[`${service}:${action}`] ?? `${IAM_PREFIX[service] ?? service}:${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

// ---------------------------------------------------------------------------------------------
// Configuration

export type ResourceType = 'EBS' | 'EC2' | 'RDS' | 'Aurora' | 'DynamoDB' | 'EFS' | 'S3' | 'FSx';

/** The FSx file system types the recovery restores and the connect runbook mounts (or checks). */
export type FsxType = 'WINDOWS' | 'LUSTRE' | 'ONTAP';

export interface ProtectedResource {
  readonly resourceArn: string;
  readonly resourceType: ResourceType;
  /** Short name for the timeline. */
  readonly label: string;
  /** EBS: the tag contract. */
  readonly server?: string;
  readonly device?: string;
  /** FSx: the file system's type (ONTAP: a volume of a file system). */
  readonly fsxType?: FsxType;
}

export interface ModelEstate {
  readonly name: string;
  readonly workload: string;
  readonly region: string;
  readonly workloadRegion: string;
  readonly drAccountId: string;
  readonly centralAccountId: string;
  readonly workloadAccountId: string;
  readonly restoreVaultName: string;
  readonly centralVaultName: string;
  /**
   * Logically air-gapped vault of the backup-vault account (`centralVault.kind` airGapped or both),
   * shared with the DR account through AWS RAM: DR principals list it and restore from it in place.
   */
  readonly airGappedVaultName?: string;
  readonly copyStarterRoleArn: string;
  readonly copyServiceRoleArn: string;
  readonly restoreRoleArn: string;
  readonly onCallTopicArn: string;
  readonly connectDocumentName: string;
  /** The role the connect runbook runs as when StartAutomationExecution names none (its AutomationAssumeRole default). */
  readonly connectRunbookRoleArn?: string;
  readonly healthAlarmName?: string;
  readonly hostedZoneId?: string;
  readonly serverGroups: readonly ServerGroupSpec[];
  readonly subnets: readonly { readonly id: string; readonly availabilityZone: string }[];
  readonly securityGroupIds: readonly string[];
  /** The workload's `recovery.fsx`: the directory Windows file systems join, the SVM ONTAP volumes go into. */
  readonly fsx?: { readonly windowsDirectoryId?: string; readonly ontapStorageVirtualMachineId?: string };
  /** The landing zone's instance profile and its role: restored EC2 instances launch with it. */
  readonly instanceProfile?: { readonly name: string; readonly roleArn: string };
  /** Customer managed keys of the vaults (ARNs as synthesized): recovery points and copies carry them. */
  readonly vaultKeys: { readonly central?: string; readonly restoreVault: string };
  /** Topic ARN → its KMS key. */
  readonly topicKeys: Record<string, string>;
  /** Bucket name → the KMS key of its default encryption. */
  readonly bucketKeys?: Record<string, string>;
  /** Role ARN → methods and endpoint patterns its `states:InvokeHTTPEndpoint` statements allow. */
  readonly allowedHttpEndpoints?: Record<string, readonly { readonly methods: readonly string[]; readonly endpoints: readonly string[] }[]>;
}

/**
 * Terraform Cloud as the rehearsal models it (`recovery.infrastructure` terraformCloud): the runs API
 * behind the EventBridge connection, one workspace, runs that go pending → planning → applying →
 * applied (or errored) on simulated time. Applying builds the workload's servers, as the workspace's
 * Terraform would: its Auto Scaling groups go to their size while the run applies.
 */
export interface TerraformCloudModel {
  readonly apiUrl: string;
  readonly connectionArn: string;
  readonly workspaceId: string;
  /** The connection's ARN as the synthesized policies name it (AWS appends an ID the definition's fake ARN lacks). */
  readonly connectionResourceArn: string;
  /** What a run ends with. Default: applied. */
  readonly outcome?: 'applied' | 'errored';
  readonly planSeconds?: number;
  readonly applySeconds?: number;
  /** How Step Functions hands over the `application/vnd.api+json` body: a string (default) or parsed. */
  readonly responseBody?: 'string' | 'json';
  /** Server groups the workspace builds, at their size. */
  readonly servers: readonly { readonly group: string; readonly size: number }[];
}

export interface TerraformRun {
  readonly id: string;
  readonly workspaceId: string;
  readonly message: string;
  readonly autoApply: boolean;
  readonly createdAt: number;
  status: 'pending' | 'planning' | 'planned' | 'applying' | 'applied' | 'errored';
  readonly statusTimestamps: Record<string, number>;
}

/** An HTTP Task failure, named as Step Functions names it (`States.Http.StatusCode.404`, `States.Runtime`, `Events.ConnectionResource.AccessDenied`). */
export class HttpTaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface ModelTimings {
  /** Base restore minutes per type; `restoreMinutes` overrides all. */
  readonly restoreMinutes?: number;
  readonly copyMinutes: number;
  readonly instanceLaunchSeconds: number;
  readonly ssmRegistrationSeconds: number;
  readonly runbookSeconds: number;
  readonly attachSeconds: number;
  readonly healthOkAfterSeconds: number;
  /** CreateMountTarget until the mount target is available. */
  readonly mountTargetSeconds: number;
}

export const DEFAULT_TIMINGS: ModelTimings = {
  copyMinutes: 20,
  instanceLaunchSeconds: 60,
  ssmRegistrationSeconds: 90,
  runbookSeconds: 150,
  attachSeconds: 6,
  healthOkAfterSeconds: 120,
  mountTargetSeconds: 90,
};

const RESTORE_MINUTES: Record<ResourceType, number> = { EBS: 12, EC2: 15, RDS: 35, Aurora: 45, DynamoDB: 20, EFS: 25, S3: 15, FSx: 40 };

export interface ModelOptions {
  readonly clock: VirtualClock;
  readonly random: () => number;
  /** Probability (0-1) that a call is throttled. */
  readonly throttle: number;
  readonly estate: ModelEstate;
  readonly timings: ModelTimings;
  /** Resources whose restore job ends FAILED. */
  readonly failRestoresOf?: ReadonlySet<string>;
  /** Deviations from AWS behaviour that the model only warns about become failures. */
  readonly strict?: boolean;
  /** Evaluates every call against the synthesized policies. */
  readonly authorizer: Authorizer;
}

// ---------------------------------------------------------------------------------------------
// State

/** Where a recovery point is: the locked central vault, the DR restore vault, or the shared air-gapped vault. */
export type ModelVault = 'central' | 'dr' | 'airGapped';

interface RecoveryPoint {
  readonly arn: string;
  readonly vault: ModelVault;
  readonly accountId: string;
  readonly vaultName: string;
  readonly resourceArn: string;
  readonly resourceType: ResourceType;
  readonly creationDate: number;
  readonly tags: Record<string, string>;
  readonly restoreMetadata: Record<string, string>;
  readonly sizeBytes: number;
  /** The key the recovery point is encrypted with (`encryption.ts`). */
  readonly keyArn: KeyRef;
}

interface CopyJob {
  readonly id: string;
  readonly token?: string;
  readonly source: RecoveryPoint;
  readonly createdAt: number;
  readonly completesAt: number;
  state: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  destinationArn?: string;
  completedAt?: number;
}

export interface RestoreJob {
  readonly id: string;
  readonly token?: string;
  readonly point: RecoveryPoint;
  readonly resourceType: ResourceType;
  readonly metadata: Record<string, string>;
  readonly copyTags: boolean;
  readonly createdAt: number;
  readonly completesAt: number;
  readonly fails: boolean;
  /** The restore testing plan that started it (restore tests only). */
  readonly restoreTestingPlanArn?: string;
  /** The IAM role AWS Backup restores with. */
  readonly iamRoleArn?: string;
  validationStatus?: string;
  validationStatusMessage?: string;
  status: 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  statusMessage?: string;
  createdResourceArn?: string;
  /** EBS: the volume being created while the job runs. */
  volumeId?: string;
  startedAt?: number;
  completedAt?: number;
}

interface Attachment {
  readonly instanceId: string;
  readonly device: string;
  readonly attachTime: number;
  state: 'attaching' | 'attached' | 'detaching' | 'detached';
}

interface Volume {
  readonly id: string;
  readonly az: string;
  readonly sizeGiB: number;
  readonly snapshotId?: string;
  readonly createTime: number;
  readonly tags: Record<string, string>;
  readonly restoreJobId?: string;
  /** The key the volume is encrypted with: the restore metadata's, else the recovery point's. */
  readonly keyArn: KeyRef;
  state: 'creating' | 'available' | 'in-use' | 'deleting' | 'deleted';
  attachments: Attachment[];
}

interface Instance {
  readonly id: string;
  readonly az: string;
  readonly subnetId: string;
  readonly group: string;
  readonly tags: Record<string, string>;
  readonly launchTime: number;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated';
  ssmOnline: boolean;
  ssmRegistered: boolean;
  /** Device → volume ID (the root volume included). */
  readonly devices: Map<string, string>;
}

interface Group {
  readonly spec: ServerGroupSpec;
  min: number;
  max: number;
  desired: number;
  instances: string[];
}

interface DbInstance {
  readonly id: string;
  readonly restoreJobId?: string;
  /** From the restore metadata (`Engine`). */
  readonly engine?: string;
  status: 'available' | 'deleting';
}

interface Table {
  readonly name: string;
  readonly restoreJobId?: string;
  status: 'ACTIVE' | 'DELETING';
}

interface FileSystem {
  readonly id: string;
  readonly restoreJobId?: string;
  lifeCycleState: 'available' | 'deleting';
  mountTargets: MountTarget[];
}

interface MountTarget {
  readonly id: string;
  readonly az: string;
  readonly subnetId?: string;
  readonly securityGroups?: readonly string[];
  state: 'creating' | 'available' | 'deleting';
  /** When it became available (simulated ms). */
  availableAt?: number;
}

interface Automation {
  readonly id: string;
  readonly parameters: Record<string, string[]>;
  readonly startedAt: number;
  status: 'InProgress' | 'Success' | 'Failed';
  failureMessage?: string;
  endedAt?: number;
}

export interface Publish {
  readonly at: number;
  readonly principal: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly attributes: Record<string, string>;
}

export interface Deletion {
  readonly at: number;
  readonly kind: string;
  readonly id: string;
}

export interface AttachRecord {
  readonly at: number;
  readonly principal: string;
  readonly volumeId: string;
  readonly instanceId: string;
  readonly device: string;
}

/** A `Restore Job State Change` event of AWS Backup, as EventBridge delivers it. */
export type BackupEvent = Record<string, unknown>;

export interface ModelNote {
  readonly at: number;
  readonly kind: string;
  readonly text: string;
}

type Handler = (input: any, principal: string) => unknown;

const ARN_ACCOUNT = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/;
const STS_ASSUMED = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//;

export function accountOfPrincipal(principal: string): string | undefined {
  return ARN_ACCOUNT.exec(principal)?.[1] ?? STS_ASSUMED.exec(principal)?.[1];
}

function roleNameOf(principal: string): string | undefined {
  return /:role\/([^/]+)$/.exec(principal)?.[1];
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

/**
 * A copy of an API output (no aliasing of the model's state). Not structuredClone: under Jest that
 * returns Dates of another realm, which fail the functions' `instanceof Date` checks.
 */
function deepCopy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  return value;
}

function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

// ---------------------------------------------------------------------------------------------

export class DrAccount {
  readonly clock: VirtualClock;
  readonly estate: ModelEstate;
  private readonly random: () => number;
  private readonly throttle: number;
  private readonly timings: ModelTimings;
  private failingResources: ReadonlySet<string>;
  private readonly strict: boolean;
  private readonly handlers: Record<string, Handler>;
  readonly authorizer: Authorizer;
  private idCounter = 0;

  // --- state (read by the rehearsal's checks) ---
  readonly protectedResources: ProtectedResource[] = [];
  readonly recoveryPoints = new Map<string, RecoveryPoint>();
  readonly copyJobs = new Map<string, CopyJob>();
  readonly restoreJobs = new Map<string, RestoreJob>();
  readonly volumes = new Map<string, Volume>();
  readonly instances = new Map<string, Instance>();
  readonly groups = new Map<string, Group>();
  readonly dbInstances = new Map<string, DbInstance>();
  readonly tables = new Map<string, Table>();
  readonly fileSystems = new Map<string, FileSystem>();
  /** Restored FSx file systems (by `fs-` ID) and ONTAP volumes (by `fsvol-` ID). */
  readonly fsx = new Map<string, FsxResource>();
  readonly automations = new Map<string, Automation>();
  readonly alarms = new Map<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>();
  readonly metrics: { at: number; namespace: string; data: unknown[] }[] = [];
  readonly publishes: Publish[] = [];
  readonly dnsChanges: { at: number; hostedZoneId: string; changes: unknown[] }[] = [];
  readonly deletions: Deletion[] = [];
  /** Successful AttachVolume calls. */
  readonly attaches: AttachRecord[] = [];
  /** What the model noticed that AWS would do differently (failures in strict mode). */
  readonly warnings: ModelNote[] = [];
  /** State changes worth showing on the timeline. */
  readonly notes: ModelNote[] = [];
  readonly stats = { calls: 0, throttled: 0, denied: 0, byAction: new Map<string, number>() };
  maxConcurrentRestores = 0;
  /** Terraform Cloud runs (recovery.infrastructure terraformCloud). */
  readonly terraformRuns = new Map<string, TerraformRun>();
  private terraformCloud?: TerraformCloudModel;
  private readonly sessions = new Map<string, string>();
  private readonly eventListeners: ((event: BackupEvent) => void)[] = [];

  constructor(options: ModelOptions) {
    this.clock = options.clock;
    this.estate = options.estate;
    this.random = options.random;
    this.throttle = options.throttle;
    this.timings = options.timings;
    this.failingResources = options.failRestoresOf ?? new Set();
    this.strict = options.strict ?? false;
    this.authorizer = options.authorizer;
    for (const spec of this.estate.serverGroups) {
      this.groups.set(spec.name, { spec, min: spec.minSize, max: spec.maxSize, desired: spec.desiredCapacity, instances: [] });
    }
    if (this.estate.healthAlarmName) this.alarms.set(this.estate.healthAlarmName, 'ALARM');
    this.handlers = this.buildHandlers();
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
    await this.authorizeCall(step, service, action, (input ?? {}) as Record<string, any>, principal);
    return deepCopy(handler((input ?? {}) as Record<string, unknown>, principal));
  }

  /** Principal of temporary credentials issued by the model's STS. */
  principalOfAccessKey(accessKeyId: string): string | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Checks that `principal` may assume `roleArn` (Step Functions' `Credentials.RoleArn`); returns the assumed principal. */
  async assumeRoleFor(principal: string, roleArn: string, step = 'unknown'): Promise<string> {
    this.knownRole(principal, roleArn);
    await this.authorizeOrCount(step, principal, [{ action: 'sts:AssumeRole', resource: roleArn }]);
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
  async httpInvoke(input: Record<string, any>, principal: string): Promise<unknown> {
    this.clock.touch();
    this.stats.calls++;
    const endpoint = String(input.ApiEndpoint ?? '');
    const method = String(input.Method ?? '');
    const key = `http:${method}`;
    this.stats.byAction.set(key, (this.stats.byAction.get(key) ?? 0) + 1);
    const tfc = this.terraformCloud;
    const connectionArn = input.Authentication?.ConnectionArn ?? input.InvocationConfig?.ConnectionArn;
    if (!connectionArn) throw new HttpTaskError('States.Runtime', 'A ConnectionArn is required in Authentication or InvocationConfig.');
    // Headers Step Functions refuses in the definition (the connection sets Authorization).
    const forbidden = Object.keys(input.Headers ?? {}).filter((h) => /^(authorization|host|x-amz-.*|x-amzn-.*)$/i.test(h));
    if (forbidden.length > 0) throw new HttpTaskError('States.Runtime', `header(s) ${forbidden.join(', ')} may not be set in an HTTP Task definition`);
    const grants = this.estate.allowedHttpEndpoints?.[principal] ?? [];
    const allowed = grants.some((g) => (g.methods.includes('*') || g.methods.includes(method)) && g.endpoints.some((e) => globToRegExp(e).test(endpoint)));
    if (!allowed) {
      this.stats.denied++;
      throw new HttpTaskError('States.Http.AccessDenied', `AWS Step Functions is not authorized to perform states:InvokeHTTPEndpoint on API Endpoint ${endpoint} (${method})`);
    }
    try {
      // Step Functions reads the connection's credentials with the execution role
      // (https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html#connect-http-task-permissions).
      const e = this.estate;
      if (!tfc) throw new HttpTaskError('Events.ConnectionResource.ResourceNotFound', `connection ${connectionArn} not found`);
      const connection = tfc.connectionResourceArn;
      const name = /:connection\/([^/]+)/.exec(connection)?.[1] ?? connection;
      await this.authorizeOrCount('BuildInfrastructure', principal, [
        { action: 'events:RetrieveConnectionCredentials', resource: connection },
        { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${e.region}:${e.drAccountId}:secret:events!connection/${name}/rehearsal-AbCdEf`, onBehalfOf: 'events:RetrieveConnectionCredentials' },
        { action: 'secretsmanager:DescribeSecret', resource: `arn:aws:secretsmanager:${e.region}:${e.drAccountId}:secret:events!connection/${name}/rehearsal-AbCdEf`, onBehalfOf: 'events:RetrieveConnectionCredentials' },
      ]);
    } catch (error) {
      throw new HttpTaskError('Events.ConnectionResource.AccessDenied', (error as Error).message);
    }
    if (!tfc || connectionArn !== tfc.connectionArn) throw new HttpTaskError('Events.ConnectionResource.ResourceNotFound', `connection ${connectionArn} not found`);
    if (this.throttle > 0 && this.random() < this.throttle) {
      this.stats.throttled++;
      throw new HttpTaskError('States.Http.StatusCode.429', `429 Too Many Requests (${method} ${endpoint}, simulated throttling)`);
    }
    const respond = (statusCode: number, statusText: string, body: unknown) => ({
      StatusCode: statusCode,
      StatusText: statusText,
      Headers: { 'content-type': ['application/vnd.api+json'] },
      ResponseBody: tfc.responseBody === 'json' ? deepCopy(body) : JSON.stringify(body),
    });
    const runsUrl = `${tfc.apiUrl}/api/v2/runs`;
    if (method === 'POST' && endpoint === runsUrl) {
      const contentType = Object.entries(input.Headers ?? {}).find(([h]) => h.toLowerCase() === 'content-type')?.[1];
      if (contentType !== 'application/vnd.api+json') throw new HttpTaskError('States.Http.StatusCode.415', `415 Unsupported Media Type: Content-Type ${String(contentType)} (the API takes application/vnd.api+json)`);
      const data = input.RequestBody?.data;
      const workspace = data?.relationships?.workspace?.data;
      if (data?.type !== 'runs' || workspace?.type !== 'workspaces') throw new HttpTaskError('States.Http.StatusCode.422', '422 Unprocessable Entity: a run needs data.type "runs" and relationships.workspace.data of type "workspaces"');
      if (workspace.id !== tfc.workspaceId) throw new HttpTaskError('States.Http.StatusCode.404', `404 Not Found: workspace ${String(workspace.id)}`);
      const run: TerraformRun = {
        id: `run-${this.hexId('run', 16)}`,
        workspaceId: workspace.id,
        message: String(data.attributes?.message ?? ''),
        autoApply: data.attributes?.['auto-apply'] === true,
        createdAt: this.clock.now(),
        status: 'pending',
        statusTimestamps: { 'queued-at': this.clock.now() },
      };
      this.terraformRuns.set(run.id, run);
      this.note('terraform', `run ${run.id} queued in ${run.workspaceId}${run.autoApply ? ' (auto-apply)' : ''}: ${run.message}`);
      this.advanceRun(run, tfc);
      return respond(201, 'Created', this.runDocument(run));
    }
    const get = method === 'GET' && endpoint.startsWith(`${runsUrl}/`) ? this.terraformRuns.get(endpoint.slice(runsUrl.length + 1)) : undefined;
    if (get) return respond(200, 'OK', this.runDocument(get));
    throw new HttpTaskError('States.Http.StatusCode.404', `404 Not Found: ${method} ${endpoint}`);
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
   * A restore test: AWS Backup restore testing starts a restore job of `pointArn` with the restore
   * testing role (no caller of StartRestoreJob: the service assumes the role and uses the keys with
   * it, evaluated here). The job's events carry `restoreTestingPlanArn`.
   * https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
   */
  async startRestoreTest(input: { pointArn: string; planArn: string; roleArn: string; metadata: Record<string, string> }): Promise<RestoreJob> {
    const point = this.point(input.pointArn, ['dr', 'airGapped']);
    const e = this.estate;
    const step = `restore-test:${input.planArn.split(':').pop()}`;
    for (const { principal, request } of restoreJobRequests({ type: point.resourceType, region: e.region, account: e.drAccountId, restoreRoleArn: input.roleArn, pointKey: point.keyArn, targetKey: targetKeyOf(point.resourceType, input.metadata) })) {
      await this.authorizeOrCount(step, principal, [{ ...request, onBehalfOf: `restore testing (${point.resourceType})` }]);
    }
    const minutes = this.jitter(this.timings.restoreMinutes ?? RESTORE_MINUTES[point.resourceType]);
    const job: RestoreJob = {
      id: this.uuid('restore'),
      point,
      resourceType: point.resourceType,
      metadata: { ...input.metadata },
      copyTags: false,
      createdAt: this.clock.now(),
      completesAt: this.clock.now() + minutes * 60_000,
      fails: false,
      status: 'PENDING',
      restoreTestingPlanArn: input.planArn,
      iamRoleArn: input.roleArn,
    };
    this.restoreJobs.set(job.id, job);
    this.runRestore(job);
    return job;
  }

  /** The ARN of a restore testing plan of `account` (AWS appends an ID to the name: a hash of it here). */
  restoreTestingPlanArn(name: string, account = this.estate.drAccountId): string {
    return `arn:aws:backup:${this.estate.region}:${account}:restore-testing-plan:${name}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
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

  instancesOf(group: string): Instance[] {
    return (this.groups.get(group)?.instances ?? []).map((id) => this.instances.get(id) as Instance);
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
      for (const age of ages) this.addRecoveryPoint(vault, resource, this.clock.now() - age * 3600_000, tags);
    }
  }

  /** A recovery point of another workload (the locate function must ignore it). */
  addForeignRecoveryPoint(vault: ModelVault, resourceArn: string, resourceType: ResourceType, ageHours: number): void {
    this.addRecoveryPoint(vault, { resourceArn, resourceType }, this.clock.now() - ageHours * 3600_000, { 'backup-plan': 'other' });
  }

  private addRecoveryPoint(vault: ModelVault, resource: Pick<ProtectedResource, 'resourceArn' | 'resourceType' | 'fsxType'>, creationDate: number, tags: Record<string, string>): RecoveryPoint {
    const e = this.estate;
    if (vault === 'airGapped' && !e.airGappedVaultName) throw new Error('the estate has no air-gapped vault (centralVault.kind locked)');
    const accountId = vault === 'dr' ? e.drAccountId : e.centralAccountId;
    // A logically air-gapped vault keeps every type as an AWS Backup recovery point of its owner.
    const arn = vault === 'airGapped' ? `arn:aws:backup:${e.region}:${accountId}:recovery-point:${this.uuid('rp')}` : this.recoveryPointArn(resource.resourceType, accountId);
    const point: RecoveryPoint = {
      arn,
      vault,
      accountId,
      vaultName: vault === 'central' ? e.centralVaultName : vault === 'airGapped' ? (e.airGappedVaultName as string) : e.restoreVaultName,
      resourceArn: resource.resourceArn,
      resourceType: resource.resourceType,
      creationDate,
      tags: { ...tags },
      restoreMetadata: this.restoreMetadataOf(resource),
      sizeBytes: 8 * 1024 ** 3,
      // The central and DR vaults hold cross-account copies, re-encrypted with the vault's key; the
      // air-gapped vault encrypts with an AWS owned key (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
      keyArn: vault === 'airGapped' ? AWS_OWNED_KEY : vault === 'central' ? (e.vaultKeys.central ?? AWS_OWNED_KEY) : e.vaultKeys.restoreVault,
    };
    this.recoveryPoints.set(arn, point);
    return point;
  }

  private recoveryPointArn(type: ResourceType, accountId: string): string {
    const r = this.estate.region;
    if (type === 'FSx') return `arn:aws:fsx:${r}:${accountId}:backup/backup-0${this.hexId('fsx-backup', 16)}`;
    if (type === 'EC2') return `arn:aws:ec2:${r}::image/ami-0${this.hexId('ami', 16)}`;
    if (type === 'EBS') return `arn:aws:ec2:${r}::snapshot/snap-${this.hexId('snap', 17)}`;
    if (type === 'RDS') return `arn:aws:rds:${r}:${accountId}:snapshot:awsbackup:job-${this.uuid('rds').toLowerCase()}`;
    if (type === 'Aurora') return `arn:aws:rds:${r}:${accountId}:cluster-snapshot:awsbackup:job-${this.uuid('aurora').toLowerCase()}`;
    return `arn:aws:backup:${r}:${accountId}:recovery-point:${this.uuid('rp')}`;
  }

  /**
   * `GetRecoveryPointRestoreMetadata` as AWS Backup returns it: the source resource's settings, keys
   * included, which name the workload account's customer managed keys (a restore in the DR account
   * cannot use them: prepare-restore must drop them).
   */
  private restoreMetadataOf(resource: Pick<ProtectedResource, 'resourceArn' | 'resourceType' | 'fsxType'>): Record<string, string> {
    const wr = this.estate.workloadRegion;
    const name = resource.resourceArn.split(/[:/]/).pop() as string;
    const sourceKey = `arn:aws:kms:${wr}:${this.estate.workloadAccountId}:key/${this.uuid('source-key').toLowerCase()}`;
    switch (resource.resourceType) {
      case 'EBS':
        return { availabilityZone: `${wr}${'acb'[[...resource.resourceArn].reduce((n, c) => n + c.charCodeAt(0), 0) % 3]}`, encrypted: 'true', kmsKeyId: sourceKey, volumeSize: '100', volumeType: 'gp3', iops: '3000', throughput: '125' };
      case 'RDS':
        return {
          DBInstanceIdentifier: name,
          DBInstanceClass: 'db.r6g.large',
          Engine: 'postgres',
          MultiAZ: 'false',
          AvailabilityZone: `${wr}a`,
          DBSubnetGroupName: `${this.estate.workload}-db`,
          VpcSecurityGroupIds: '["sg-0a1b2c3d4e5f60718"]',
          Port: '5432',
          StorageType: 'gp3',
          DeletionProtection: 'false',
          KmsKeyId: sourceKey,
        };
      case 'Aurora':
        return { DBClusterIdentifier: name, Engine: 'aurora-postgresql', AvailabilityZones: `["${wr}a","${wr}c"]`, DBSubnetGroupName: `${this.estate.workload}-db`, Port: '5432', KmsKeyId: sourceKey };
      case 'DynamoDB':
        return { targetTableName: name, encryptionType: 'KMS', kmsMasterKeyArn: sourceKey };
      case 'EFS':
        return { 'file-system-id': name, Encrypted: 'true', KmsKeyId: sourceKey, PerformanceMode: 'generalPurpose', newFileSystem: 'false' };
      case 'S3':
        return { DestinationBucketName: name, NewBucket: 'false', Encrypted: 'true' };
      case 'FSx':
        return fsxRestoreMetadata(resource, sourceKey);
      case 'EC2':
        return { InstanceType: 'm7g.large', SubnetId: 'subnet-0aaaaaaaaaaaaaaa1', SecurityGroupIds: '["sg-0aaaaaaaaaaaaaaa1"]', IamInstanceProfileName: `${this.estate.workload}-app`, RequireIMDSv2: 'true' };
    }
  }


  // ---- ids --------------------------------------------------------------------------------------

  private hexId(kind: string, length: number): string {
    return createHash('sha256').update(`${kind}:${this.idCounter++}`).digest('hex').slice(0, length);
  }

  private uuid(kind: string): string {
    const h = this.hexId(kind, 32).toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  // ---- IAM ----------------------------------------------------------------------------------

  /** Every IAM request of one call (the call's own and those made on the caller's behalf), evaluated as AWS would. */
  private async authorizeCall(step: string, service: string, action: string, input: Record<string, any>, principal: string): Promise<void> {
    if (service === 'sts' && action === 'assumeRole') this.knownRole(principal, input.RoleArn);
    await this.authorizeOrCount(step, principal, requestsOf(service, action, input, principal, this.lookup()));
    for (const { principal: actor, request } of this.onBehalfOf(service, action, input)) await this.authorizeOrCount(step, actor, [request]);
    // Requests of the caller that depend on the model's state (the key of the volume it attaches).
    await this.authorizeOrCount(step, principal, this.callerKeyUse(service, action, input));
  }

  private async authorizeOrCount(step: string, principal: string, requests: readonly IamRequest[]): Promise<void> {
    try {
      await this.clock.hold(this.authorizer.authorize(step, principal, requests));
    } catch (error) {
      this.stats.denied++;
      throw error;
    }
  }

  /** KMS use the caller's own credentials make through the service it calls. */
  private callerKeyUse(service: string, action: string, input: Record<string, any>): IamRequest[] {
    const key = `${service}:${action}`;
    if (key === 'ec2:attachVolume') return ebsKeyUse(this.volumes.get(input.VolumeId)?.keyArn, this.estate.region, 'ec2:AttachVolume');
    if (key === 'sns:publish') return snsPublishKeyUse(this.estate.topicKeys[input.TopicArn], this.estate.region);
    if (key === 's3:putObject') return s3PutKeyUse(this.estate.bucketKeys?.[input.Bucket], this.estate.region);
    return [];
  }

  /** Requests a service makes with its own or a passed role while serving the call. */
  private onBehalfOf(service: string, action: string, input: Record<string, any>): { principal: string; request: IamRequest }[] {
    const e = this.estate;
    if (service === 'backup' && action === 'startRestoreJob') {
      const point = this.recoveryPoints.get(input.RecoveryPointArn);
      if (!point) return [];
      const profile = point.resourceType === 'EC2' ? input.Metadata?.IamInstanceProfileName : undefined;
      return [
        ...restoreJobRequests({ type: point.resourceType, region: e.region, account: e.drAccountId, restoreRoleArn: String(input.IamRoleArn), pointKey: point.keyArn, targetKey: targetKeyOf(point.resourceType, input.Metadata ?? {}) }),
        // AWS Backup launches the instance as the restore role, passing the profile's role to EC2
        // (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html).
        ...(profile && e.instanceProfile && profile === e.instanceProfile.name
          ? [{ principal: String(input.IamRoleArn), request: { action: 'iam:PassRole', resource: e.instanceProfile.roleArn, passedToService: 'ec2.amazonaws.com', onBehalfOf: 'backup:StartRestoreJob (EC2)' } }]
          : []),
      ];
    }
    if (service === 'backup' && action === 'startCopyJob') {
      const point = this.recoveryPoints.get(input.RecoveryPointArn);
      return copyJobRequests({ copyRoleArn: String(input.IamRoleArn), destinationVaultArn: String(input.DestinationBackupVaultArn), destinationAccount: accountOfPrincipal(String(input.DestinationBackupVaultArn)) ?? e.drAccountId, sourceKey: point?.keyArn, region: e.region });
    }
    return [];
  }

  /** A role the synthesized output creates (it has a trust policy); any other cannot be assumed. */
  private knownRole(principal: string, roleArn: string): void {
    if (!this.authorizer.policies.resourcePolicyOf(roleArn)) throw new ModelError('sts', 'AccessDenied', `${principal} is not authorized to perform: sts:AssumeRole on resource: ${roleArn} (the synthesized output creates no such role)`);
  }

  /** What the request table needs to know of the model's state. */
  private lookup(): RequestLookup {
    const e = this.estate;
    return {
      region: e.region,
      accountOf: (principal) => accountOfPrincipal(principal) ?? e.drAccountId,
      vaultArn: (name, principal, vaultAccountId) => `arn:aws:backup:${e.region}:${vaultAccountId ?? accountOfPrincipal(principal)}:backup-vault:${name}`,
      vaultOfPoint: (arn) => {
        const p = this.recoveryPoints.get(arn);
        return p ? `arn:aws:backup:${e.region}:${p.accountId}:backup-vault:${p.vaultName}` : undefined;
      },
      resourceTags: (kind, id) => (kind === 'instance' ? this.instances.get(id)?.tags : this.volumes.get(id)?.tags) ?? {},
      attachedInstanceOf: (volumeId) => this.volumes.get(volumeId)?.attachments.find((a) => a.state !== 'detached')?.instanceId,
      autoScalingGroupArn: (name) => `arn:aws:autoscaling:${e.region}:${e.drAccountId}:autoScalingGroup:${createHash('sha256').update(name).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5')}:autoScalingGroupName/${name}`,
      bucketAccount: (name) => this.authorizer.policies.resources.find((r) => r.type === 'aws_s3_bucket' && r.arn === `arn:aws:s3:::${name}`)?.account ?? e.drAccountId,
      restoreTestingPlanArn: (name, account) => this.restoreTestingPlanArn(name, account),
      defaultAutomationRole: (documentName) => (documentName === e.connectDocumentName ? e.connectRunbookRoleArn : undefined),
      fsxArn: (id) => {
        const r = this.fsx.get(id);
        if (!r) return undefined;
        return r.type === 'ONTAP' ? `arn:aws:fsx:${e.region}:${e.drAccountId}:volume/${this.ontapFileSystemOf(e.fsx?.ontapStorageVirtualMachineId ?? '')}/${id}` : `arn:aws:fsx:${e.region}:${e.drAccountId}:file-system/${id}`;
      },
      fsxTags: (id) => this.fsx.get(id)?.tags ?? {},
      fileSystemOfMountTarget: (id) => [...this.fileSystems.values()].find((f) => f.mountTargets.some((m) => m.id === id))?.id,
    };
  }

  private requireAccount(service: string, principal: string, accountId: string, what: string): void {
    if (accountOfPrincipal(principal) !== accountId) {
      throw new ModelError(service, 'AccessDeniedException', `${principal} may not access ${what} of account ${accountId}`);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private note(kind: string, text: string): void {
    this.notes.push({ at: this.clock.now(), kind, text });
  }

  private warn(kind: string, text: string): void {
    this.warnings.push({ at: this.clock.now(), kind, text });
    this.note('warning', text);
  }

  private jitter(base: number, spread = 0.25): number {
    return base * (1 - spread + 2 * spread * this.random());
  }

  private emit(event: BackupEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  /** The vault `name` as `principal` sees it; `vaultAccountId` (`BackupVaultAccountId`) names the owner of a vault shared with it. */
  private vaultOf(name: string, principal: string, vaultAccountId?: string): { vault: ModelVault; accountId: string } {
    const e = this.estate;
    const account = accountOfPrincipal(principal);
    const owner = vaultAccountId ?? account;
    if (name === e.restoreVaultName && account === e.drAccountId && owner === e.drAccountId) return { vault: 'dr', accountId: e.drAccountId };
    if (name === e.centralVaultName && account === e.centralAccountId && owner === e.centralAccountId) return { vault: 'central', accountId: e.centralAccountId };
    // Shared with the DR account through AWS RAM: visible to it only when the request names the owner.
    if (e.airGappedVaultName && name === e.airGappedVaultName && owner === e.centralAccountId && (account === e.centralAccountId || account === e.drAccountId)) {
      return { vault: 'airGapped', accountId: e.centralAccountId };
    }
    throw new ModelError('backup', 'ResourceNotFoundException', `Backup vault ${name} does not exist in account ${account}`);
  }

  private point(arn: unknown, vault?: ModelVault | readonly ModelVault[]): RecoveryPoint {
    const p = typeof arn === 'string' ? this.recoveryPoints.get(arn) : undefined;
    if (!p || (vault && ![vault].flat().includes(p.vault))) throw new ModelError('backup', 'ResourceNotFoundException', `recovery point ${String(arn)} not found${vault ? ` in the ${vault} vault` : ''}`);
    return p;
  }

  private restoreEvent(job: RestoreJob, status: string): BackupEvent {
    const e = this.estate;
    const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
    return {
      version: '0',
      id: this.uuid('event').toLowerCase(),
      'detail-type': 'Restore Job State Change',
      source: 'aws.backup',
      account: e.drAccountId,
      time: new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: e.region,
      resources: job.createdResourceArn ? [job.createdResourceArn] : [],
      detail: {
        restoreJobId: job.id,
        backupVaultArn: `arn:aws:backup:${e.region}:${job.point.accountId}:backup-vault:${job.point.vaultName}`,
        recoveryPointArn: job.point.arn,
        sourceResourceArn: job.point.resourceArn,
        backupSizeInBytes: String(job.point.sizeBytes),
        creationDate: iso(job.createdAt),
        iamRoleArn: job.iamRoleArn ?? e.restoreRoleArn,
        percentDone: status === 'COMPLETED' ? 100 : 0,
        ...(job.restoreTestingPlanArn ? { restoreTestingPlanArn: job.restoreTestingPlanArn } : {}),
        resourceType: job.resourceType,
        status,
        ...(job.createdResourceArn ? { createdResourceArn: job.createdResourceArn } : {}),
        ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
        ...(job.completedAt ? { completionDate: iso(job.completedAt) } : {}),
      },
    };
  }

  private liveRestores(): number {
    return [...this.restoreJobs.values()].filter((j) => j.status === 'PENDING' || j.status === 'RUNNING').length;
  }

  // ---- jobs ---------------------------------------------------------------------------------------

  private runDocument(run: TerraformRun): unknown {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      data: {
        id: run.id,
        type: 'runs',
        attributes: {
          status: run.status,
          message: run.message,
          'auto-apply': run.autoApply,
          'created-at': iso(run.createdAt),
          'status-timestamps': Object.fromEntries(Object.entries(run.statusTimestamps).map(([k, v]) => [k, iso(v)])),
        },
        relationships: { workspace: { data: { id: run.workspaceId, type: 'workspaces' } } },
      },
    };
  }

  /** pending → planning → (errored) or applying → applied; applying builds the servers. */
  private advanceRun(run: TerraformRun, tfc: TerraformCloudModel): void {
    const to = (status: TerraformRun['status']) => {
      run.status = status;
      run.statusTimestamps[`${status}-at`] = this.clock.now();
      this.note('terraform', `run ${run.id} ${status}`);
    };
    const planMs = this.jitter((tfc.planSeconds ?? 90) * 1000, 0.2);
    const applyMs = this.jitter((tfc.applySeconds ?? 300) * 1000, 0.2);
    this.clock.after(10_000, () => {
      to('planning');
      this.clock.after(planMs, () => {
        if (tfc.outcome === 'errored') return to('errored');
        // auto-apply: straight from planned to applying.
        to('planned');
        if (!run.autoApply) return;
        to('applying');
        for (const server of tfc.servers) {
          const group = this.groups.get(server.group);
          if (!group) continue;
          group.min = server.size;
          group.max = Math.max(group.max, server.size);
          group.desired = server.size;
          this.reconcile(group);
        }
        this.clock.after(applyMs, () => to('applied'));
      });
    });
  }

  private startCopy(job: CopyJob): void {
    this.note('copy', `copy job ${job.id} of ${job.source.resourceType} ${shortArn(job.source.resourceArn)} started`);
    this.clock.after(30_000, () => {
      if (job.state === 'CREATED') job.state = 'RUNNING';
    });
    this.clock.at(job.completesAt, () => {
      const dest = this.addRecoveryPoint('dr', job.source, job.source.creationDate, job.source.tags);
      job.state = 'COMPLETED';
      job.destinationArn = dest.arn;
      job.completedAt = this.clock.now();
      this.note('copy', `copy job ${job.id} COMPLETED: ${shortArn(dest.arn)} in ${this.estate.restoreVaultName}`);
    });
  }

  private runRestore(job: RestoreJob): void {
    this.note('restore', `restore job ${job.id} of ${job.resourceType} ${shortArn(job.point.resourceArn)} created`);
    // The CREATED event carries `state` instead of `status` (documented shape).
    const created = this.restoreEvent(job, 'CREATED');
    this.emit({ ...created, detail: { restoreJobId: job.id, creationDate: new Date(job.createdAt).toISOString(), resourceType: job.resourceType, state: 'CREATED' } });
    this.clock.after(30_000, () => {
      job.status = 'RUNNING';
      job.startedAt = this.clock.now();
      this.maxConcurrentRestores = Math.max(this.maxConcurrentRestores, this.liveRestores());
      this.emit(this.restoreEvent(job, 'RUNNING'));
      if (job.resourceType === 'EBS' && !job.fails) {
        // The volume exists (creating) while the job runs.
        job.volumeId = this.createVolume(job).id;
      }
    });
    this.clock.at(job.completesAt, () => {
      job.completedAt = this.clock.now();
      if (job.fails) {
        job.status = 'FAILED';
        job.statusMessage = `Simulated failure: restore of ${job.point.arn} could not complete (rehearsal --fail-restores)`;
        this.note('restore', `restore job ${job.id} of ${job.resourceType} ${shortArn(job.point.resourceArn)} FAILED`);
        this.emit(this.restoreEvent(job, 'FAILED'));
        return;
      }
      job.createdResourceArn = this.createRestoredResource(job);
      job.status = 'COMPLETED';
      this.note('restore', `restore job ${job.id} of ${job.resourceType} ${shortArn(job.point.resourceArn)} COMPLETED: ${job.createdResourceArn}`);
      this.emit(this.restoreEvent(job, 'COMPLETED'));
    });
  }

  private createVolume(job: RestoreJob): Volume {
    const id = `vol-0${this.hexId('vol', 16)}`;
    const volume: Volume = {
      id,
      az: job.metadata.availabilityZone,
      sizeGiB: Number(job.metadata.volumeSize ?? 100),
      snapshotId: /snapshot\/(snap-[0-9a-f]+)$/.exec(job.point.arn)?.[1],
      createTime: this.clock.now(),
      tags: job.copyTags ? { ...job.point.tags } : {},
      restoreJobId: job.id,
      keyArn: targetKeyOf('EBS', job.metadata) ?? job.point.keyArn,
      state: 'creating',
      attachments: [],
    };
    this.volumes.set(id, volume);
    return volume;
  }

  private createRestoredResource(job: RestoreJob): string {
    const e = this.estate;
    const m = job.metadata;
    switch (job.resourceType) {
      case 'EBS': {
        const id = job.volumeId ?? this.createVolume(job).id;
        const volume = this.volumes.get(id) as Volume;
        volume.state = 'available';
        return `arn:aws:ec2:${e.region}:${e.drAccountId}:volume/${id}`;
      }
      case 'RDS':
        this.dbInstances.set(m.DBInstanceIdentifier, { id: m.DBInstanceIdentifier, restoreJobId: job.id, engine: m.Engine, status: 'available' });
        return `arn:aws:rds:${e.region}:${e.drAccountId}:db:${m.DBInstanceIdentifier}`;
      case 'Aurora':
        this.dbInstances.set(`cluster:${m.DBClusterIdentifier}`, { id: m.DBClusterIdentifier, restoreJobId: job.id, engine: m.Engine, status: 'available' });
        return `arn:aws:rds:${e.region}:${e.drAccountId}:cluster:${m.DBClusterIdentifier}`;
      case 'DynamoDB':
        this.tables.set(m.targetTableName, { name: m.targetTableName, restoreJobId: job.id, status: 'ACTIVE' });
        return `arn:aws:dynamodb:${e.region}:${e.drAccountId}:table/${m.targetTableName}`;
      case 'EFS': {
        const id = `fs-0${this.hexId('fs', 16)}`;
        this.fileSystems.set(id, { id, restoreJobId: job.id, lifeCycleState: 'available', mountTargets: [] });
        return `arn:aws:elasticfilesystem:${e.region}:${e.drAccountId}:file-system/${id}`;
      }
      case 'S3':
        return `arn:aws:s3:::${m.DestinationBucketName}`;
      case 'FSx':
        return this.createFsx(job);
      case 'EC2': {
        const id = `i-0${this.hexId('i', 16)}`;
        const subnet = e.subnets.find((sn) => sn.id === m.SubnetId);
        // AWS Backup tags what it restores with the source resource (its restore role may CreateTags
        // aws:backup:source-resource on instances: AWSBackupServiceRolePolicyForRestores).
        const tags = { ...(job.copyTags ? job.point.tags : {}), 'aws:backup:source-resource': job.point.resourceArn.split('/').pop() as string };
        this.instances.set(id, { id, az: subnet?.availabilityZone ?? 'unknown', subnetId: m.SubnetId, group: '', tags, launchTime: this.clock.now(), state: 'running', ssmOnline: false, ssmRegistered: false, devices: new Map() });
        return `arn:aws:ec2:${e.region}:${e.drAccountId}:instance/${id}`;
      }
    }
  }

  private createFsx(job: RestoreJob): string {
    const e = this.estate;
    const m = job.metadata;
    const list = (v: string | undefined) => (v ? (JSON.parse(v) as string[]) : []);
    if (m.OntapConfiguration) {
      const config = JSON.parse(m.OntapConfiguration) as Record<string, string>;
      const id = `fsvol-0${this.hexId('fsvol', 16)}`;
      const svm = config.storageVirtualMachineId ?? config.StorageVirtualMachineId;
      this.fsx.set(id, { id, type: 'ONTAP', restoreJobId: job.id, tags: { 'aws:backup:source-resource': job.point.resourceArn.split('/').pop() as string }, dnsName: `${svm}.${this.ontapFileSystemOf(svm)}.fsx.${e.region}.amazonaws.com`, junctionPath: config.junctionPath ?? config.JunctionPath, subnetIds: [], securityGroupIds: [], lifecycle: 'AVAILABLE' });
      return `arn:aws:fsx:${e.region}:${e.drAccountId}:volume/${this.ontapFileSystemOf(svm)}/${id}`;
    }
    const id = `fs-0${this.hexId('fsx', 16)}`;
    const type: FsxType = m.FileSystemType === 'WINDOWS' ? 'WINDOWS' : 'LUSTRE';
    const dnsName = type === 'WINDOWS' ? `amznfsx${id.slice(-8)}.corp.example.com` : `${id}.fsx.${e.region}.amazonaws.com`;
    const resource: FsxResource = { id, type, restoreJobId: job.id, tags: { 'aws:backup:source-resource': job.point.resourceArn.split('/').pop() as string }, dnsName, ...(type === 'LUSTRE' ? { mountName: id.slice(-8) } : {}), subnetIds: list(m.SubnetIds), securityGroupIds: list(m.SecurityGroupIds), lifecycle: 'CREATING' };
    this.fsx.set(id, resource);
    this.clock.after(5 * 60_000, () => {
      resource.lifecycle = 'AVAILABLE';
      this.note('fsx', `${type} file system ${id} AVAILABLE`);
    });
    return `arn:aws:fsx:${e.region}:${e.drAccountId}:file-system/${id}`;
  }

  /** The ONTAP file system of the configured SVM (created in the landing zone beforehand). */
  private ontapFileSystemOf(svm: string): string {
    return `fs-0${createHash('sha256').update(svm).digest('hex').slice(0, 16)}`;
  }

  /** Validates StartRestoreJob metadata as AWS Backup and the restored service would. */
  private checkRestoreMetadata(type: ResourceType, m: Record<string, string>): void {
    const invalid = (message: string) => new ModelError('backup', 'InvalidParameterValueException', message);
    const e = this.estate;
    const zones = new Set(e.subnets.map((s) => s.availabilityZone));
    switch (type) {
      case 'EBS':
        if (!m.availabilityZone) throw invalid('EBS restore metadata needs availabilityZone');
        if (!zones.has(m.availabilityZone)) throw invalid(`availabilityZone ${m.availabilityZone} is not a zone of the landing zone (${[...zones].join(', ')})`);
        break;
      case 'RDS':
        if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(m.DBInstanceIdentifier ?? '') || m.DBInstanceIdentifier.length > 63) throw invalid(`DBInstanceIdentifier ${JSON.stringify(m.DBInstanceIdentifier)} is not a valid identifier`);
        if (this.dbInstances.has(m.DBInstanceIdentifier)) throw invalid(`DB instance ${m.DBInstanceIdentifier} already exists`);
        if (m.AvailabilityZone && !zones.has(m.AvailabilityZone)) throw invalid(`AvailabilityZone ${m.AvailabilityZone} is not in ${this.estate.region}`);
        if (!m.DBSubnetGroupName) {
          this.deviation(
            'rds-subnet-group',
            `RDS restore of ${m.DBInstanceIdentifier} has no DBSubnetGroupName: RDS uses the default VPC's default subnet group, while VpcSecurityGroupIds ${m.VpcSecurityGroupIds ?? '(none)'} belong to the landing zone VPC (AWS rejects this: "The DB instance and EC2 security group are in different VPCs")`,
          );
        }
        break;
      case 'DynamoDB':
        if (!m.targetTableName) throw invalid('DynamoDB restore metadata needs targetTableName');
        if (this.tables.has(m.targetTableName)) throw invalid(`table ${m.targetTableName} already exists`);
        break;
      case 'EFS':
        if (m.newFileSystem !== 'true') throw invalid('EFS restore into the DR account needs newFileSystem=true (the original file system is in another account)');
        if (!m.CreationToken) throw invalid('EFS restore to a new file system needs a CreationToken');
        break;
      case 'S3':
        if (!m.DestinationBucketName) throw invalid('S3 restore metadata needs DestinationBucketName');
        break;
      case 'Aurora':
        if (!m.DBClusterIdentifier) throw invalid('Aurora restore metadata needs DBClusterIdentifier');
        break;
      case 'FSx':
        checkFsxRestoreMetadata(e, m, invalid, (kind, text) => this.deviation(kind, text));
        break;
      case 'EC2': {
        // What RunInstances, launched by AWS Backup, would reject.
        if (!e.subnets.some((sn) => sn.id === m.SubnetId)) throw invalid(`EC2 SubnetId ${m.SubnetId ?? '(none)'} is not a subnet of the landing zone`);
        const groups = m.SecurityGroupIds ? (JSON.parse(m.SecurityGroupIds) as string[]) : [];
        if (groups.some((g) => !e.securityGroupIds.includes(g))) throw invalid(`EC2 SecurityGroupIds ${m.SecurityGroupIds} are not security groups of the landing zone`);
        if (m.IamInstanceProfileName && m.IamInstanceProfileName !== e.instanceProfile?.name) throw invalid(`Invalid IAM Instance Profile name ${m.IamInstanceProfileName}: the DR account has no such instance profile`);
        break;
      }
    }
  }


  /** A deviation from what AWS would do: a warning, or in strict mode a failure. */
  private deviation(kind: string, text: string): void {
    if (this.strict) throw new ModelError('backup', 'InvalidParameterValueException', text);
    if (!this.warnings.some((w) => w.kind === kind)) this.warn(kind, text);
  }

  // ---- EC2 / Auto Scaling ------------------------------------------------------------------------

  private reconcile(group: Group): void {
    const live = () => group.instances.filter((id) => ['pending', 'running'].includes((this.instances.get(id) as Instance).state));
    while (live().length < group.desired) this.launch(group);
    while (live().length > group.desired) this.terminate(live()[live().length - 1], `scale-in of ${group.spec.name}`);
  }

  private launch(group: Group): void {
    const zones = group.spec.availabilityZones;
    const counts = zones.map((z) => group.instances.filter((id) => {
      const i = this.instances.get(id) as Instance;
      return i.az === z && ['pending', 'running'].includes(i.state);
    }).length);
    const az = zones[counts.indexOf(Math.min(...counts))];
    const id = `i-0${this.hexId('i', 16)}`;
    const rootVolume = `vol-0${this.hexId('vol', 16)}`;
    const instance: Instance = {
      id,
      az,
      subnetId: this.estate.subnets.find((s) => s.availabilityZone === az)?.id ?? 'subnet-unknown',
      group: group.spec.name,
      tags: { ...group.spec.tags, 'aws:autoscaling:groupName': group.spec.name },
      launchTime: this.clock.now(),
      state: 'pending',
      ssmOnline: false,
      ssmRegistered: false,
      devices: new Map([['/dev/xvda', rootVolume]]),
    };
    this.instances.set(id, instance);
    group.instances.push(id);
    this.note('instance', `${group.spec.name}: instance ${id} launching in ${az}`);
    this.clock.after(this.jitter(this.timings.instanceLaunchSeconds * 1000), () => {
      if (instance.state !== 'pending') return;
      instance.state = 'running';
      this.note('instance', `${id} running`);
      this.clock.after(this.jitter(this.timings.ssmRegistrationSeconds * 1000), () => {
        if (instance.state !== 'running') return;
        instance.ssmOnline = true;
        instance.ssmRegistered = true;
        this.note('instance', `${id} online in SSM`);
      });
    });
  }

  private terminate(id: string, why: string): void {
    const instance = this.instances.get(id);
    if (!instance || instance.state === 'terminated' || instance.state === 'shutting-down') return;
    instance.state = 'shutting-down';
    instance.ssmOnline = false;
    this.deletions.push({ at: this.clock.now(), kind: 'instance', id });
    this.note('deletion', `instance ${id} terminating (${why})`);
    this.clock.after(60_000, () => {
      instance.state = 'terminated';
      for (const [device, volumeId] of instance.devices) {
        const volume = this.volumes.get(volumeId);
        if (!volume) continue;
        const attachment = volume.attachments.find((a) => a.instanceId === id && a.state !== 'detached');
        if (attachment) attachment.state = 'detached';
        volume.attachments = volume.attachments.filter((a) => a.state !== 'detached');
        if (volume.state === 'in-use' && volume.attachments.length === 0) volume.state = 'available';
        instance.devices.delete(device);
      }
    });
  }

  private findVolume(id: unknown): Volume {
    const v = typeof id === 'string' ? this.volumes.get(id) : undefined;
    if (!v || v.state === 'deleted') throw new ModelError('ec2', 'InvalidVolume.NotFound', `The volume '${String(id)}' does not exist.`);
    return v;
  }

  private findInstance(id: unknown): Instance {
    const i = typeof id === 'string' ? this.instances.get(id) : undefined;
    if (!i || i.state === 'terminated') throw new ModelError('ec2', 'InvalidInstanceID.NotFound', `The instance ID '${String(id)}' does not exist`);
    return i;
  }

  private volumeShape(v: Volume) {
    return {
      VolumeId: v.id,
      AvailabilityZone: v.az,
      Size: v.sizeGiB,
      SnapshotId: v.snapshotId,
      CreateTime: new Date(v.createTime),
      Encrypted: true,
      VolumeType: 'gp3',
      State: v.state,
      Tags: tagList(v.tags),
      Attachments: v.attachments.map((a) => ({ VolumeId: v.id, InstanceId: a.instanceId, Device: a.device, State: a.state, AttachTime: new Date(a.attachTime), DeleteOnTermination: false })),
    };
  }

  private instanceShape(i: Instance) {
    return {
      InstanceId: i.id,
      InstanceType: 'm7g.large',
      LaunchTime: new Date(i.launchTime),
      Placement: { AvailabilityZone: i.az },
      SubnetId: i.subnetId,
      State: { Name: i.state, Code: { pending: 0, running: 16, 'shutting-down': 32, terminated: 48 }[i.state] },
      Tags: tagList(i.tags),
      BlockDeviceMappings: [...i.devices].map(([DeviceName, VolumeId]) => ({ DeviceName, Ebs: { VolumeId, Status: this.volumes.get(VolumeId)?.attachments.find((a) => a.instanceId === i.id)?.state ?? 'attached', DeleteOnTermination: DeviceName === '/dev/xvda' } })),
    };
  }

  private matchesEc2Filters(i: Instance, filters: { Name?: string; Values?: string[] }[] | undefined): boolean {
    for (const f of filters ?? []) {
      const values = f.Values ?? [];
      const name = f.Name ?? '';
      let actual: string | undefined;
      if (name.startsWith('tag:')) actual = i.tags[name.slice(4)];
      else if (name === 'availability-zone') actual = i.az;
      else if (name === 'instance-state-name') actual = i.state;
      else if (name === 'instance-id') actual = i.id;
      else if (name === 'tag-key') actual = values.find((v) => v in i.tags);
      else throw new ModelError('ec2', 'InvalidParameterValue', `The filter '${name}' is invalid`);
      if (actual === undefined || !values.includes(actual)) return false;
    }
    return true;
  }

  // ---- the API ------------------------------------------------------------------------------------

  private buildHandlers(): Record<string, Handler> {
    const e = this.estate;
    const clock = this.clock;
    const h: Record<string, Handler> = {};

    // --- STS
    h['sts:assumeRole'] = (input) => {
      const duration = input.DurationSeconds ?? 3600;
      if (typeof duration !== 'number' || duration < 900 || duration > 43200) throw new ModelError('sts', 'ValidationError', `DurationSeconds ${duration} is outside 900-43200`);
      const accessKeyId = `ASIA${this.hexId('key', 16).toUpperCase()}`;
      this.sessions.set(accessKeyId, input.RoleArn);
      return {
        Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: this.hexId('secret', 40), SessionToken: this.hexId('token', 64), Expiration: new Date(clock.now() + duration * 1000) },
        AssumedRoleUser: { AssumedRoleId: `AROA${this.hexId('aro', 16).toUpperCase()}:${input.RoleSessionName}`, Arn: `arn:aws:sts::${accountOfPrincipal(input.RoleArn)}:assumed-role/${roleNameOf(input.RoleArn)}/${input.RoleSessionName}` },
      };
    };

    // --- Backup: vaults and recovery points
    h['backup:listRecoveryPointsByBackupVault'] = (input, principal) => {
      const { vault } = this.vaultOf(input.BackupVaultName, principal, input.BackupVaultAccountId);
      const before = input.ByCreatedBefore instanceof Date ? input.ByCreatedBefore.getTime() : input.ByCreatedBefore ? Date.parse(input.ByCreatedBefore) : Infinity;
      const all = [...this.recoveryPoints.values()].filter((p) => p.vault === vault && p.creationDate <= before);
      const pageSize = Math.min(Number(input.MaxResults ?? 20), 20);
      const start = Number(input.NextToken ?? 0);
      const page = all.slice(start, start + pageSize);
      return {
        RecoveryPoints: page.map((p) => ({
          RecoveryPointArn: p.arn,
          BackupVaultName: p.vaultName,
          BackupVaultArn: `arn:aws:backup:${e.region}:${p.accountId}:backup-vault:${p.vaultName}`,
          ResourceArn: p.resourceArn,
          ResourceType: p.resourceType,
          CreationDate: new Date(p.creationDate),
          CompletionDate: new Date(p.creationDate + 600_000),
          Status: 'COMPLETED',
          BackupSizeInBytes: p.sizeBytes,
        })),
        ...(start + pageSize < all.length ? { NextToken: String(start + pageSize) } : {}),
      };
    };
    h['backup:listTags'] = (input, principal) => {
      const p = this.point(input.ResourceArn);
      // The RAM share of the air-gapped vault lets the DR account read its points' tags.
      if (!(p.vault === 'airGapped' && accountOfPrincipal(principal) === e.drAccountId)) this.requireAccount('backup', principal, p.accountId, `recovery point ${p.arn}`);
      return { Tags: { ...p.tags } };
    };
    h['backup:getRecoveryPointRestoreMetadata'] = (input, principal) => {
      const { vault, accountId } = this.vaultOf(input.BackupVaultName, principal, input.BackupVaultAccountId);
      const p = this.point(input.RecoveryPointArn, vault);
      return { BackupVaultArn: `arn:aws:backup:${e.region}:${accountId}:backup-vault:${p.vaultName}`, RecoveryPointArn: p.arn, ResourceType: p.resourceType, RestoreMetadata: { ...p.restoreMetadata } };
    };

    // --- Backup: copy jobs (in the backup-vault account, as the copy-starter role)
    h['backup:startCopyJob'] = (input, principal) => {
      const { vault } = this.vaultOf(input.SourceBackupVaultName, principal);
      if (vault !== 'central') throw new ModelError('backup', 'InvalidParameterValueException', `copies start from the central vault ${e.centralVaultName}`);
      const drVaultArn = `arn:aws:backup:${e.region}:${e.drAccountId}:backup-vault:${e.restoreVaultName}`;
      if (input.DestinationBackupVaultArn !== drVaultArn) {
        throw new ModelError('backup', 'AccessDeniedException', `the vault ${input.DestinationBackupVaultArn} does not accept copies from account ${e.centralAccountId} (only ${drVaultArn} does)`);
      }
      if (input.IamRoleArn !== e.copyServiceRoleArn) throw new ModelError('backup', 'InvalidParameterValueException', `IamRoleArn ${input.IamRoleArn} is not the copy service role ${e.copyServiceRoleArn}`);
      const source = this.point(input.RecoveryPointArn, 'central');
      const existing = input.IdempotencyToken ? [...this.copyJobs.values()].find((j) => j.token === input.IdempotencyToken) : undefined;
      if (existing) return { CopyJobId: existing.id, CreationDate: new Date(existing.createdAt), IsParent: false };
      const minutes = this.jitter(this.timings.copyMinutes, 0.2);
      const job: CopyJob = { id: this.uuid('copy'), token: input.IdempotencyToken, source, createdAt: clock.now(), completesAt: clock.now() + minutes * 60_000, state: 'CREATED' };
      this.copyJobs.set(job.id, job);
      this.startCopy(job);
      return { CopyJobId: job.id, CreationDate: new Date(job.createdAt), IsParent: false };
    };
    h['backup:describeCopyJob'] = (input, principal) => {
      const job = this.copyJobs.get(input.CopyJobId);
      if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `copy job ${input.CopyJobId} not found`);
      this.requireAccount('backup', principal, e.centralAccountId, `copy job ${job.id}`);
      return {
        CopyJob: {
          AccountId: e.centralAccountId,
          CopyJobId: job.id,
          SourceBackupVaultArn: `arn:aws:backup:${e.region}:${e.centralAccountId}:backup-vault:${e.centralVaultName}`,
          SourceRecoveryPointArn: job.source.arn,
          DestinationBackupVaultArn: `arn:aws:backup:${e.region}:${e.drAccountId}:backup-vault:${e.restoreVaultName}`,
          ...(job.destinationArn ? { DestinationRecoveryPointArn: job.destinationArn } : {}),
          ResourceArn: job.source.resourceArn,
          ResourceType: job.source.resourceType,
          CreationDate: new Date(job.createdAt),
          ...(job.completedAt ? { CompletionDate: new Date(job.completedAt) } : {}),
          State: job.state,
          IamRoleArn: e.copyServiceRoleArn,
        },
      };
    };

    // --- Backup: restore jobs (in the DR account)
    h['backup:startRestoreJob'] = (input, principal) => {
      this.requireAccount('backup', principal, e.drAccountId, 'the restore vault');
      const existing = input.IdempotencyToken ? [...this.restoreJobs.values()].find((j) => j.token === input.IdempotencyToken) : undefined;
      if (existing) return { RestoreJobId: existing.id };
      // From the DR restore vault, or in place from the air-gapped vault shared with the DR account.
      const point = this.point(input.RecoveryPointArn, ['dr', 'airGapped']);
      if (input.IamRoleArn !== e.restoreRoleArn) throw new ModelError('backup', 'InvalidParameterValueException', `IamRoleArn ${input.IamRoleArn} is not the restore role ${e.restoreRoleArn}`);
      if (input.ResourceType !== undefined && input.ResourceType !== point.resourceType) {
        throw new ModelError('backup', 'InvalidParameterValueException', `ResourceType ${input.ResourceType} does not match the recovery point's ${point.resourceType}`);
      }
      const metadata = input.Metadata ?? {};
      if (typeof metadata !== 'object' || Object.values(metadata).some((v) => typeof v !== 'string')) {
        throw new ModelError('backup', 'InvalidParameterValueException', 'Metadata values must be strings');
      }
      this.checkRestoreMetadata(point.resourceType, metadata);
      const base = this.timings.restoreMinutes ?? RESTORE_MINUTES[point.resourceType];
      const minutes = this.jitter(base);
      const fails = this.failingResources.has(point.resourceArn);
      const job: RestoreJob = {
        id: this.uuid('restore'),
        token: input.IdempotencyToken,
        point,
        resourceType: point.resourceType,
        metadata: { ...metadata },
        copyTags: input.CopySourceTagsToRestoredResource === true,
        createdAt: clock.now(),
        completesAt: clock.now() + (fails ? 0.6 : 1) * minutes * 60_000,
        fails,
        status: 'PENDING',
      };
      this.restoreJobs.set(job.id, job);
      this.runRestore(job);
      return { RestoreJobId: job.id };
    };
    h['backup:describeRestoreJob'] = (input, principal) => {
      const job = this.restoreJobs.get(input.RestoreJobId);
      if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `restore job ${input.RestoreJobId} not found`);
      this.requireAccount('backup', principal, e.drAccountId, `restore job ${job.id}`);
      const done = job.status === 'COMPLETED' || job.status === 'FAILED';
      const total = job.completesAt - job.createdAt;
      return {
        AccountId: e.drAccountId,
        RestoreJobId: job.id,
        RecoveryPointArn: job.point.arn,
        SourceResourceArn: job.point.resourceArn,
        CreationDate: new Date(job.createdAt),
        ...(done ? { CompletionDate: new Date(job.completedAt as number) } : {}),
        Status: job.status,
        ...(job.statusMessage ? { StatusMessage: job.statusMessage } : {}),
        PercentDone: done ? '100.00%' : `${Math.min(99, Math.floor((100 * (clock.now() - job.createdAt)) / total))}.00%`,
        BackupSizeInBytes: job.point.sizeBytes,
        IamRoleArn: job.iamRoleArn ?? e.restoreRoleArn,
        ...(job.restoreTestingPlanArn ? { CreatedBy: { RestoreTestingPlanArn: job.restoreTestingPlanArn } } : {}),
        ...(job.validationStatus ? { ValidationStatus: job.validationStatus, ValidationStatusMessage: job.validationStatusMessage } : {}),
        ExpectedCompletionTimeMinutes: Math.ceil(total / 60_000),
        // AWS Backup reports the created resource once there is one: never for a failed job.
        ...(job.createdResourceArn ? { CreatedResourceArn: job.createdResourceArn } : {}),
        ResourceType: job.resourceType,
      };
    };

    h['backup:getRestoreJobMetadata'] = (input) => {
      const job = this.restoreJobs.get(input.RestoreJobId);
      if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `restore job ${input.RestoreJobId} not found`);
      return { RestoreJobId: job.id, Metadata: { ...job.metadata } };
    };
    h['backup:putRestoreValidationResult'] = (input) => {
      const job = this.restoreJobs.get(input.RestoreJobId);
      if (!job) throw new ModelError('backup', 'ResourceNotFoundException', `restore job ${input.RestoreJobId} not found`);
      if (!job.restoreTestingPlanArn) throw new ModelError('backup', 'InvalidRequestException', `restore job ${job.id} was not started by restore testing`);
      job.validationStatus = String(input.ValidationStatus);
      job.validationStatusMessage = input.ValidationStatusMessage;
      this.note('restore-test', `validation of ${job.id}: ${job.validationStatus}`);
      return {};
    };

    // --- EC2
    h['ec2:describeVolumes'] = (input) => {
      const ids: string[] | undefined = input.VolumeIds;
      const volumes = ids ? ids.map((id) => this.findVolume(id)) : [...this.volumes.values()].filter((v) => v.state !== 'deleted');
      return { Volumes: volumes.map((v) => this.volumeShape(v)) };
    };
    h['ec2:describeInstances'] = (input) => {
      const ids: string[] | undefined = input.InstanceIds;
      let instances = [...this.instances.values()];
      if (ids) instances = ids.map((id) => this.findInstance(id));
      instances = instances.filter((i) => this.matchesEc2Filters(i, input.Filters));
      return { Reservations: instances.map((i) => ({ ReservationId: `r-0${createHash('sha256').update(i.id).digest('hex').slice(0, 16)}`, OwnerId: e.drAccountId, Instances: [this.instanceShape(i)] })) };
    };
    h['ec2:describeSnapshots'] = (input, principal) => {
      const account = accountOfPrincipal(principal);
      const snapshots = (input.SnapshotIds ?? []).map((id: string) => {
        const p = [...this.recoveryPoints.values()].find((rp) => rp.arn.endsWith(`snapshot/${id}`) && rp.accountId === account);
        if (!p) throw new ModelError('ec2', 'InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
        return { SnapshotId: id, OwnerId: p.accountId, StartTime: new Date(p.creationDate), State: 'completed', VolumeSize: 100, Encrypted: true, Tags: tagList(p.tags) };
      });
      return { Snapshots: snapshots };
    };
    h['ec2:attachVolume'] = (input, principal) => {
      const volume = this.findVolume(input.VolumeId);
      const instance = this.findInstance(input.InstanceId);
      const device = String(input.Device ?? '');
      if (volume.state === 'in-use') throw new ModelError('ec2', 'VolumeInUse', `${volume.id} is already attached to an instance`);
      if (volume.state !== 'available') throw new ModelError('ec2', 'IncorrectState', `Volume '${volume.id}' is in the '${volume.state}' state.`);
      if (instance.state !== 'running') throw new ModelError('ec2', 'IncorrectState', `Instance '${instance.id}' is not 'running'.`);
      if (volume.az !== instance.az) throw new ModelError('ec2', 'InvalidVolume.ZoneMismatch', `The volume '${volume.id}' is not in the same availability zone as instance '${instance.id}'`);
      if (!/^\/dev\/(sd[b-z]|xvd[b-z])$/.test(device)) throw new ModelError('ec2', 'InvalidParameterValue', `Value (${device}) for parameter device is invalid.`);
      if (instance.devices.has(device)) throw new ModelError('ec2', 'InvalidParameterValue', `Attachment point ${device} is already in use`);
      const now = clock.now();
      volume.state = 'in-use';
      const attachment: Attachment = { instanceId: instance.id, device, attachTime: now, state: 'attaching' };
      volume.attachments.push(attachment);
      instance.devices.set(device, volume.id);
      this.attaches.push({ at: now, principal, volumeId: volume.id, instanceId: instance.id, device });
      this.note('attach', `AttachVolume ${volume.id} → ${instance.id} ${device} (by ${roleNameOf(principal)})`);
      clock.after(this.timings.attachSeconds * 1000, () => {
        if (attachment.state === 'attaching') attachment.state = 'attached';
      });
      return { AttachTime: new Date(now), Device: device, InstanceId: instance.id, State: 'attaching', VolumeId: volume.id };
    };
    h['ec2:detachVolume'] = (input) => {
      const volume = this.findVolume(input.VolumeId);
      const attachment = volume.attachments.find((a) => a.state !== 'detached' && (!input.InstanceId || a.instanceId === input.InstanceId));
      if (!attachment) throw new ModelError('ec2', 'IncorrectState', `Volume '${volume.id}' is in the '${volume.state}' state.`);
      if (attachment.state === 'detaching') throw new ModelError('ec2', 'IncorrectState', `Volume '${volume.id}' is already detaching.`);
      attachment.state = 'detaching';
      clock.after(10_000, () => {
        attachment.state = 'detached';
        volume.attachments = volume.attachments.filter((a) => a !== attachment);
        this.instances.get(attachment.instanceId)?.devices.delete(attachment.device);
        if (volume.state === 'in-use' && volume.attachments.length === 0) volume.state = 'available';
      });
      return { VolumeId: volume.id, InstanceId: attachment.instanceId, Device: attachment.device, State: 'detaching' };
    };
    h['ec2:deleteVolume'] = (input) => {
      const volume = this.findVolume(input.VolumeId);
      if (volume.state === 'deleting') return {};
      if (volume.state !== 'available') throw new ModelError('ec2', 'VolumeInUse', `Volume ${volume.id} is currently attached to ${volume.attachments.map((a) => a.instanceId).join(', ')}`);
      volume.state = 'deleting';
      this.deletions.push({ at: clock.now(), kind: 'volume', id: volume.id });
      this.note('deletion', `volume ${volume.id} deleting`);
      clock.after(10_000, () => {
        volume.state = 'deleted';
      });
      return {};
    };
    h['ec2:terminateInstances'] = (input) => {
      const out = (input.InstanceIds ?? []).map((id: string) => {
        const instance = this.findInstance(id);
        const previous = instance.state;
        this.terminate(id, 'TerminateInstances');
        return { InstanceId: id, PreviousState: { Name: previous }, CurrentState: { Name: instance.state } };
      });
      return { TerminatingInstances: out };
    };

    // --- Auto Scaling
    h['autoscaling:updateAutoScalingGroup'] = (input) => {
      const group = this.groups.get(input.AutoScalingGroupName);
      if (!group) throw new ModelError('autoscaling', 'ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${input.AutoScalingGroupName} not found`);
      const min = input.MinSize ?? group.min;
      const max = input.MaxSize ?? group.max;
      const desired = input.DesiredCapacity ?? Math.max(group.desired, min);
      for (const [k, v] of [['MinSize', min], ['MaxSize', max], ['DesiredCapacity', desired]] as const) {
        if (!Number.isInteger(v) || v < 0) throw new ModelError('autoscaling', 'ValidationError', `${k} must be a non-negative integer, got ${JSON.stringify(v)}`);
      }
      if (min > max || desired < min || desired > max) throw new ModelError('autoscaling', 'ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
      group.min = min;
      group.max = max;
      if (desired !== group.desired) this.note('scaling', `${group.spec.name}: desired ${group.desired} → ${desired}`);
      group.desired = desired;
      this.reconcile(group);
      return {};
    };
    h['autoscaling:describeAutoScalingGroups'] = (input) => {
      const names: string[] = input.AutoScalingGroupNames ?? [...this.groups.keys()];
      return {
        AutoScalingGroups: names.filter((n) => this.groups.has(n)).map((n) => {
          const g = this.groups.get(n) as Group;
          return {
            AutoScalingGroupName: n,
            MinSize: g.min,
            MaxSize: g.max,
            DesiredCapacity: g.desired,
            Instances: this.instancesOf(n).filter((i) => i.state !== 'terminated').map((i) => ({ InstanceId: i.id, AvailabilityZone: i.az, LifecycleState: i.state === 'running' ? 'InService' : i.state === 'pending' ? 'Pending' : 'Terminating' })),
          };
        }),
      };
    };

    // --- SSM
    h['ssm:describeInstanceInformation'] = (input) => {
      // Managed nodes: instances that registered with SSM (Online while running, ConnectionLost after).
      const ping = (i: Instance) => (i.ssmOnline ? 'Online' : 'ConnectionLost');
      let instances = [...this.instances.values()].filter((i) => i.ssmRegistered);
      const filters = (input.Filters ?? []) as { Key: string; Values: string[] }[];
      // API reference: "Tag filters can't be combined with other filter types."
      if (filters.some((f) => f.Key.startsWith('tag:')) && filters.some((f) => !f.Key.startsWith('tag:') && f.Key !== 'tag-key')) {
        throw new ModelError('ssm', 'InvalidFilterKey', "Tag filters can't be combined with other filter types");
      }
      for (const f of filters) {
        if (f.Key.startsWith('tag:')) instances = instances.filter((i) => f.Values.includes(i.tags[f.Key.slice(4)]));
        else if (f.Key === 'PingStatus') instances = instances.filter((i) => f.Values.includes(ping(i)));
        else if (f.Key === 'InstanceIds') instances = instances.filter((i) => f.Values.includes(i.id));
        else throw new ModelError('ssm', 'InvalidFilterKey', `filter key ${f.Key} is not supported`);
      }
      const max = input.MaxResults ?? 10; // the API's default page size
      if (!Number.isInteger(max) || max < 5 || max > 50) throw new ModelError('ssm', 'ValidationException', `MaxResults must be 5-50, got ${max}`);
      const start = Number(input.NextToken ?? 0);
      const size = max;
      return {
        InstanceInformationList: instances.slice(start, start + size).map((i) => ({ InstanceId: i.id, PingStatus: ping(i), PlatformType: 'Linux', ResourceType: 'EC2Instance', LastPingDateTime: new Date(clock.now()) })),
        ...(start + size < instances.length ? { NextToken: String(start + size) } : {}),
      };
    };
    h['ssm:startAutomationExecution'] = (input) => {
      if (input.DocumentName !== e.connectDocumentName) throw new ModelError('ssm', 'InvalidDocument', `Document ${input.DocumentName} does not exist`);
      const parameters = (input.Parameters ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(parameters)) {
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ModelError('ssm', 'InvalidAutomationExecutionParametersException', `Parameter ${k} must be a list of strings`);
      }
      const p = parameters as Record<string, string[]>;
      if (!p.Workload?.[0]) throw new ModelError('ssm', 'InvalidAutomationExecutionParametersException', 'Parameter Workload is required');
      const run: Automation = { id: this.uuid('automation').toLowerCase(), parameters: p, startedAt: clock.now(), status: 'InProgress' };
      this.automations.set(run.id, run);
      this.note('runbook', `${e.connectDocumentName} started (${run.id})`);
      clock.after(this.jitter(this.timings.runbookSeconds * 1000, 0.2), () => this.finishRunbook(run));
      return { AutomationExecutionId: run.id };
    };
    h['ssm:getAutomationExecution'] = (input) => {
      const run = this.automations.get(input.AutomationExecutionId);
      if (!run) throw new ModelError('ssm', 'AutomationExecutionNotFoundException', `execution ${input.AutomationExecutionId} not found`);
      return {
        AutomationExecution: {
          AutomationExecutionId: run.id,
          DocumentName: e.connectDocumentName,
          AutomationExecutionStatus: run.status,
          ExecutionStartTime: new Date(run.startedAt),
          ...(run.endedAt ? { ExecutionEndTime: new Date(run.endedAt) } : {}),
          Parameters: run.parameters,
          ...(run.failureMessage ? { FailureMessage: run.failureMessage } : {}),
        },
      };
    };

    // --- RDS
    h['rds:describeDBInstances'] = (input) => {
      const db = this.dbInstances.get(input.DBInstanceIdentifier);
      if (!db) throw new ModelError('rds', 'DBInstanceNotFoundFault', `DBInstance ${input.DBInstanceIdentifier} not found.`);
      return { DBInstances: [{ DBInstanceIdentifier: db.id, DBInstanceStatus: db.status, DBInstanceArn: `arn:aws:rds:${e.region}:${e.drAccountId}:db:${db.id}`, ...(db.engine ? { Engine: db.engine } : {}) }] };
    };
    h['rds:deleteDBInstance'] = (input) => {
      const db = this.dbInstances.get(input.DBInstanceIdentifier);
      if (!db) throw new ModelError('rds', 'DBInstanceNotFoundFault', `DBInstance ${input.DBInstanceIdentifier} not found.`);
      if (db.status === 'deleting') throw new ModelError('rds', 'InvalidDBInstanceStateFault', `Instance ${db.id} is already being deleted.`);
      db.status = 'deleting';
      this.deletions.push({ at: clock.now(), kind: 'db-instance', id: db.id });
      this.note('deletion', `DB instance ${db.id} deleting`);
      clock.after(300_000, () => this.dbInstances.delete(db.id));
      return { DBInstance: { DBInstanceIdentifier: db.id, DBInstanceStatus: 'deleting' } };
    };
    h['rds:describeDBClusters'] = (input) => {
      const c = this.dbInstances.get(`cluster:${input.DBClusterIdentifier}`);
      if (!c) throw new ModelError('rds', 'DBClusterNotFoundFault', `DBCluster ${input.DBClusterIdentifier} not found.`);
      return { DBClusters: [{ DBClusterIdentifier: c.id, Status: c.status, DBClusterMembers: [], DeletionProtection: false, ...(c.engine ? { Engine: c.engine } : {}) }] };
    };
    h['rds:deleteDBCluster'] = (input) => {
      const key = `cluster:${input.DBClusterIdentifier}`;
      const c = this.dbInstances.get(key);
      if (!c) throw new ModelError('rds', 'DBClusterNotFoundFault', `DBCluster ${input.DBClusterIdentifier} not found.`);
      c.status = 'deleting';
      this.deletions.push({ at: clock.now(), kind: 'db-cluster', id: c.id });
      clock.after(300_000, () => this.dbInstances.delete(key));
      return { DBCluster: { DBClusterIdentifier: c.id, Status: 'deleting' } };
    };

    // --- DynamoDB
    h['dynamodb:describeTable'] = (input) => {
      const t = this.tables.get(input.TableName);
      if (!t) throw new ModelError('dynamodb', 'ResourceNotFoundException', `Requested resource not found: Table: ${input.TableName} not found`);
      return { Table: { TableName: t.name, TableStatus: t.status, TableArn: `arn:aws:dynamodb:${e.region}:${e.drAccountId}:table/${t.name}`, ItemCount: 1 } };
    };
    h['dynamodb:deleteTable'] = (input) => {
      const t = this.tables.get(input.TableName);
      if (!t) throw new ModelError('dynamodb', 'ResourceNotFoundException', `Requested resource not found: Table: ${input.TableName} not found`);
      t.status = 'DELETING';
      this.deletions.push({ at: clock.now(), kind: 'table', id: t.name });
      this.note('deletion', `table ${t.name} deleting`);
      clock.after(60_000, () => this.tables.delete(t.name));
      return { TableDescription: { TableName: t.name, TableStatus: 'DELETING' } };
    };

    // --- EFS
    const fileSystem = (id: unknown) => {
      const fs = typeof id === 'string' ? this.fileSystems.get(id) : undefined;
      if (!fs) throw new ModelError('efs', 'FileSystemNotFound', `File system '${String(id)}' does not exist.`);
      return fs;
    };
    h['efs:describeFileSystems'] = (input) => {
      const fs = fileSystem(input.FileSystemId);
      return { FileSystems: [{ FileSystemId: fs.id, LifeCycleState: fs.lifeCycleState, Encrypted: true, NumberOfMountTargets: fs.mountTargets.length, SizeInBytes: { Value: 6144 } }] };
    };
    h['efs:describeMountTargets'] = (input) => {
      const fs = fileSystem(input.FileSystemId);
      return {
        MountTargets: fs.mountTargets.map((m) => ({ MountTargetId: m.id, FileSystemId: fs.id, AvailabilityZoneName: m.az, LifeCycleState: m.state, ...(m.subnetId ? { SubnetId: m.subnetId } : {}), OwnerId: e.drAccountId })),
      };
    };
    h['efs:createMountTarget'] = (input) => {
      // EFS creates the mount target's network interface with the caller's permissions (API reference).
      const fs = fileSystem(input.FileSystemId);
      if (fs.lifeCycleState !== 'available') throw new ModelError('efs', 'IncorrectFileSystemLifeCycleState', `File system '${fs.id}' is in the '${fs.lifeCycleState}' state.`);
      const subnet = e.subnets.find((sn) => sn.id === input.SubnetId);
      if (!subnet) throw new ModelError('efs', 'SubnetNotFound', `The subnet ID '${String(input.SubnetId)}' does not exist`);
      const groups: string[] = input.SecurityGroups ?? [];
      const unknown = groups.filter((g) => !e.securityGroupIds.includes(g));
      if (unknown.length > 0) throw new ModelError('efs', 'SecurityGroupNotFound', `The security group(s) ${unknown.join(', ')} do not exist in the subnet's VPC`);
      if (groups.length === 0) this.deviation('efs-default-security-group', `mount target of ${fs.id} without SecurityGroups: it gets the VPC's default security group, which the landing zone empties (no NFS from the servers)`);
      if (fs.mountTargets.some((m) => m.az === subnet.availabilityZone && m.state !== 'deleting')) {
        throw new ModelError('efs', 'MountTargetConflict', `File system '${fs.id}' already has a mount target in ${subnet.availabilityZone}.`);
      }
      const target: MountTarget = { id: `fsmt-0${this.hexId('fsmt', 16)}`, az: subnet.availabilityZone, subnetId: subnet.id, securityGroups: [...groups], state: 'creating' };
      fs.mountTargets.push(target);
      this.note('efs', `mount target ${target.id} of ${fs.id} creating in ${target.az}`);
      clock.after(this.jitter(this.timings.mountTargetSeconds * 1000), () => {
        if (target.state !== 'creating') return;
        target.state = 'available';
        target.availableAt = clock.now();
        this.note('efs', `mount target ${target.id} of ${fs.id} available`);
      });
      return {
        MountTargetId: target.id,
        FileSystemId: fs.id,
        SubnetId: subnet.id,
        AvailabilityZoneName: target.az,
        LifeCycleState: target.state,
        OwnerId: e.drAccountId,
        NetworkInterfaceId: `eni-0${this.hexId('eni', 16)}`,
      };
    };
    h['efs:deleteMountTarget'] = (input) => {
      for (const fs of this.fileSystems.values()) {
        const m = fs.mountTargets.find((t) => t.id === input.MountTargetId);
        if (m) {
          m.state = 'deleting';
          clock.after(30_000, () => {
            fs.mountTargets = fs.mountTargets.filter((t) => t !== m);
          });
          return {};
        }
      }
      throw new ModelError('efs', 'MountTargetNotFound', `Mount target '${input.MountTargetId}' does not exist.`);
    };
    h['efs:deleteFileSystem'] = (input) => {
      const fs = fileSystem(input.FileSystemId);
      if (fs.mountTargets.length > 0) throw new ModelError('efs', 'FileSystemInUse', `File system '${fs.id}' has mount targets.`);
      fs.lifeCycleState = 'deleting';
      this.deletions.push({ at: clock.now(), kind: 'file-system', id: fs.id });
      this.note('deletion', `file system ${fs.id} deleting`);
      clock.after(30_000, () => this.fileSystems.delete(fs.id));
      return {};
    };

    // --- FSx
    const fsxOf = (id: string, kind: 'file system' | 'volume') => {
      const r = this.fsx.get(id);
      if (!r || (kind === 'volume') !== (r.type === 'ONTAP')) throw new ModelError('fsx', kind === 'volume' ? 'VolumeNotFound' : 'FileSystemNotFound', `${kind} ${id} not found`);
      return r;
    };
    h['fsx:describeFileSystems'] = (input) => ({
      FileSystems: ((input.FileSystemIds ?? []) as string[]).map((id) => fsxOf(id, 'file system')).map((r) => ({
        FileSystemId: r.id,
        FileSystemType: r.type,
        Lifecycle: r.lifecycle,
        DNSName: r.dnsName,
        SubnetIds: [...r.subnetIds],
        ...(r.type === 'LUSTRE' ? { LustreConfiguration: { MountName: r.mountName, DeploymentType: 'PERSISTENT_2' } } : {}),
        ...(r.type === 'WINDOWS' ? { WindowsConfiguration: { ActiveDirectoryId: e.fsx?.windowsDirectoryId } } : {}),
      })),
    });
    h['fsx:describeVolumes'] = (input) => ({
      Volumes: ((input.VolumeIds ?? []) as string[]).map((id) => fsxOf(id, 'volume')).map((r) => ({ VolumeId: r.id, VolumeType: 'ONTAP', Lifecycle: 'CREATED', OntapConfiguration: { StorageVirtualMachineId: e.fsx?.ontapStorageVirtualMachineId, JunctionPath: r.junctionPath } })),
    });
    const deleteFsx = (id: string, kind: 'file system' | 'volume') => {
      const r = fsxOf(id, kind);
      if (r.lifecycle === 'DELETING') return { Lifecycle: 'DELETING' };
      r.lifecycle = 'DELETING';
      this.deletions.push({ at: clock.now(), kind: `fsx-${kind.replace(' ', '-')}`, id });
      this.note('deletion', `FSx ${kind} ${id} deleting`);
      clock.after(10 * 60_000, () => this.fsx.delete(id));
      return { Lifecycle: 'DELETING' };
    };
    h['fsx:deleteFileSystem'] = (input) => {
      const r = fsxOf(String(input.FileSystemId), 'file system');
      // WindowsConfiguration / LustreConfiguration apply to their type only (API reference).
      if ((input.WindowsConfiguration && r.type !== 'WINDOWS') || (input.LustreConfiguration && r.type !== 'LUSTRE')) throw new ModelError('fsx', 'BadRequest', `the configuration does not match file system ${r.id} of type ${r.type}`);
      return { FileSystemId: r.id, ...deleteFsx(r.id, 'file system') };
    };
    h['fsx:deleteVolume'] = (input) => ({ VolumeId: input.VolumeId, ...deleteFsx(String(input.VolumeId), 'volume') });
    h['fsx:describeStorageVirtualMachines'] = (input) => ({
      StorageVirtualMachines: ((input.StorageVirtualMachineIds ?? []) as string[])
        .filter((id) => id === e.fsx?.ontapStorageVirtualMachineId)
        .map((id) => ({ StorageVirtualMachineId: id, FileSystemId: this.ontapFileSystemOf(id), Lifecycle: 'CREATED', Endpoints: { Nfs: { DNSName: `${id}.${this.ontapFileSystemOf(id)}.fsx.${e.region}.amazonaws.com` } } })),
    });

    // --- CloudWatch
    h['cloudwatch:describeAlarms'] = (input) => {
      const names: unknown[] = input.AlarmNames ?? [];
      if (names.some((n) => typeof n !== 'string' || n.length === 0)) throw new ModelError('cloudwatch', 'InvalidParameterValue', `AlarmNames must be non-empty strings, got ${JSON.stringify(names)}`);
      return { MetricAlarms: (names as string[]).filter((n) => this.alarms.has(n)).map((n) => ({ AlarmName: n, StateValue: this.alarms.get(n) })), CompositeAlarms: [] };
    };
    h['cloudwatch:putMetricData'] = (input) => {
      if (!input.Namespace || !Array.isArray(input.MetricData)) throw new ModelError('cloudwatch', 'InvalidParameterValue', 'Namespace and MetricData are required');
      this.metrics.push({ at: clock.now(), namespace: input.Namespace, data: input.MetricData });
      return {};
    };

    // --- SNS
    h['sns:publish'] = (input, principal) => {
      if (input.TopicArn !== e.onCallTopicArn) throw new ModelError('sns', 'NotFoundException', `Topic does not exist: ${input.TopicArn}`);
      if (input.Subject !== undefined && (typeof input.Subject !== 'string' || input.Subject.length > 99 || /[\r\n]/.test(input.Subject))) {
        throw new ModelError('sns', 'InvalidParameterException', 'Invalid parameter: Subject');
      }
      const message = String(input.Message ?? '');
      if (message.length === 0 || Buffer.byteLength(message, 'utf8') > 256 * 1024) throw new ModelError('sns', 'InvalidParameterException', 'Invalid parameter: Message');
      const attributes = Object.fromEntries(Object.entries((input.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>).map(([k, v]) => [k, String(v.StringValue ?? '')]));
      this.publishes.push({ at: clock.now(), principal, topicArn: input.TopicArn, subject: input.Subject, message, attributes });
      this.note('sns', `published to ${e.onCallTopicArn.split(':').pop()}: ${input.Subject ?? message.slice(0, 60)}`);
      return { MessageId: this.uuid('msg').toLowerCase() };
    };

    // --- Route 53
    h['route53:changeResourceRecordSets'] = (input) => {
      if (!e.hostedZoneId || input.HostedZoneId !== e.hostedZoneId) throw new ModelError('route53', 'NoSuchHostedZone', `No hosted zone found with ID: ${input.HostedZoneId}`);
      const changes = input.ChangeBatch?.Changes;
      if (!Array.isArray(changes) || changes.length === 0) throw new ModelError('route53', 'InvalidInput', 'ChangeBatch.Changes is required');
      const allowed = new Set(['Name', 'Type', 'SetIdentifier', 'Weight', 'Region', 'GeoLocation', 'Failover', 'MultiValueAnswer', 'TTL', 'ResourceRecords', 'AliasTarget', 'HealthCheckId', 'TrafficPolicyInstanceId', 'CidrRoutingConfig', 'GeoProximityLocation']);
      for (const change of changes) {
        if (!['CREATE', 'DELETE', 'UPSERT'].includes(change.Action)) throw new ModelError('route53', 'InvalidInput', `Invalid Action ${change.Action}`);
        const set = change.ResourceRecordSet ?? {};
        const unknown = Object.keys(set).filter((k) => !allowed.has(k));
        if (unknown.length > 0) throw new ModelError('route53', 'InvalidInput', `ResourceRecordSet has unknown field(s) ${unknown.join(', ')} (the API's members are Name, Type, TTL, ResourceRecords, ...)`);
        if (!set.AliasTarget && (typeof set.TTL !== 'number' || !Array.isArray(set.ResourceRecords))) {
          throw new ModelError('route53', 'InvalidInput', 'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change');
        }
      }
      this.dnsChanges.push({ at: clock.now(), hostedZoneId: input.HostedZoneId, changes });
      this.note('dns', `Route 53 ${changes.map((c: any) => `${c.Action} ${c.ResourceRecordSet.Name}`).join(', ')}`);
      return { ChangeInfo: { Id: `/change/C${this.hexId('change', 12).toUpperCase()}`, Status: 'PENDING', SubmittedAt: new Date(clock.now()) } };
    };

    // --- Lambda (the invocation itself; the rehearsal runs the function's logic)
    h['lambda:invoke'] = () => ({ StatusCode: 200 });

    return h;
  }


  private finishRunbook(run: Automation): void {
    const e = this.estate;
    run.endedAt = this.clock.now();
    const workload = run.parameters.Workload[0];
    const targets = [...this.instances.values()].filter((i) => i.state === 'running' && i.ssmOnline && i.tags['dr:workload'] === workload);
    if (targets.length === 0) {
      // Run Command over a tag that matches no instance has nothing to run (a workload without servers).
      const kind = 'runbook-no-targets';
      if (!this.warnings.some((w) => w.kind === kind)) this.warn(kind, `the connect runbook targets dr:workload=${workload}, which no online instance carries: it mounts and starts nothing`);
    }
    // The script: `tr -d '[]"' | tr ',' ' '` over FileSystemArns, then `mount -t efs <fs-id>:/`.
    const ids = (run.parameters.FileSystemArns ?? ['[]']).join(',').replace(/[[\]"\\]/g, '').split(/[ ,]+/).filter(Boolean).map((arn) => arn.split('/').pop() as string);
    for (const id of ids) {
      const fs = this.fileSystems.get(id);
      if (!fs || fs.lifeCycleState !== 'available') {
        run.status = 'Failed';
        run.failureMessage = `mount -t efs ${id}:/ failed: no such file system`;
        this.note('runbook', `${e.connectDocumentName} Failed: ${run.failureMessage}`);
        return;
      }
      // An instance mounts through the mount target of its own zone: without one, `mount -t efs` fails.
      const zones = new Set(targets.map((i) => i.az));
      const missing = [...zones].filter((z) => !fs.mountTargets.some((m) => m.az === z && m.state === 'available'));
      if (missing.length > 0) {
        run.status = 'Failed';
        run.failureMessage = `mount -t efs ${id}:/ failed on the instance(s) in ${missing.join(', ')}: the file system has no available mount target there`;
        this.note('runbook', `${e.connectDocumentName} Failed: ${run.failureMessage}`);
        return;
      }
    }
    const fsxProblem = fsxMountProblem(this.fsx, run.parameters);
    if (fsxProblem) {
      run.status = 'Failed';
      run.failureMessage = fsxProblem;
      this.note('runbook', `${e.connectDocumentName} Failed: ${run.failureMessage}`);
      return;
    }
    const fsxCount = fsxEntries(run.parameters).length;
    run.status = 'Success';
    this.note('runbook', `${e.connectDocumentName} Success on ${targets.length} instance(s), ${ids.length} file system(s) mounted${fsxCount ? `, ${fsxCount} FSx` : ''}`);
    if (e.healthAlarmName) {
      this.clock.after(this.timings.healthOkAfterSeconds * 1000, () => {
        this.alarms.set(e.healthAlarmName as string, 'OK');
        this.note('health', `alarm ${e.healthAlarmName} OK`);
      });
    }
  }
}

/** Restore metadata keys naming the key a restored resource is encrypted with, per type. */
const TARGET_KEY_METADATA: Record<ResourceType, readonly string[]> = {
  FSx: ['KmsKeyId'],
  EC2: [],
  EBS: ['kmsKeyId'],
  RDS: ['KmsKeyId'],
  Aurora: ['KmsKeyId'],
  EFS: ['KmsKeyId'],
  DynamoDB: ['kmsMasterKeyArn'],
  S3: ['KMSKey'],
};

/** The key a restore's metadata names for the new resource (AWS: else the recovery point's key). */
export function targetKeyOf(type: ResourceType, metadata: Record<string, string>): KeyRef | undefined {
  for (const k of TARGET_KEY_METADATA[type]) if (metadata[k]) return metadata[k];
  return undefined;
}

/** `vol-0abc…` / `table/orders` / `db:shop-db-1`: the last part of an ARN. */
export function shortArn(arn: string): string {
  return arn.replace(/^arn:[^:]+:[^:]+:[^:]*:[^:]*:/, '');
}

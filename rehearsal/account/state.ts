/**
 * The DR account's state, which every service of the model reads and changes: the records of its
 * resources and jobs, and {@link AccountState}, which holds them with the clock, the seeded PRNG and
 * the helpers the services share (IDs, timeline notes, warnings, jitter, events).
 */
import { createHash } from 'crypto';
import type { Authorizer } from '../authorization';
import type { VirtualClock } from '../clock';
import type { KeyRef } from '../encryption';
import type { FsxResource } from '../fsx-model';
import type { ServerGroupSpec } from '../estate';
import type { ModelEstate, ModelOptions, ModelTimings, ProtectedResource, ResourceType, TerraformCloudModel, TerraformRun } from './config';
import { ModelError } from './services';

// ---------------------------------------------------------------------------------------------
// State

/** Where a recovery point is: the locked central vault, the DR restore vault, or the shared air-gapped vault. */
export type ModelVault = 'central' | 'dr' | 'airGapped';

export interface RecoveryPoint {
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

export interface CopyJob {
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

export interface Attachment {
  readonly instanceId: string;
  readonly device: string;
  readonly attachTime: number;
  state: 'attaching' | 'attached' | 'detaching' | 'detached';
}

export interface Volume {
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

export interface Instance {
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

export interface Group {
  readonly spec: ServerGroupSpec;
  min: number;
  max: number;
  desired: number;
  instances: string[];
}

export interface DbInstance {
  readonly id: string;
  readonly restoreJobId?: string;
  /** From the restore metadata (`Engine`). */
  readonly engine?: string;
  status: 'available' | 'deleting';
}

export interface Table {
  readonly name: string;
  readonly restoreJobId?: string;
  status: 'ACTIVE' | 'DELETING';
}

export interface FileSystem {
  readonly id: string;
  readonly restoreJobId?: string;
  lifeCycleState: 'available' | 'deleting';
  mountTargets: MountTarget[];
}

export interface MountTarget {
  readonly id: string;
  readonly az: string;
  readonly subnetId?: string;
  readonly securityGroups?: readonly string[];
  state: 'creating' | 'available' | 'deleting';
  /** When it became available (simulated ms). */
  availableAt?: number;
}

export interface Automation {
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

/** An API handler: the input in the API's PascalCase shapes, the calling principal; returns the output. */
export type Handler = (input: any, principal: string) => unknown;

// ---------------------------------------------------------------------------------------------

/**
 * The state of the DR account (and of the central vault in the backup-vault account) on the simulated
 * clock. {@link DrAccount} is this state with the API the rehearsal calls; the services' handlers
 * (`account/<service>.ts`) are functions of it.
 */
export class AccountState {
  readonly clock: VirtualClock;
  readonly estate: ModelEstate;
  /** Replaced only by {@link AccountState.authorizeWith} (a failback against another synthesized directory). */
  authorizer: Authorizer;
  // --- the model's own (its services act with them) ---
  readonly random: () => number;
  readonly throttle: number;
  readonly timings: ModelTimings;
  failingResources: ReadonlySet<string>;
  readonly strict: boolean;
  idCounter = 0;

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
  readonly dnsChanges: { at: number; hostedZoneId: string; changes: unknown[]; id?: string }[] = [];
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
  terraformCloud?: TerraformCloudModel;
  readonly sessions = new Map<string, string>();
  readonly eventListeners: ((event: BackupEvent) => void)[] = [];

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
  }

  /**
   * From now on every call is evaluated by `authorizer` (failback/run.ts `failbackSynthDir`: the
   * failback's calls against another synthesized directory of the same configuration).
   */
  authorizeWith(authorizer: Authorizer): void {
    this.authorizer = authorizer;
  }

  // ---- ids --------------------------------------------------------------------------------------

  hexId(kind: string, length: number): string {
    return createHash('sha256').update(`${kind}:${this.idCounter++}`).digest('hex').slice(0, length);
  }

  uuid(kind: string): string {
    const h = this.hexId(kind, 32).toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  note(kind: string, text: string): void {
    this.notes.push({ at: this.clock.now(), kind, text });
  }

  warn(kind: string, text: string): void {
    this.warnings.push({ at: this.clock.now(), kind, text });
    this.note('warning', text);
  }

  jitter(base: number, spread = 0.25): number {
    return base * (1 - spread + 2 * spread * this.random());
  }

  emit(event: BackupEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  /** A deviation from what AWS would do: a warning, or in strict mode a failure. */
  deviation(kind: string, text: string): void {
    if (this.strict) throw new ModelError('backup', 'InvalidParameterValueException', text);
    if (!this.warnings.some((w) => w.kind === kind)) this.warn(kind, text);
  }

  // ---- lookups the services and the API share --------------------------------------------------

  instancesOf(group: string): Instance[] {
    return (this.groups.get(group)?.instances ?? []).map((id) => this.instances.get(id) as Instance);
  }

  /** The ARN of a restore testing plan of `account` (AWS appends an ID to the name: a hash of it here). */
  restoreTestingPlanArn(name: string, account = this.estate.drAccountId): string {
    return `arn:aws:backup:${this.estate.region}:${account}:restore-testing-plan:${name}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  }
}

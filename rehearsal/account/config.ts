/**
 * How a rehearsal configures the DR account model: the resource types, the protected resources, the
 * estate as synthesized (names, roles, keys, network), Terraform Cloud, and the model's timings.
 */
import type { Authorizer } from '../authorization';
import type { VirtualClock } from '../clock';
import type { ServerGroupSpec } from '../estate';
import type { ResourceType } from '../../functions/resource-types';

// ---------------------------------------------------------------------------------------------
// Configuration

export type { ResourceType };

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

export const RESTORE_MINUTES: Record<ResourceType, number> = { EBS: 12, EC2: 15, RDS: 35, Aurora: 45, DynamoDB: 20, EFS: 25, S3: 15, FSx: 40 };

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

/**
 * The recovery functions, run for real: each function's `logic.ts` with real AWS SDK v3 clients whose
 * every command goes to the same model as the state machine's calls, as the function's own role.
 * Sleeps advance the simulated clock.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  BackupClient,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  StartRestoreJobCommand,
  GetRestoreJobMetadataCommand,
  GetRestoreTestingPlanCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  ListTagsCommand,
  PutRestoreValidationResultCommand,
} from '@aws-sdk/client-backup';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AttachVolumeCommand,
  DeleteVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateMountTargetCommand, DeleteFileSystemCommand, DeleteMountTargetCommand, DescribeFileSystemsCommand, DescribeMountTargetsCommand, EFSClient } from '@aws-sdk/client-efs';
import { DeleteDBClusterCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, DescribeStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DescribeInstanceInformationCommand, GetAutomationExecutionCommand, GetParameterCommand, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { attachRestoredVolume } from '../functions/attach-restored-volume/logic';
import { cleanupDrill } from '../functions/cleanup-drill/logic';
import { locateRecoveryPoints } from '../functions/locate-recovery-points/logic';
import { prepareRestore } from '../functions/prepare-restore/logic';
import { reportRecovery } from '../functions/report-recovery/logic';
import { validateRestore } from '../functions/validate-restore/logic';
import type { VirtualClock } from './clock';
import type { DrAccount } from './dr-account';
import type { FunctionSpec } from './estate';

type CommandClass = { new (input: any): any; name: string };

/** The commands the functions send, per client class, and the model service they belong to. */
const COMMANDS: { client: new (config: any) => any; service: string; commands: CommandClass[] }[] = [
  { client: EC2Client, service: 'ec2', commands: [DescribeVolumesCommand, DescribeInstancesCommand, DescribeSubnetsCommand, DescribeSnapshotsCommand, AttachVolumeCommand, DetachVolumeCommand, DeleteVolumeCommand, TerminateInstancesCommand, DescribeImagesCommand, DescribeLaunchTemplatesCommand] },
  {
    client: BackupClient,
    service: 'backup',
    commands: [ListRecoveryPointsByBackupVaultCommand, ListTagsCommand, GetRecoveryPointRestoreMetadataCommand, StartRestoreJobCommand, GetRestoreTestingPlanCommand, ListRestoreJobsCommand, DescribeRestoreJobCommand, GetRestoreJobMetadataCommand, PutRestoreValidationResultCommand],
  },
  { client: SSMClient, service: 'ssm', commands: [GetParameterCommand, StartAutomationExecutionCommand, GetAutomationExecutionCommand, DescribeInstanceInformationCommand] },
  { client: SFNClient, service: 'states', commands: [DescribeStateMachineCommand, ListExecutionsCommand, DescribeExecutionCommand] },
  { client: S3Client, service: 's3', commands: [PutObjectCommand] },
  { client: STSClient, service: 'sts', commands: [AssumeRoleCommand] },
  { client: CloudWatchClient, service: 'cloudwatch', commands: [PutMetricDataCommand, GetMetricDataCommand, DescribeAlarmsCommand] },
  { client: SNSClient, service: 'sns', commands: [PublishCommand] },
  { client: AutoScalingClient, service: 'autoscaling', commands: [UpdateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand] },
  { client: DynamoDBClient, service: 'dynamodb', commands: [DeleteTableCommand, DescribeTableCommand] },
  { client: EFSClient, service: 'efs', commands: [DescribeMountTargetsCommand, DeleteMountTargetCommand, DeleteFileSystemCommand, DescribeFileSystemsCommand, CreateMountTargetCommand] },
  { client: RDSClient, service: 'rds', commands: [DescribeDBInstancesCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand, DeleteDBClusterCommand] },
];

const actionOf = (command: CommandClass) => command.name.replace(/Command$/, '').replace(/^./, (c) => c.toLowerCase());

/** Command class → model action, per client of the table. */
const actionTables = new Map<(typeof COMMANDS)[number], Map<unknown, string>>();
const actionsOf = (entry: (typeof COMMANDS)[number]): Map<unknown, string> => {
  let table = actionTables.get(entry);
  if (!table) actionTables.set(entry, (table = new Map(entry.commands.map((command) => [command, actionOf(command)]))));
  return table;
};

/**
 * A real SDK v3 client of `region` whose commands all go to `model.call(service, action, input, principal)`.
 * A command the table above does not list fails, rather than silently returning nothing.
 */
export function modelClient<C>(ClientClass: new (config: any) => C, region: string, model: DrAccount, principal: string, credentials?: Credentials, step = 'unknown'): C {
  const entry = COMMANDS.find((c) => c.client === ClientClass);
  if (!entry) throw new Error(`no model wiring for ${ClientClass.name}`);
  const client = new ClientClass({ region, credentials: credentials ?? { accessKeyId: 'AKIAREHEARSAL', secretAccessKey: 'rehearsal' }, maxAttempts: 1 });
  // The client's `send` is replaced, as a stub library would (aws-sdk-client-mock's sinon stubs cost a
  // few milliseconds per client, and the rehearsal builds one per assumed session: docs/benchmark.md).
  const actions = actionsOf(entry);
  (client as unknown as { send: (command: { input: unknown }) => unknown }).send = (command) => {
    const action = actions.get(command.constructor);
    if (action === undefined) return Promise.reject(new Error(`${ClientClass.name}: command not wired to the rehearsal model`));
    return model.call(entry.service, action, command.input, principal, step);
  };
  return client;
}

/** Temporary credentials as an AWS SDK client takes them. */
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * A {@link modelClient} of `region` in `target`, as the role whose temporary credentials `issuer`'s STS
 * issued (the principal AWS resolves them to); `step` names the caller, `<step>:as:<role>`.
 */
export function assumedModelClient<C>(ClientClass: new (config: any) => C, region: string, target: DrAccount, issuer: DrAccount, credentials: Credentials, step: string): C {
  const principal = issuer.principalOfAccessKey(credentials.accessKeyId);
  if (!principal) throw new Error(`credentials ${credentials.accessKeyId} were not issued by the model's STS`);
  return modelClient(ClientClass, region, target, principal, credentials, `${step}:as:${principal.split('/').pop()}`);
}

export interface FunctionLog {
  readonly at: number;
  readonly fn: string;
  readonly level: string;
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

export interface FunctionInvocation {
  readonly fn: string;
  readonly at: number;
  readonly endedAt: number;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: { name: string; message: string };
}

/** A function error as Step Functions and EventBridge see it: `name` is the errorType. */
export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    // lambda:invoke reports the function's error as Error = errorType, Cause = the error JSON.
    super(JSON.stringify({ errorType, errorMessage, trace: [] }));
    this.name = errorType;
  }
}

/** What {@link FunctionRunner.define}'s logic gets: the function's spec, its logger, sleeps on the simulated clock, the PRNG, a client as its own role. */
export interface FunctionCommon {
  readonly spec: FunctionSpec;
  readonly logger: { info: (m: string, ...a: Record<string, unknown>[]) => void; warn: (m: string, ...a: Record<string, unknown>[]) => void; error: (m: string, ...a: Record<string, unknown>[]) => void };
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  client<C>(ClientClass: new (config: any) => C): C;
  /** The simulated clock's time. */
  now(): Date;
  /** A client of `region` with temporary credentials the DR account's STS issued, as the role they belong to. */
  assumedClient<C>(ClientClass: new (config: any) => C, credentials: Credentials, region: string): C;
}

type FunctionLogic = (event: any, common: FunctionCommon) => Promise<unknown>;

/** The DR stack's own functions, by name suffix: each one's logic with the clients its handler builds. */
const DR_FUNCTIONS: Record<string, FunctionLogic> = {
  'attach-restored-volume': (event, c) => attachRestoredVolume(event, { ...c, ec2: c.client(EC2Client), backup: c.client(BackupClient) }),
  'recovery-locate-recovery-points': (event, c) =>
    locateRecoveryPoints(event, { ...c, backup: c.client(BackupClient), sts: c.client(STSClient), centralBackup: (credentials, region) => c.assumedClient(BackupClient, credentials, region) }),
  'recovery-prepare-restore': (event, c) => prepareRestore(event, { ...c, backup: c.client(BackupClient), ec2: c.client(EC2Client) }),
  'recovery-report-recovery': (event, c) =>
    reportRecovery(event, {
      ...c,
      cloudwatch: c.client(CloudWatchClient),
      sns: c.client(SNSClient),
      namespace: c.spec.environment.METRIC_NAMESPACE || 'DisasterRecovery',
      topicArn: c.spec.environment.TOPIC_ARN,
    }),
  'recovery-cleanup-drill': (event, c) =>
    cleanupDrill(event, { ...c, ec2: c.client(EC2Client), rds: c.client(RDSClient), dynamodb: c.client(DynamoDBClient), efs: c.client(EFSClient), autoScaling: c.client(AutoScalingClient) }),
  'validate-restore': (event, c) =>
    validateRestore(event, {
      ...c,
      backup: c.client(BackupClient),
      ec2: c.client(EC2Client),
      rds: c.client(RDSClient),
      dynamodb: c.client(DynamoDBClient),
      s3: c.client(S3Client),
      efs: c.client(EFSClient),
      sns: c.client(SNSClient),
      topicArn: c.spec.environment.TOPIC_ARN,
    }),
};

export class FunctionRunner {
  readonly logs: FunctionLog[] = [];
  readonly invocations: FunctionInvocation[] = [];
  private readonly clients = new Map<string, unknown>();
  /** Logic of the functions by name suffix: the DR stack's own, and those other concerns define (`failback-workload-region-call`). */
  private readonly defined = new Map<string, FunctionLogic>(Object.entries(DR_FUNCTIONS));

  constructor(
    private readonly model: DrAccount,
    private readonly clock: VirtualClock,
    private readonly random: () => number,
    private readonly functions: Record<string, FunctionSpec>,
    private readonly estateName: string,
    private readonly region: string,
  ) {}

  /** Runs `logic` for the function `<estate name>-<suffix>` (another concern's function, e.g. failback's). */
  define(suffix: string, logic: FunctionLogic): void {
    this.defined.set(suffix, logic);
  }

  /** The function named by the end of a FunctionName (name or ARN). */
  spec(functionName: string): FunctionSpec {
    const name = functionName.split(':function:').pop()?.split(':')[0] ?? functionName;
    const spec = this.functions[name];
    if (!spec) throw new Error(`function ${name} is not in the synthesized DR stack`);
    return spec;
  }

  private client<C>(ClientClass: new (config: any) => C, spec: FunctionSpec): C {
    const key = `${spec.name}/${ClientClass.name}`;
    if (!this.clients.has(key)) this.clients.set(key, modelClient(ClientClass, this.region, this.model, spec.roleArn, undefined, `function:${spec.name}`));
    return this.clients.get(key) as C;
  }

  private logger(fn: string) {
    const log = (level: string) => (message: string, ...attributes: Record<string, unknown>[]) => {
      this.logs.push({ at: this.clock.now(), fn, level, message, attributes: Object.assign({}, ...attributes) });
    };
    return { info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
  }

  /** Runs the logic of `functionName` on `payload`, as Lambda would (JSON in, JSON out, the function's timeout). */
  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    const spec = this.spec(functionName);
    const started = this.clock.now();
    const event = JSON.parse(JSON.stringify(payload ?? null));
    const common: FunctionCommon = {
      spec,
      logger: this.logger(spec.name),
      sleep: (ms: number) => this.clock.sleep(ms),
      random: this.random,
      client: (ClientClass) => this.client(ClientClass, spec),
      now: () => this.clock.date(),
      assumedClient: (ClientClass, credentials, region) => assumedModelClient(ClientClass, region, this.model, this.model, credentials, `function:${spec.name}`),
    };
    const suffix = spec.name.slice(this.estateName.length + 1);
    const logic = this.defined.get(suffix);
    let output: unknown;
    try {
      if (!logic) throw new Error(`the rehearsal does not know the logic of function ${spec.name}`);
      output = await logic(event, common);
    } catch (error) {
      const e = error as Error;
      const failure = new FunctionError(e?.name && e.name !== 'Error' ? e.name : 'Error', e?.message ?? String(error));
      this.invocations.push({ fn: spec.name, at: started, endedAt: this.clock.now(), input: event, error: { name: failure.errorType, message: failure.errorMessage } });
      throw failure;
    }
    const elapsed = (this.clock.now() - started) / 1000;
    if (elapsed > spec.timeoutSeconds) {
      const failure = new FunctionError('Sandbox.Timedout', `Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds (the logic needed ${Math.round(elapsed)} s of simulated time)`);
      this.invocations.push({ fn: spec.name, at: started, endedAt: this.clock.now(), input: event, error: { name: failure.errorType, message: failure.errorMessage } });
      throw failure;
    }
    const json = JSON.parse(JSON.stringify(output ?? null));
    this.invocations.push({ fn: spec.name, at: started, endedAt: this.clock.now(), input: event, output: json });
    return json;
  }
}

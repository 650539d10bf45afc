/**
 * The recovery state machine exactly as synthesized: the estate of the configuration (`DR_CONFIG` or
 * config/example.json) is synthesized into a directory (or an already synthesized directory is read,
 * `--synth-dir`), and the definition, functions, landing zone and EBS rule are read from the DR
 * stack's `cdk.tf.json`; every policy the rehearsal evaluates comes from the same directory
 * (`policies`). Terraform references (`${aws_subnet.X.id}`) are replaced by deterministic fake IDs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { buildEstate } from '../app';
import { buildPolicyModel, type PolicyModel } from '../simulation/policy-model';
import { aslText, validAslDefinitions } from '../simulation/valid-asl';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../config/load';
import type { EstateConfig } from '../config/schema';
import type { StateMachineDefinition } from '../modules/recovery/asl';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (def: unknown, options?: { checkArn: boolean; checkPaths: boolean }) => { isValid: boolean; errors: unknown[]; errorsText?: (sep?: string) => string };

export interface FunctionSpec {
  readonly name: string;
  readonly arn: string;
  readonly roleArn: string;
  readonly timeoutSeconds: number;
  readonly environment: Record<string, string>;
}

export interface ServerGroupSpec {
  readonly name: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly availabilityZones: string[];
  /** Tags propagated to the instances (`dr:server`, `dr:workload`, `Name`). */
  readonly tags: Record<string, string>;
}

export interface SynthesizedRecovery {
  readonly config: EstateConfig;
  readonly configSource: string;
  readonly definition: StateMachineDefinition;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly executionRoleArn: string;
  /** Terraform reference → the fake ID used in the rehearsal. */
  readonly fakeIds: Record<string, string>;
  readonly subnets: { readonly id: string; readonly availabilityZone: string }[];
  readonly securityGroupIds: string[];
  readonly functions: Record<string, FunctionSpec>;
  readonly serverGroups: ServerGroupSpec[];
  /** Event pattern of the rule that invokes attach-restored-volume (as synthesized). */
  readonly ebsRestoreCompletedPattern: unknown;
  readonly connectDocumentName: string;
  /** The connect runbook's `AutomationAssumeRole` default: the role SSM runs it as when a caller names none. */
  readonly connectRunbookRoleArn?: string;
  readonly onCallTopicArn: string;
  /** The synthesized output directory the rehearsal read (`<dir>/stacks/<stack>/cdk.tf.json`). */
  readonly synthDir: string;
  /** Every policy of every stack of `synthDir`, for the authorizer. */
  readonly policies: PolicyModel;
  /**
   * Role ARN → the HTTP endpoints its `states:InvokeHTTPEndpoint` statements allow (`states:HTTPMethod`,
   * `states:HTTPEndpoint` conditions; StringLike patterns keep their `*`).
   */
  readonly allowedHttpEndpoints: Record<string, { readonly methods: string[]; readonly endpoints: string[] }[]>;
  /** The EventBridge connection of `recovery.infrastructure` terraformCloud (its ARN as the definition has it). */
  readonly terraformCloudConnection?: { readonly name: string; readonly arn: string; readonly apiUrl: string };
}

type Resources = Record<string, Record<string, Record<string, any>>>;

const TOKEN = /\$\{([^}]*)\}/g;

/** `subnet-0` + 16 hex digits from the reference: passes the functions' ID validation (`subnet-rehearsal0` would not). */
export function fakeIdFor(reference: string): string {
  const type = /^aws_([a-z0-9_]+)\./.exec(reference)?.[1];
  const prefix = type === 'subnet' ? 'subnet' : type === 'security_group' ? 'sg' : type === 'vpc' ? 'vpc' : 'id';
  return `${prefix}-0${createHash('sha256').update(reference).digest('hex').slice(0, 16)}`;
}

/** Replaces every `${...}` in every string of `value` (deeply) by its fake ID. */
export function replaceTokens<T>(value: T, fakeIds: Record<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(TOKEN, (_m, ref: string) => {
        fakeIds[ref] ??= fakeIdFor(ref);
        return fakeIds[ref];
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Throws when asl-validator rejects the definition (validated on a copy: asl-validator mutates its input). */
export function validateDefinition(definition: unknown): void {
  const text = aslText(definition);
  if (validAslDefinitions.has(text)) return;
  const result = aslValidator(JSON.parse(text), { checkArn: true, checkPaths: true });
  if (!result.isValid) {
    const errors = result.errorsText ? result.errorsText('\n') : JSON.stringify(result.errors, null, 2);
    throw new Error(`the synthesized recovery state machine is not valid ASL:\n${errors}`);
  }
  validAslDefinitions.add(text);
}

/** Role ARN → method and endpoint conditions of its `states:InvokeHTTPEndpoint` statements. */
function allowedHttpEndpointsOf(resources: Resources, accountId: string): SynthesizedRecovery['allowedHttpEndpoints'] {
  const out: Record<string, { methods: string[]; endpoints: string[] }[]> = {};
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  for (const policy of Object.values(resources.aws_iam_role_policy ?? {})) {
    const address = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(String(policy.role))?.[1];
    const role = address ? resources.aws_iam_role?.[address] : undefined;
    if (!role) continue;
    const arn = `arn:aws:iam::${accountId}:role/${role.name}`;
    const document = JSON.parse(String(policy.policy)) as { Statement: { Effect: string; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> }[] };
    for (const statement of document.Statement) {
      if (statement.Effect !== 'Allow' || !list(statement.Action).includes('states:InvokeHTTPEndpoint')) continue;
      const c = statement.Condition ?? {};
      (out[arn] ??= []).push({
        methods: list(c.StringEquals?.['states:HTTPMethod'] ?? '*'),
        endpoints: [...list(c.StringEquals?.['states:HTTPEndpoint']), ...list(c.StringLike?.['states:HTTPEndpoint'])],
      });
    }
  }
  return out;
}

function connectRunbookRoleOf(content: string, accountId: string): string | undefined {
  const value = (JSON.parse(content) as { parameters?: { AutomationAssumeRole?: { default?: string } } }).parameters?.AutomationAssumeRole?.default;
  return value && /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(value) && value.split(':')[4] === accountId ? value : undefined;
}

export function roleArnFromReference(resources: Resources, reference: string, accountId: string): string {
  const address = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(reference)?.[1];
  const role = address ? resources.aws_iam_role?.[address] : undefined;
  if (!role) throw new Error(`cannot resolve role ${reference} in the synthesized DR stack`);
  return `arn:aws:iam::${accountId}:role/${role.name}`;
}

export function readRawConfig(file = process.env.DR_CONFIG || EXAMPLE_CONFIG_PATH): { raw: unknown; source: string } {
  return { raw: JSON.parse(fs.readFileSync(file, 'utf8')), source: path.relative(process.cwd(), file) || file };
}

const cache = new Map<string, SynthesizedRecovery>();

/** Synthesizes the estate of a validated configuration into a new temporary directory (removed at exit). */
function synthesizeToTemporaryDirectory(config: EstateConfig): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-rehearsal-'));
  process.once('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
  buildEstate(config, { outdir }).app.synth();
  return outdir;
}

export function readStack(synthDir: string, name: string): { resource: Resources; provider?: { aws?: { allowed_account_ids?: string[]; region?: string }[] } } {
  const file = path.join(synthDir, 'stacks', name, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new Error(`--synth-dir ${synthDir}: no stack ${name} (expected ${file}); synthesize the estate first (npm run synth)`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Reads the recovery state machine from the DR stack of `synthDir` (default: the estate of `raw`,
 * synthesized into a temporary directory). The configuration still names the workloads; the
 * directory must have been synthesized from it (the DR stack's account and region are checked).
 */
export function synthesizeRecovery(raw: unknown, source = '(inline)', options: { synthDir?: string } = {}): SynthesizedRecovery {
  const key = JSON.stringify([raw, options.synthDir ?? null]);
  const cached = cache.get(key);
  if (cached) return cached;

  const config = parseConfig(raw, source);
  const synthDir = options.synthDir ? path.resolve(options.synthDir) : synthesizeToTemporaryDirectory(config);
  const stack = readStack(synthDir, 'dr');
  readStack(synthDir, 'backup-vault');
  const drProvider = stack.provider?.aws?.[0];
  if (drProvider && (drProvider.allowed_account_ids?.[0] !== config.accounts.dr.id || drProvider.region !== config.regions.recovery)) {
    throw new Error(
      `--synth-dir ${synthDir} was not synthesized from ${source}: its DR stack is for account ${drProvider.allowed_account_ids?.[0]} in ${drProvider.region}, the configuration's DR account is ${config.accounts.dr.id} in ${config.regions.recovery} (set DR_CONFIG to the configuration it was synthesized from)`,
    );
  }
  const policies = buildPolicyModel(synthDir, { organizationId: config.organizationId });
  const resources = stack.resource;
  const dr = config.accounts.dr.id;
  const region = config.regions.recovery;

  // The recovery machine; with any workload's `failback` the DR stack also holds `<name>-failback` (failback/estate.ts).
  const machines = Object.values(resources.aws_sfn_state_machine ?? {}).filter((m) => m.name !== `${config.name}-failback`);
  if (machines.length !== 1) throw new Error(`expected one recovery aws_sfn_state_machine in the DR stack, found ${machines.length}`);
  const machine = machines[0];
  const fakeIds: Record<string, string> = {};
  const definition = replaceTokens(JSON.parse(machine.definition as string) as StateMachineDefinition, fakeIds);
  validateDefinition(definition);

  const subnets = Object.entries(resources.aws_subnet ?? {}).map(([address, s]) => {
    const ref = `aws_subnet.${address}.id`;
    fakeIds[ref] ??= fakeIdFor(ref);
    return { id: fakeIds[ref], availabilityZone: String(s.availability_zone) };
  });
  const securityGroupIds = Object.keys(resources.aws_security_group ?? {}).map((address) => {
    const ref = `aws_security_group.${address}.id`;
    fakeIds[ref] ??= fakeIdFor(ref);
    return fakeIds[ref];
  });

  const functions: Record<string, FunctionSpec> = {};
  for (const f of Object.values(resources.aws_lambda_function ?? {})) {
    const name = String(f.function_name);
    functions[name] = {
      name,
      arn: `arn:aws:lambda:${region}:${dr}:function:${name}`,
      roleArn: roleArnFromReference(resources, String(f.role), dr),
      timeoutSeconds: Number(f.timeout ?? 3),
      environment: { ...(f.environment?.variables ?? {}) },
    };
  }

  const serverGroups: ServerGroupSpec[] = Object.values(resources.aws_autoscaling_group ?? {}).map((g) => {
    const zoneIds = replaceTokens(g.vpc_zone_identifier as string[], fakeIds);
    return {
      name: String(g.name),
      minSize: Number(g.min_size),
      maxSize: Number(g.max_size),
      desiredCapacity: Number(g.desired_capacity ?? 0),
      availabilityZones: zoneIds.map((id) => subnets.find((s) => s.id === id)?.availabilityZone ?? 'unknown'),
      tags: Object.fromEntries(((g.tag ?? []) as { key: string; value: string; propagate_at_launch: boolean }[]).filter((t) => t.propagate_at_launch).map((t) => [t.key, t.value])),
    };
  });

  const ebsRule = Object.values(resources.aws_cloudwatch_event_rule ?? {}).find((r) => r.name === `${config.name}-ebs-restore-completed`);
  if (!ebsRule) throw new Error(`no rule ${config.name}-ebs-restore-completed in the synthesized DR stack`);
  const documents = Object.values(resources.aws_ssm_document ?? {});
  const connect = documents.find((d) => String(d.name).endsWith('-connect-servers'));
  if (!connect) throw new Error('no connect-servers SSM document in the synthesized DR stack');

  const connections = Object.entries(resources.aws_cloudwatch_event_connection ?? {});
  if (connections.length > 1) throw new Error(`expected at most one aws_cloudwatch_event_connection in the DR stack, found ${connections.length}`);
  const terraformCloudConnection = connections.map(([address, c]) => {
    const ref = `aws_cloudwatch_event_connection.${address}.arn`;
    fakeIds[ref] ??= fakeIdFor(ref);
    return { name: String(c.name), arn: fakeIds[ref], apiUrl: `https://${config.terraformCloud?.hostname ?? 'app.terraform.io'}` };
  })[0];

  const synthesized: SynthesizedRecovery = {
    config,
    configSource: source,
    definition,
    stateMachineName: String(machine.name),
    stateMachineArn: `arn:aws:states:${region}:${dr}:stateMachine:${machine.name}`,
    executionRoleArn: roleArnFromReference(resources, String(machine.role_arn), dr),
    fakeIds,
    subnets,
    securityGroupIds,
    functions,
    serverGroups,
    ebsRestoreCompletedPattern: JSON.parse(String(ebsRule.event_pattern)),
    connectDocumentName: String(connect.name),
    ...(connectRunbookRoleOf(String(connect.content), dr) ? { connectRunbookRoleArn: connectRunbookRoleOf(String(connect.content), dr) } : {}),
    onCallTopicArn: `arn:aws:sns:${region}:${dr}:${config.name}-dr-on-call`,
    synthDir,
    policies,
    allowedHttpEndpoints: allowedHttpEndpointsOf(resources, dr),
    ...(terraformCloudConnection ? { terraformCloudConnection } : {}),
  };
  cache.set(key, synthesized);
  return synthesized;
}

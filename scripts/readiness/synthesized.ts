import * as fs from 'fs';
import * as path from 'path';
import { STACK_NAMES } from '../../config/naming';
import { WORKLOAD_TAG } from '../../config/tags';

/**
 * What the readiness report needs from a synthesized output directory (`cdktf.out`): only the
 * `cdk.tf.json` of each stack is read, nothing is planned and no AWS API is called.
 */

export interface SynthesizedServer {
  readonly workload: string;
  /** The `dr:server` value. */
  readonly role: string;
  readonly launchTemplateName: string;
  /** SSM parameter the launch template resolves its image from (`resolve:ssm:<name>`). */
  readonly amiParameter?: string;
  /** The AMI the parameter holds, when the parameter is in the same stack. */
  readonly amiId?: string;
}

export interface SynthesizedEstate {
  readonly outDir: string;
  /** Stack directory names, sorted. */
  readonly stacks: string[];
  /** `allowed_account_ids` of the DR stack's AWS providers. */
  readonly drAccountIds: string[];
  /** Names of the DR stack's Step Functions state machines. */
  readonly drStateMachines: string[];
  readonly servers: SynthesizedServer[];
  /** Names of every resource of each type, per stack: `aws_backup_restore_testing_plan`, ... */
  readonly namesByType: Record<string, Record<string, string[]>>;
}

export type SynthesizedResult = { readonly ok: true; readonly estate: SynthesizedEstate } | { readonly ok: false; readonly reason: string };

interface StackJson {
  provider?: { aws?: { allowed_account_ids?: string[] }[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Resource types whose names the report looks up (only these are indexed). */
export const INDEXED_TYPES = [
  'aws_backup_restore_testing_plan',
  'aws_backup_logically_air_gapped_vault',
  'aws_backup_vault',
  'aws_resiliencehub_resiliency_policy',
  'aws_sfn_state_machine',
  'aws_backup_global_settings',
] as const;

const nameOf = (r: Record<string, unknown>): string | undefined => (typeof r.name === 'string' ? r.name : undefined);

/** Reads `<outDir>/stacks/<stack>/cdk.tf.json`; not ok when there is no DR stack to read. */
export function readSynthesized(outDir: string): SynthesizedResult {
  const stacksDir = path.join(outDir, 'stacks');
  const drFile = path.join(stacksDir, STACK_NAMES.dr, 'cdk.tf.json');
  if (!fs.existsSync(drFile)) return { ok: false, reason: `${path.relative(process.cwd(), drFile) || drFile} does not exist` };
  const stacks = fs
    .readdirSync(stacksDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(stacksDir, e.name, 'cdk.tf.json')))
    .map((e) => e.name)
    .sort();
  const parsed: Record<string, StackJson> = {};
  for (const stack of stacks) {
    const file = path.join(stacksDir, stack, 'cdk.tf.json');
    try {
      parsed[stack] = JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson;
    } catch (e) {
      return { ok: false, reason: `${file} is not valid JSON (${(e as Error).message})` };
    }
  }
  const dr = parsed[STACK_NAMES.dr];
  const resources = (stack: StackJson, type: string) => Object.values(stack.resource?.[type] ?? {});
  const namesByType: Record<string, Record<string, string[]>> = {};
  for (const type of INDEXED_TYPES) {
    namesByType[type] = {};
    for (const stack of stacks) {
      const names = resources(parsed[stack], type).map(nameOf).filter((n): n is string => n !== undefined);
      if (names.length > 0) namesByType[type][stack] = names.sort();
    }
  }
  const parameters = new Map(resources(dr, 'aws_ssm_parameter').map((p) => [nameOf(p), typeof p.value === 'string' ? p.value : undefined]));
  const servers: SynthesizedServer[] = [];
  for (const template of resources(dr, 'aws_launch_template')) {
    const specs = Array.isArray(template.tag_specifications) ? (template.tag_specifications as { tags?: Record<string, string> }[]) : [];
    const tags = specs.find((s) => s.tags?.['dr:server'] && s.tags?.[WORKLOAD_TAG])?.tags;
    const launchTemplateName = nameOf(template);
    if (!tags || !launchTemplateName) continue;
    const image = typeof template.image_id === 'string' ? template.image_id : '';
    const amiParameter = image.startsWith('resolve:ssm:') ? image.slice('resolve:ssm:'.length) : undefined;
    servers.push({
      workload: tags[WORKLOAD_TAG],
      role: tags['dr:server'],
      launchTemplateName,
      amiParameter,
      amiId: amiParameter ? parameters.get(amiParameter) : undefined,
    });
  }
  return {
    ok: true,
    estate: {
      outDir,
      stacks,
      drAccountIds: (dr.provider?.aws ?? []).flatMap((p) => p.allowed_account_ids ?? []),
      drStateMachines: resources(dr, 'aws_sfn_state_machine').map(nameOf).filter((n): n is string => n !== undefined),
      servers: servers.sort((a, b) => `${a.workload}/${a.role}`.localeCompare(`${b.workload}/${b.role}`)),
      namesByType,
    },
  };
}

/** Whether a resource of `type` named `name` is in `stack` (any stack when omitted). */
export function hasResource(estate: SynthesizedEstate, type: (typeof INDEXED_TYPES)[number], name: string, stack?: string): boolean {
  const byStack = estate.namesByType[type] ?? {};
  return Object.entries(byStack).some(([s, names]) => (stack === undefined || s === stack) && names.includes(name));
}

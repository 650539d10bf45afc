import type { EstateConfig } from '../../config/schema';
import { EstateNames, STACK_NAMES, workloadStackName } from '../../config/naming';

/**
 * The Terraform Cloud workspace manifest of an estate: one workspace per stack, with its rollout wave.
 *
 * Waves: `organization` 0 (only with accounts.management), `backup-vault` 1, `dr` 2, then the workloads,
 * sorted by name, `waveSize` at a time from wave 3. Stacks never read each other's state, so the waves
 * are a rollout order (blast radius, copy jobs that succeed from the start), not a dependency.
 */

export const EXECUTION_MODES = ['remote', 'local', 'agent'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];
export type StackRole = 'organization' | 'backup-vault' | 'dr' | 'workload';

export const DEFAULT_WAVE_SIZE = 25;
export const FIRST_WORKLOAD_WAVE = 3;
/** Terraform Cloud tag names (as the config schema accepts them). */
const TAG_PATTERN = /^[a-z0-9:_-]{1,255}$/;

export interface WorkspaceEntry {
  stack: string;
  workspace: string;
  organization: string;
  project?: string;
  hostname?: string;
  role: StackRole;
  /** Only for workload stacks. */
  workload?: string;
  wave: number;
  tags: string[];
  executionMode: ExecutionMode;
  workingDirectory: string;
}

export interface WorkspaceManifest {
  estate: string;
  organization: string;
  project?: string;
  hostname?: string;
  executionMode: ExecutionMode;
  waveSize: number;
  waves: { wave: number; workspaces: string[] }[];
  workspaces: WorkspaceEntry[];
}

export interface ManifestOptions {
  /** Workloads per wave. Default 25. */
  waveSize?: number;
  /** Directory of the synthesized stacks, relative to the repository (the workspaces' working directory). Default `cdktf.out/stacks`. */
  stacksDir?: string;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * `terraformCloud.executionMode` and `.tags`, read defensively: they may not be in the schema (then
 * absent after validation), and are checked here whatever the schema says.
 */
function terraformCloudExtras(tfc: unknown): { executionMode: ExecutionMode; tags: string[] } {
  const extra = (tfc ?? {}) as { executionMode?: unknown; tags?: unknown };
  const mode = extra.executionMode ?? 'remote';
  if (typeof mode !== 'string' || !(EXECUTION_MODES as readonly string[]).includes(mode)) {
    throw new ManifestError(`terraformCloud.executionMode: must be ${EXECUTION_MODES.join(', ')} (got ${JSON.stringify(mode)})`);
  }
  const tags = extra.tags ?? [];
  if (!Array.isArray(tags)) throw new ManifestError('terraformCloud.tags: must be a list of tag names');
  tags.forEach((t, i) => {
    if (typeof t !== 'string' || !TAG_PATTERN.test(t)) throw new ManifestError(`terraformCloud.tags[${i}]: must be a Terraform Cloud tag (lowercase letters, digits, ":", "_", "-"), got ${JSON.stringify(t)}`);
  });
  return { executionMode: mode as ExecutionMode, tags: tags as string[] };
}

export function workspaceManifest(config: EstateConfig, options: ManifestOptions = {}): WorkspaceManifest {
  const tfc = config.terraformCloud;
  if (!tfc) throw new ManifestError('terraformCloud is not set in the configuration: the stacks use local state, there are no Terraform Cloud workspaces (set terraformCloud.organization)');
  const waveSize = options.waveSize ?? DEFAULT_WAVE_SIZE;
  if (!Number.isInteger(waveSize) || waveSize < 1) throw new ManifestError(`wave size must be a positive whole number (got ${waveSize})`);
  const stacksDir = (options.stacksDir ?? 'cdktf.out/stacks').replace(/\/+$/, '');
  const { executionMode, tags: extraTags } = terraformCloudExtras(tfc);
  const names = new EstateNames(config);

  const stacks: { stack: string; role: StackRole; wave: number; workload?: string }[] = [];
  if (config.accounts.management) stacks.push({ stack: STACK_NAMES.organization, role: 'organization', wave: 0 });
  stacks.push({ stack: STACK_NAMES.backupVault, role: 'backup-vault', wave: 1 });
  stacks.push({ stack: STACK_NAMES.dr, role: 'dr', wave: 2 });
  const workloadNames = config.workloads.map((w) => w.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  workloadNames.forEach((name, i) => stacks.push({ stack: workloadStackName(name), role: 'workload', workload: name, wave: FIRST_WORKLOAD_WAVE + Math.floor(i / waveSize) }));

  const workspaces = stacks.map(({ stack, role, wave, workload }): WorkspaceEntry => ({
    stack,
    workspace: names.workspaceName(stack),
    organization: tfc.organization,
    ...(tfc.project !== undefined ? { project: tfc.project } : {}),
    ...(tfc.hostname !== undefined ? { hostname: tfc.hostname } : {}),
    role,
    ...(workload !== undefined ? { workload } : {}),
    wave,
    tags: [...new Set(['dr', `estate:${config.name}`, `role:${role}`, `wave:${wave}`, ...extraTags])],
    executionMode,
    workingDirectory: `${stacksDir}/${stack}`,
  }));

  const waves = new Map<number, string[]>();
  for (const w of workspaces) waves.set(w.wave, [...(waves.get(w.wave) ?? []), w.workspace]);

  return {
    estate: config.name,
    organization: tfc.organization,
    ...(tfc.project !== undefined ? { project: tfc.project } : {}),
    ...(tfc.hostname !== undefined ? { hostname: tfc.hostname } : {}),
    executionMode,
    waveSize,
    waves: [...waves.entries()].sort(([a], [b]) => a - b).map(([wave, ws]) => ({ wave, workspaces: ws })),
    workspaces,
  };
}

import type { EstateConfig, WorkloadConfig } from '../../config/schema';
import { EstateNames, STACK_NAMES, workloadRegion, workloadStackName } from '../../config/naming';
import { worstCaseIntervalMinutes, formatMinutes } from '../../config/schedule-interval';
import { scheduleExpressionProblem } from '../../config/schedule-expression';
import { CONTINUOUS_RPO_MINUTES, type ConfigIssue } from '../../config/semantic-checks';
import { amiParameterName } from '../../modules/recovery-landing-zone';
import { tierForRto, type ResiliencyTier } from '../../modules/resiliency-policy';
import { costOutcome } from '../../cost';
import { hasResource, type SynthesizedEstate } from './synthesized';

/**
 * The DR readiness report: for each workload, what its configuration and the synthesized stacks promise
 * (targets, schedule, copy path, vault, restore testing, servers, recovery state machine) and the
 * findings that would break a recovery in a real account. Pure: configuration and synthesized output in,
 * report out; rendering is render.ts.
 */

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  /** Stable identifier, e.g. `rpo-not-met`, `cmk-required-for-copy`. */
  readonly code: string;
  readonly message: string;
  /** Configuration field the finding is about, when there is one. */
  readonly path?: string;
}

export interface RuleReadiness {
  readonly name: string;
  readonly schedule: string;
  readonly continuous: boolean;
  /** Worst-case minutes between runs; null when the schedule is invalid or never runs twice. */
  readonly worstCaseIntervalMinutes: number | null;
}

export interface VaultHop {
  readonly vault: string;
  readonly kind: 'local' | 'central' | 'air-gapped' | 'dr-restore';
  readonly accountId: string;
  readonly region: string;
  /** When a recovery point gets there. */
  readonly when: string;
}

export interface LockReadiness {
  readonly mode: 'governance' | 'compliance';
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  readonly changeableForDays?: number;
}

export interface VaultReadiness {
  readonly kind: EstateConfig['centralVault']['kind'];
  /** The locked central vault (kinds locked and both). */
  readonly locked: { readonly name: string; readonly regions: string[]; readonly lock: LockReadiness } | null;
  /** The logically air-gapped vault (kinds airGapped and both): always compliance mode. */
  readonly airGapped: { readonly name: string; readonly region: string; readonly lock: LockReadiness; readonly shareWith: string; readonly synthesized: boolean | null } | null;
}

export interface WorkloadReadiness {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly stack: string;
  readonly targets: { readonly rtoMinutes: number; readonly rpoMinutes: number };
  readonly schedule: {
    readonly rules: RuleReadiness[];
    /** The rule with the shortest worst-case interval. */
    readonly mostFrequentRule: string | null;
    /** A continuous (point-in-time) rule, if any. */
    readonly continuousRule: string | null;
    /** Best RPO in the workload's own region: 5 minutes with a continuous rule, else the most frequent rule's interval. */
    readonly workloadRegionRpoMinutes: number | null;
    /** Best RPO from the copies in the recovery region: copies are snapshots, made on each rule's schedule. */
    readonly recoveryRegionRpoMinutes: number | null;
    readonly meetsTarget: boolean;
  };
  readonly copyPath: VaultHop[];
  readonly vault: VaultReadiness;
  readonly restoreTesting: {
    readonly planName: string;
    readonly schedule: string;
    readonly resourceTypes: string[];
    readonly selectionWindowDays: number;
    readonly validationWindowHours: number;
    /** Vaults the DR account's tests can pick recovery points from. */
    readonly vaults: string[];
    readonly synthesized: boolean | null;
  } | null;
  readonly servers: {
    readonly role: string;
    readonly instanceType: string;
    readonly size: number;
    readonly amiParameter: string;
    readonly amiId: string;
    readonly launchTemplateName: string;
    /** null: no synthesized output read. */
    readonly synthesized: boolean | null;
  }[];
  readonly recoveryStateMachine: { readonly name: string; readonly synthesized: boolean | null };
  readonly resilienceHubPolicy: { readonly name: string; readonly tier: ResiliencyTier; readonly synthesized: boolean | null } | null;
  /** What the workload's backups, copies and restore tests cost a month (cost/, docs/cost.md). */
  readonly monthlyCost: MonthlyCost;
  /** Failback to the workload's own account and region (docs/failback.md), or what configuring it needs. */
  readonly failback: FailbackReadiness;
  readonly findings: Finding[];
}

/** Whether failback is configured, how, and what it would need (the fields of `workloads[].failback`). */
export type FailbackReadiness =
  | { readonly configured: true; readonly freeze: string; readonly dnsSwitch: boolean; readonly graceHours: number; readonly roleName: string }
  | { readonly configured: false; readonly needs: string[] };

/** An estimate in US dollars with the date of the prices it used, or why there is none (a missing price). */
export type MonthlyCost = { readonly usd: number; readonly priceDate: string } | { readonly error: string };

export interface ReadinessReport {
  readonly estate: string;
  readonly configPath: string;
  /** The synthesized output read, or null. */
  readonly outDir: string | null;
  readonly recovery: { readonly region: string; readonly drAccountId: string; readonly backupVaultAccountId: string };
  readonly vault: VaultReadiness;
  /** Who switches on cross-account backup: the organization stack (with `accounts.management`) or nobody here. */
  readonly crossAccountOptIn: { readonly managedByStack: boolean; readonly regions: string[] };
  readonly workloads: WorkloadReadiness[];
  /** The estate's monthly cost: every workload and what they share (keys, DR account). */
  readonly monthlyCost: MonthlyCost;
  /** Findings about the estate as a whole. */
  readonly findings: Finding[];
  readonly summary: { readonly errors: number; readonly warnings: number; readonly ready: boolean };
}

export interface ReadinessInput {
  readonly config: EstateConfig;
  readonly configPath: string;
  /** Cross-field violations of the configuration (they become error findings). */
  readonly issues: readonly ConfigIssue[];
  /** The synthesized output, or why there is none. */
  readonly synthesized: SynthesizedEstate | { readonly missing: string };
}

/**
 * Resource types whose recovery points keep the source resource's own KMS key (AWS Backup does not
 * fully manage them): cross-account copies need that key to be customer managed and shared.
 */
export const SOURCE_KEY_TYPES = ['EBS', 'EC2', 'RDS', 'Aurora', 'FSx'] as const;

const list = (items: readonly string[]) => items.join(', ');

function lockOf(config: EstateConfig): LockReadiness {
  const { mode, minRetentionDays, maxRetentionDays, changeableForDays } = config.vaultLock;
  return { mode, minRetentionDays, maxRetentionDays, ...(changeableForDays !== undefined ? { changeableForDays } : {}) };
}

function vaultReadiness(config: EstateConfig, synthesized: SynthesizedEstate | undefined): VaultReadiness {
  const names = new EstateNames(config);
  const { kind, shareWith } = config.centralVault;
  const lock = lockOf(config);
  const regions: string[] = [config.regions.recovery];
  if (config.accounts.backupVault.primaryRegionCopy) {
    for (const w of config.workloads) {
      const r = workloadRegion(config, w);
      if (!regions.includes(r)) regions.push(r);
    }
  }
  return {
    kind,
    locked: kind === 'airGapped' ? null : { name: names.centralVaultName, regions, lock },
    airGapped:
      kind === 'locked'
        ? null
        : {
            name: names.airGappedVaultName,
            region: config.regions.recovery,
            lock: { mode: 'compliance', minRetentionDays: lock.minRetentionDays, maxRetentionDays: lock.maxRetentionDays },
            shareWith,
            synthesized: synthesized ? hasResource(synthesized, 'aws_backup_logically_air_gapped_vault', names.airGappedVaultName, STACK_NAMES.backupVault) : null,
          },
  };
}

function copyPath(config: EstateConfig, workload: WorkloadConfig): VaultHop[] {
  const names = new EstateNames(config);
  const region = workloadRegion(config, workload);
  const vaultAccount = config.accounts.backupVault.id;
  const { kind } = config.centralVault;
  const hops: VaultHop[] = [{ vault: names.workloadVaultName(workload.name), kind: 'local', accountId: workload.accountId, region, when: 'every backup' }];
  if (kind !== 'airGapped') {
    hops.push({ vault: names.centralVaultName, kind: 'central', accountId: vaultAccount, region: config.regions.recovery, when: 'copied after every backup' });
    if (config.accounts.backupVault.primaryRegionCopy) hops.push({ vault: names.centralVaultName, kind: 'central', accountId: vaultAccount, region, when: 'copied after every backup' });
  }
  if (kind !== 'locked') {
    hops.push({ vault: names.airGappedVaultName, kind: 'air-gapped', accountId: vaultAccount, region: config.regions.recovery, when: 'copied after every backup; shared with the DR account (AWS RAM), restored from directly' });
  }
  if (kind !== 'airGapped') {
    hops.push({ vault: names.drRestoreVaultName, kind: 'dr-restore', accountId: config.accounts.dr.id, region: config.regions.recovery, when: 'copied from the central vault at recovery (CopyToRestoreVault)' });
  }
  return hops;
}

function scheduleReadiness(workload: WorkloadConfig): WorkloadReadiness['schedule'] {
  const rules: RuleReadiness[] = workload.backup.rules.map((r) => {
    const valid = scheduleExpressionProblem(r.schedule) === undefined;
    const interval = valid ? worstCaseIntervalMinutes(r.schedule) : Infinity;
    return { name: r.name, schedule: r.schedule, continuous: r.continuous, worstCaseIntervalMinutes: Number.isFinite(interval) ? interval : null };
  });
  let best: RuleReadiness | undefined;
  for (const r of rules) {
    if (r.worstCaseIntervalMinutes !== null && (!best || r.worstCaseIntervalMinutes < best.worstCaseIntervalMinutes!)) best = r;
  }
  const continuous = rules.find((r) => r.continuous);
  const recoveryRegionRpoMinutes = best?.worstCaseIntervalMinutes ?? null;
  const workloadRegionRpoMinutes = continuous ? CONTINUOUS_RPO_MINUTES : recoveryRegionRpoMinutes;
  return {
    rules,
    mostFrequentRule: best?.name ?? null,
    continuousRule: continuous?.name ?? null,
    workloadRegionRpoMinutes,
    recoveryRegionRpoMinutes,
    meetsTarget: workloadRegionRpoMinutes !== null && workload.targets.rpoMinutes >= workloadRegionRpoMinutes,
  };
}

/** Config issues under `workloads[i]` belong to that workload; the others to the estate. */
function workloadIndexOf(issue: ConfigIssue): number | undefined {
  const m = /^workloads\[(\d+)\](?:[.[]|$)/.exec(issue.path);
  return m ? Number(m[1]) : undefined;
}

const configFinding = (issue: ConfigIssue): Finding => ({ severity: 'error', code: issue.code ?? 'config-invalid', message: issue.message, path: issue.path });

function workloadFindings(config: EstateConfig, workload: WorkloadConfig, index: number, w: Omit<WorkloadReadiness, 'findings'>, issues: readonly ConfigIssue[], synthesized: SynthesizedEstate | undefined): Finding[] {
  const findings: Finding[] = issues.filter((i) => workloadIndexOf(i) === index).map(configFinding);
  const names = new EstateNames(config);
  const path = `workloads[${index}]`;
  const { kind } = config.centralVault;
  const destinations = w.copyPath.filter((h) => h.kind === 'central' || h.kind === 'air-gapped').map((h) => `${h.vault} (${h.region})`);
  const types = workload.backup.resourceTypes;

  const sourceKeyTypes = SOURCE_KEY_TYPES.filter((t) => types.includes(t));
  if (sourceKeyTypes.length > 0) {
    findings.push({
      severity: 'warning',
      code: 'cmk-required-for-copy',
      path: `${path}.backup.resourceTypes`,
      message:
        `${list(sourceKeyTypes)} recovery points keep the source resource's KMS key: those resources must be encrypted with a customer managed key whose policy lets the backup-vault account ${config.accounts.backupVault.id} use it (docs/rollout.md, Prerequisites 4). ` +
        `On an AWS managed key (aws/ebs, aws/rds) the local backup succeeds and every copy to ${list(destinations)} fails${kind === 'locked' ? '' : ' (the air-gapped vault accepts them only from customer managed keys too)'}.`,
    });
  }
  if (types.includes('DynamoDB')) {
    findings.push({
      severity: 'warning',
      code: 'dynamodb-advanced-backup',
      path: `${path}.backup.resourceTypes`,
      message: `DynamoDB tables are copied cross-account only with AWS Backup advanced features for DynamoDB switched on in account ${workload.accountId} (${w.region}): \`aws backup update-region-settings --resource-type-management-preference DynamoDB=true\`. Without them every DynamoDB copy job fails.`,
    });
  }
  const continuousRules = workload.backup.rules.map((r, j) => ({ r, j })).filter(({ r }) => r.continuous);
  if (continuousRules.length > 0 && w.schedule.recoveryRegionRpoMinutes !== null) {
    const dr = w.schedule.recoveryRegionRpoMinutes;
    findings.push({
      severity: 'warning',
      code: 'continuous-copy-is-snapshot',
      path: `${path}.backup.rules[${continuousRules[0].j}].continuous`,
      message:
        `rule${continuousRules.length === 1 ? '' : 's'} ${list(continuousRules.map(({ r }) => r.name))} ${continuousRules.length === 1 ? 'is' : 'are'} continuous, but point-in-time recovery exists only in the local vault in ${w.region}: ` +
        `cross-account copies are snapshots taken on the rules' schedules, so after the loss of ${w.region} the RPO is ${formatMinutes(dr)} (rule ${w.schedule.mostFrequentRule})` +
        (workload.targets.rpoMinutes < dr ? `, longer than targets.rpoMinutes (${workload.targets.rpoMinutes} minutes)` : '') +
        '.',
    });
  }
  if (workload.restoreTesting && kind === 'locked') {
    findings.push({
      severity: 'warning',
      code: 'restore-testing-locked-only',
      path: `${path}.restoreTesting`,
      message:
        `restore testing runs in the DR account and, with centralVault.kind "locked", can pick only recovery points in the DR restore vault ${names.drRestoreVaultName}, which holds copies only after a recovery or drill copied them there: most scheduled tests will find nothing to restore. ` +
        'Use centralVault.kind "airGapped" or "both" (the DR account then tests from the shared air-gapped vault).',
    });
  }
  if (kind !== 'locked') {
    findings.push({
      severity: 'warning',
      code: 'air-gapped-resource-support',
      path: `${path}.backup.resourceTypes`,
      message:
        `copies to the logically air-gapped vault ${names.airGappedVaultName} cross accounts and Regions (${w.region} → ${config.regions.recovery}). AWS Backup does not accept every resource type in a logically air-gapped vault, nor cross-Region copy to one for every type: ` +
        `check ${list(types)} in "Feature availability by resource" (AWS Backup Developer Guide) before relying on it; an unsupported type fails its copy job while the local backup succeeds.`,
    });
    const cold = workload.backup.rules.map((r, j) => ({ r, j })).filter(({ r }) => r.copyColdStorageAfterDays !== undefined);
    if (cold.length > 0) {
      findings.push({
        severity: 'warning',
        code: 'air-gapped-cold-storage',
        path: `${path}.backup.rules[${cold[0].j}].copyColdStorageAfterDays`,
        message: `rule${cold.length === 1 ? '' : 's'} ${list(cold.map(({ r }) => r.name))} move${cold.length === 1 ? 's' : ''} copies to cold storage; cold storage is available only for some resource types, and for a logically air-gapped vault check "Feature availability by resource" first: where it is not, the copy in ${names.airGappedVaultName} stays in warm storage (cost) for the whole retention.`,
      });
    }
  }

  if (synthesized) {
    if (!synthesized.stacks.includes(w.stack)) {
      findings.push({ severity: 'warning', code: 'synth-stale', message: `the synthesized output ${synthesized.outDir} has no stack ${w.stack}: it was synthesized from another configuration; run \`npm run synth\` again` });
    }
    for (const s of w.servers.filter((s) => s.synthesized === false)) {
      findings.push({
        severity: 'error',
        code: 'server-not-synthesized',
        path: `${path}.servers`,
        message: `server role ${s.role} has no launch template ${s.launchTemplateName} in the synthesized DR stack: recovery could not build it. Run \`npm run synth\` again and apply the dr stack`,
      });
    }
    if (w.restoreTesting && w.restoreTesting.synthesized === false) {
      findings.push({ severity: 'warning', code: 'restore-testing-not-synthesized', path: `${path}.restoreTesting`, message: `no restore testing plan ${w.restoreTesting.planName} in the synthesized output: run \`npm run synth\` again` });
    }
    if (w.resilienceHubPolicy && w.resilienceHubPolicy.synthesized === false) {
      findings.push({ severity: 'warning', code: 'resiliency-policy-not-synthesized', path: 'readiness.resilienceHubPolicies', message: `no Resilience Hub policy ${w.resilienceHubPolicy.name} in the synthesized stack ${w.stack}: run \`npm run synth\` again` });
    }
  }
  return sortFindings(findings);
}

function estateFindings(input: ReadinessInput, vault: VaultReadiness, synthesized: SynthesizedEstate | undefined): Finding[] {
  const { config } = input;
  const findings: Finding[] = input.issues.filter((i) => workloadIndexOf(i) === undefined).map(configFinding);
  const names = new EstateNames(config);
  if ('missing' in input.synthesized) {
    findings.push({ severity: 'error', code: 'synth-missing', message: `no synthesized output to check: ${input.synthesized.missing}. Run \`npm run synth\` first (with the same DR_CONFIG), or pass --synth` });
  }
  if (!config.accounts.management) {
    findings.push({
      severity: 'warning',
      code: 'cross-account-opt-in',
      path: 'accounts.management',
      message:
        'is not set, so no stack switches on cross-account backup: unless it was done by hand from the Organizations management account (`aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true`, ' +
        `in ${list(optInRegions(config))}), every copy into the backup-vault account fails. Check with \`aws backup describe-global-settings\`, or set accounts.management`,
    });
  }
  if (vault.airGapped && config.vaultLock.mode === 'governance') {
    findings.push({
      severity: 'warning',
      code: 'air-gapped-always-compliance',
      path: 'vaultLock.mode',
      message:
        `is "governance", but the logically air-gapped vault ${vault.airGapped.name} is always locked in compliance mode: nobody, the break-glass role included, can delete its recovery points or shorten their retention before ${config.vaultLock.minRetentionDays} days. ` +
        (vault.locked ? `"governance" applies to the locked central vault ${vault.locked.name} only.` : 'With centralVault.kind "airGapped" there is no vault the governance mode applies to.'),
    });
  }
  if (synthesized) {
    const stateMachine = `${config.name}-recovery`;
    if (!synthesized.drStateMachines.includes(stateMachine)) {
      findings.push({ severity: 'error', code: 'recovery-state-machine-missing', message: `the synthesized DR stack has no state machine ${stateMachine}: nothing could run a recovery. Run \`npm run synth\` again` });
    }
    if (synthesized.drAccountIds.length > 0 && !synthesized.drAccountIds.includes(config.accounts.dr.id)) {
      findings.push({ severity: 'warning', code: 'synth-stale', message: `the synthesized DR stack deploys into account ${list(synthesized.drAccountIds)}, not accounts.dr.id ${config.accounts.dr.id}: it was synthesized from another configuration; run \`npm run synth\` again` });
    }
    if (vault.airGapped && vault.airGapped.synthesized === false) {
      findings.push({ severity: 'warning', code: 'synth-stale', message: `the synthesized backup-vault stack has no logically air-gapped vault ${names.airGappedVaultName}: run \`npm run synth\` again` });
    }
  }
  return sortFindings(findings);
}

/** Regions where cross-account backup must be switched on: the recovery region and every workload region. */
function optInRegions(config: EstateConfig): string[] {
  return [...new Set<string>([config.regions.recovery, ...config.workloads.map((w) => workloadRegion(config, w))])].sort();
}

function sortFindings(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : 1);
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
}

function failbackReadiness(names: EstateNames, workload: WorkloadConfig): FailbackReadiness {
  const f = workload.failback;
  if (!f) {
    return {
      configured: false,
      needs: ['subnetIds and securityGroupIds of the workload account to restore into', 'kmsKeyArn, a customer managed key of the workload account', 'optionally dnsRecord (with recovery.healthAlarmName) and a freeze method'],
    };
  }
  const freeze = f.freeze.kind === 'scaleDown' ? `scale server groups to ${f.freeze.size}` : f.freeze.kind === 'runbook' ? `runbook ${f.freeze.documentName}` : 'none (writes after the final backups are lost)';
  return { configured: true, freeze, dnsSwitch: f.dnsRecord !== undefined, graceHours: f.graceHours, roleName: names.workloadFailbackRoleName(workload.name) };
}

/** Builds the report. Pure: no file or network access. */
export function buildReadinessReport(input: ReadinessInput): ReadinessReport {
  const { config } = input;
  const synthesized = 'missing' in input.synthesized ? undefined : input.synthesized;
  const names = new EstateNames(config);
  const vault = vaultReadiness(config, synthesized);
  const stateMachineName = `${config.name}-recovery`;
  // The report still shows everything else when a price is missing.
  const outcome = costOutcome(config);
  const cost = 'error' in outcome ? outcome : outcome.estimate;
  const workloadCost = (name: string): MonthlyCost => ('error' in cost ? cost : { usd: cost.workloads.find((w) => w.name === name)?.totalMonthlyUsd ?? 0, priceDate: cost.priceDate });
  const workloads = config.workloads.map((workload, index): WorkloadReadiness => {
    const region = workloadRegion(config, workload);
    const stack = workloadStackName(workload.name);
    const synthServers = synthesized?.servers.filter((s) => s.workload === workload.name) ?? [];
    const base: Omit<WorkloadReadiness, 'findings'> = {
      name: workload.name,
      accountId: workload.accountId,
      region,
      stack,
      targets: { rtoMinutes: workload.targets.rtoMinutes, rpoMinutes: workload.targets.rpoMinutes },
      schedule: scheduleReadiness(workload),
      copyPath: copyPath(config, workload),
      vault,
      restoreTesting: workload.restoreTesting
        ? {
            planName: names.restoreTestingPlanName(workload.name),
            schedule: workload.restoreTesting.schedule,
            resourceTypes: [...workload.restoreTesting.resourceTypes],
            selectionWindowDays: workload.restoreTesting.selectionWindowDays,
            validationWindowHours: workload.restoreTesting.validationWindowHours,
            vaults: [...(vault.airGapped ? [vault.airGapped.name] : []), ...(vault.locked ? [names.drRestoreVaultName] : [])],
            synthesized: synthesized ? hasResource(synthesized, 'aws_backup_restore_testing_plan', names.restoreTestingPlanName(workload.name)) : null,
          }
        : null,
      servers: workload.servers.map((s) => {
        const found = synthServers.find((x) => x.role === s.role);
        return {
          role: s.role,
          instanceType: s.instanceType,
          size: s.size,
          amiParameter: found?.amiParameter ?? amiParameterName(config.name, workload.name, s.role),
          amiId: found?.amiId ?? s.amiId,
          launchTemplateName: found?.launchTemplateName ?? `${config.name}-${workload.name}-${s.role}`,
          synthesized: synthesized ? found !== undefined : null,
        };
      }),
      recoveryStateMachine: { name: stateMachineName, synthesized: synthesized ? synthesized.drStateMachines.includes(stateMachineName) : null },
      resilienceHubPolicy: config.readiness.resilienceHubPolicies
        ? {
            name: names.resiliencyPolicyName(workload.name),
            tier: tierForRto(workload.targets.rtoMinutes),
            synthesized: synthesized ? hasResource(synthesized, 'aws_resiliencehub_resiliency_policy', names.resiliencyPolicyName(workload.name), stack) : null,
          }
        : null,
      monthlyCost: workloadCost(workload.name),
      failback: failbackReadiness(names, workload),
    };
    return { ...base, findings: workloadFindings(config, workload, index, base, input.issues, synthesized) };
  });
  const findings = estateFindings(input, vault, synthesized);
  const all = [...findings, ...workloads.flatMap((w) => w.findings)];
  const errors = all.filter((f) => f.severity === 'error').length;
  return {
    estate: config.name,
    configPath: input.configPath,
    outDir: synthesized?.outDir ?? null,
    recovery: { region: config.regions.recovery, drAccountId: config.accounts.dr.id, backupVaultAccountId: config.accounts.backupVault.id },
    vault,
    crossAccountOptIn: { managedByStack: config.accounts.management !== undefined, regions: optInRegions(config) },
    workloads,
    monthlyCost: 'error' in cost ? cost : { usd: cost.totalMonthlyUsd, priceDate: cost.priceDate },
    findings,
    summary: { errors, warnings: all.length - errors, ready: errors === 0 },
  };
}

import { AWS_REGIONS, partitionOf } from '../../config/regions';
import { estateConfigSchema, type EstateConfigInput } from '../../config/schema';
import { formatPath } from '../../config/load';

/**
 * Turns an AWS Organizations export into this project's `workloads` entries. Pure: no AWS calls, no
 * file access (scripts/workloads-from-organizations.ts reads the files).
 *
 * Inputs:
 * - `aws organizations list-accounts --output json` (`{ "Accounts": [ { "Id", "Arn", "Email", "Name",
 *   "Status", "JoinedMethod", "JoinedTimestamp" } ] }`; accounts listed by newer CLIs also carry
 *   `State`, which wins over the deprecated `Status`).
 * - optionally, details per account: `{ "<accountId>": { "parentId": "ou-...", "tags": { "k": "v" } } }`
 *   (`tags` may also be the `[{ "Key", "Value" }]` list that `list-tags-for-resource` returns).
 */

export interface OrganizationsAccount {
  Id: string;
  Arn?: string;
  Email?: string;
  Name?: string;
  Status?: string;
  State?: string;
  JoinedMethod?: string;
  JoinedTimestamp?: string | number;
}

export interface AccountDetails {
  parentId?: string;
  tags?: Record<string, string> | { Key: string; Value: string }[];
}

export type BackupRuleInput = EstateConfigInput['workloads'][number]['backup']['rules'][number];
export type WorkloadInput = EstateConfigInput['workloads'][number];

export interface WorkloadOptions {
  /** Keep accounts whose direct parent is one of these OUs (or roots). Needs details. */
  ous?: string[];
  /** Keep accounts carrying every one of these tags; a `value` of undefined means any value. Needs details. */
  tags?: { key: string; value?: string }[];
  /** Never workloads: the backup-vault, DR and management accounts, for example. */
  exclude?: string[];
  /** Names already taken (e.g. workloads of an existing configuration); derived names avoid them. */
  reservedNames?: string[];
  region?: string;
  roleName?: string;
  selectionTagKey?: string;
  rules?: BackupRuleInput[];
}

export interface SkippedAccount {
  id: string;
  name: string;
  reason: string;
}

export interface WorkloadsResult {
  workloads: WorkloadInput[];
  skipped: SkippedAccount[];
}

/** Longest workload name whose derived names fit every AWS limit for any estate name (≤ 20 characters). */
export const MAX_WORKLOAD_NAME_LENGTH = 22;
export const DEFAULT_ROLE_NAME = 'terraform-dr';
export const DEFAULT_SELECTION_TAG_KEY = 'backup-plan';
export const DEFAULT_RULES: BackupRuleInput[] = [{ name: 'daily', schedule: 'cron(0 17 * * ? *)', retentionDays: 35, copyRetentionDays: 90 }];

export class OrganizationsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrganizationsInputError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Validates the JSON of `aws organizations list-accounts`. */
export function parseListAccounts(raw: unknown, source = 'list-accounts'): OrganizationsAccount[] {
  if (!isObject(raw) || !Array.isArray(raw.Accounts)) throw new OrganizationsInputError(`${source}: expected the JSON of "aws organizations list-accounts" ({ "Accounts": [ ... ] })`);
  return raw.Accounts.map((a, i) => {
    if (!isObject(a) || typeof a.Id !== 'string' || !/^\d{12}$/.test(a.Id)) throw new OrganizationsInputError(`${source}: Accounts[${i}].Id must be a 12-digit account ID`);
    for (const field of ['Arn', 'Email', 'Name', 'Status', 'State', 'JoinedMethod'] as const) {
      if (a[field] !== undefined && typeof a[field] !== 'string') throw new OrganizationsInputError(`${source}: Accounts[${i}].${field} must be a string`);
    }
    return a as unknown as OrganizationsAccount;
  });
}

/** Validates the details file: `{ "<accountId>": { "parentId": "ou-...", "tags": { ... } } }`. */
export function parseDetails(raw: unknown, source = 'details'): Record<string, AccountDetails> {
  if (!isObject(raw)) throw new OrganizationsInputError(`${source}: expected an object keyed by account ID`);
  const details: Record<string, AccountDetails> = {};
  for (const [id, d] of Object.entries(raw)) {
    if (!/^\d{12}$/.test(id)) throw new OrganizationsInputError(`${source}: key "${id}" must be a 12-digit account ID`);
    if (!isObject(d)) throw new OrganizationsInputError(`${source}: ${id} must be an object with "parentId" and/or "tags"`);
    if (d.parentId !== undefined && typeof d.parentId !== 'string') throw new OrganizationsInputError(`${source}: ${id}.parentId must be a string such as "ou-ab12-cdefgh34"`);
    const tags = d.tags;
    if (tags !== undefined) {
      const valid = Array.isArray(tags)
        ? tags.every((t) => isObject(t) && typeof t.Key === 'string' && typeof t.Value === 'string')
        : isObject(tags) && Object.values(tags).every((v) => typeof v === 'string');
      if (!valid) throw new OrganizationsInputError(`${source}: ${id}.tags must be { "key": "value" } or [{ "Key": "...", "Value": "..." }]`);
    }
    details[id] = d as AccountDetails;
  }
  return details;
}

/** `key=value` → `{ key, value }`; `key` alone → any value. */
export function parseTagFilter(text: string): { key: string; value?: string } {
  const at = text.indexOf('=');
  const key = at < 0 ? text : text.slice(0, at);
  if (key === '') throw new OrganizationsInputError(`--tag "${text}": expected key=value or key`);
  return at < 0 ? { key } : { key, value: text.slice(at + 1) };
}

function tagsOf(details: AccountDetails | undefined): Map<string, string> {
  const tags = details?.tags;
  if (!tags) return new Map();
  return new Map(Array.isArray(tags) ? tags.map((t) => [t.Key, t.Value]) : Object.entries(tags));
}

/** Letters NFKD does not decompose into ASCII. */
const FOLDED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i' };

/**
 * A workload name from an account name: ASCII-folded, lowercase, runs of anything but a-z and 0-9
 * become "-", starts with a letter, at most 22 characters. Names with nothing usable (e.g. only
 * Hangul) become `account-<id>`.
 */
export function baseWorkloadName(accountName: string, accountId: string): string {
  let name = accountName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ßæœøđðþłı]/g, (c) => FOLDED[c])
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (name === '') name = `account-${accountId}`;
  if (!/^[a-z]/.test(name)) name = `acct-${name}`;
  return trimName(name, MAX_WORKLOAD_NAME_LENGTH);
}

function trimName(name: string, max: number): string {
  return name.slice(0, max).replace(/-+$/g, '');
}

/** `base`, or `base-2`, `base-3`, ... (shortened to fit) when taken. */
export function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${trimName(base, MAX_WORKLOAD_NAME_LENGTH - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const rulesSchema = estateConfigSchema.shape.workloads.element.shape.backup.shape.rules;

/** Checks a rule template against the configuration schema; throws listing every problem. */
export function validateRules(raw: unknown, source = 'rule template'): BackupRuleInput[] {
  const result = rulesSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${formatPath(['rules', ...i.path])}: ${i.message}`);
    throw new OrganizationsInputError(`${source}: invalid backup rules\n${problems.join('\n')}`);
  }
  return raw as BackupRuleInput[];
}

function partitionFromArn(arn: string | undefined): string {
  return /^arn:(aws(?:-cn|-us-gov)?):/.exec(arn ?? '')?.[1] ?? 'aws';
}

/** Filters the accounts and derives one workload per remaining account, sorted by name. */
export function workloadsFromOrganizations(accounts: OrganizationsAccount[], details: Record<string, AccountDetails> | undefined, options: WorkloadOptions = {}): WorkloadsResult {
  const ous = options.ous ?? [];
  const tagFilters = options.tags ?? [];
  if ((ous.length > 0 || tagFilters.length > 0) && !details) throw new OrganizationsInputError('filtering by OU or tag needs the details file (--details)');
  if (options.region !== undefined && !(AWS_REGIONS as readonly string[]).includes(options.region)) throw new OrganizationsInputError(`--region "${options.region}" is not an AWS Region name such as "ap-northeast-2"`);
  const roleName = options.roleName ?? DEFAULT_ROLE_NAME;
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) throw new OrganizationsInputError(`--role-name "${roleName}" is not an IAM role name (1-64 letters, digits and +=,.@_-)`);
  const selectionTagKey = options.selectionTagKey ?? DEFAULT_SELECTION_TAG_KEY;
  if (!/^[\w.:/=+@ -]{1,128}$/.test(selectionTagKey)) throw new OrganizationsInputError(`--selection-tag-key "${selectionTagKey}" is not a valid tag key`);
  const rules = options.rules ?? DEFAULT_RULES;
  for (const id of options.exclude ?? []) if (!/^\d{12}$/.test(id)) throw new OrganizationsInputError(`--exclude "${id}" is not a 12-digit account ID`);
  const excluded = new Set(options.exclude ?? []);

  const skipped: SkippedAccount[] = [];
  const kept: OrganizationsAccount[] = [];
  const seen = new Set<string>();
  const sorted = [...accounts].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  for (const account of sorted) {
    const skip = (reason: string) => skipped.push({ id: account.Id, name: account.Name ?? '', reason });
    const state = account.State ?? account.Status;
    if (seen.has(account.Id)) continue;
    seen.add(account.Id);
    if (excluded.has(account.Id)) skip('excluded');
    else if (state !== 'ACTIVE') skip(`not ACTIVE (${state ?? 'no status'})`);
    else if (ous.length > 0 && !ous.includes(details?.[account.Id]?.parentId ?? '')) skip(`not in ${ous.join(' or ')} (parent ${details?.[account.Id]?.parentId ?? 'unknown'})`);
    else if (tagFilters.length > 0 && !tagFilters.every((f) => (f.value === undefined ? tagsOf(details?.[account.Id]).has(f.key) : tagsOf(details?.[account.Id]).get(f.key) === f.value))) {
      skip(`tags do not match ${tagFilters.map((f) => (f.value === undefined ? f.key : `${f.key}=${f.value}`)).join(', ')}`);
    } else kept.push(account);
  }

  const taken = new Set(options.reservedNames ?? []);
  const workloads = kept.map((account): WorkloadInput => {
    const name = uniqueName(baseWorkloadName(account.Name ?? '', account.Id), taken);
    taken.add(name);
    const partition = options.region ? partitionOf(options.region) : partitionFromArn(account.Arn);
    return {
      name,
      accountId: account.Id,
      roleArn: `arn:${partition}:iam::${account.Id}:role/${roleName}`,
      ...(options.region ? { region: options.region as WorkloadInput['region'] } : {}),
      backup: {
        selectionTag: { key: selectionTagKey, value: name },
        rules: rules.map((r) => ({ ...r })),
      },
    };
  });
  workloads.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { workloads, skipped };
}

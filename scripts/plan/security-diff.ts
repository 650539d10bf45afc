import * as fs from 'fs';
import * as path from 'path';

type Json = Record<string, unknown>;

/** Synthesized stacks by name: the parsed `cdk.tf.json` of each. */
export type SynthSnapshot = Map<string, Json>;

/**
 * The resource types whose changes matter to who can do what, and which of their attributes are
 * compared (all but Terraform meta-arguments when not listed); `policies` are IAM-style JSON
 * documents, compared statement by statement (by Sid).
 */
export const SECURITY_TYPES: Record<string, { attributes?: string[]; policies: string[] }> = {
  aws_iam_role: { attributes: ['assume_role_policy'], policies: ['assume_role_policy'] },
  aws_iam_role_policy: { policies: ['policy'] },
  aws_kms_key: { attributes: ['policy', 'enable_key_rotation'], policies: ['policy'] },
  aws_backup_vault_policy: { policies: ['policy'] },
  aws_backup_vault_lock_configuration: { policies: [] },
  aws_cloudwatch_event_bus_policy: { policies: ['policy'] },
  aws_sqs_queue_policy: { policies: ['policy'] },
  aws_sns_topic_policy: { policies: ['policy'] },
  aws_lambda_permission: { policies: [] },
};

const META = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'provisioner', 'connection']);

export interface SecurityChange {
  readonly kind: 'added' | 'removed' | 'changed';
  readonly type: string;
  /** `type.name` */
  readonly address: string;
  /** The resource's literal `name`, when it has one (e.g. the IAM role name). */
  readonly label?: string;
  readonly details: string[];
}

export interface SecurityDiff {
  readonly types: string[];
  readonly stacks: { name: string; status: 'added' | 'removed' | 'present'; changes: SecurityChange[] }[];
}

/** Reads every stack of a synth output directory (through its manifest.json, else `stacks/<name>/cdk.tf.json`). */
export function readSynth(dir: string): SynthSnapshot {
  const snapshot: SynthSnapshot = new Map();
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks?: Record<string, { synthesizedStackPath: string }> };
    for (const [name, stack] of Object.entries(manifest.stacks ?? {})) {
      snapshot.set(name, JSON.parse(fs.readFileSync(path.join(dir, stack.synthesizedStackPath), 'utf8')) as Json);
    }
  } else if (fs.existsSync(path.join(dir, 'stacks'))) {
    for (const name of fs.readdirSync(path.join(dir, 'stacks')).sort()) {
      const file = path.join(dir, 'stacks', name, 'cdk.tf.json');
      if (fs.existsSync(file)) snapshot.set(name, JSON.parse(fs.readFileSync(file, 'utf8')) as Json);
    }
  }
  if (snapshot.size === 0) throw new Error(`${dir} is not a synth output directory (no manifest.json and no stacks/*/cdk.tf.json)`);
  return snapshot;
}

/**
 * Added, removed and changed security-relevant resources of each stack in `stacks` (default: every
 * stack of either snapshot), comparing the synthesized attributes by resource address.
 */
export function securityDiff(previous: SynthSnapshot, current: SynthSnapshot, stacks?: string[]): SecurityDiff {
  const names = stacks ?? [...new Set([...current.keys(), ...previous.keys()])].sort();
  return {
    types: Object.keys(SECURITY_TYPES),
    stacks: names.map((name) => {
      const before = previous.get(name);
      const after = current.get(name);
      return {
        name,
        status: !before ? 'added' : !after ? 'removed' : 'present',
        changes: stackChanges(before, after),
      };
    }),
  };
}

function resourcesOf(stack: Json | undefined, type: string): Record<string, Json> {
  return ((stack?.resource as Record<string, Record<string, Json>> | undefined)?.[type] ?? {}) as Record<string, Json>;
}

function stackChanges(before: Json | undefined, after: Json | undefined): SecurityChange[] {
  const changes: SecurityChange[] = [];
  for (const [type, spec] of Object.entries(SECURITY_TYPES)) {
    const old = resourcesOf(before, type);
    const now = resourcesOf(after, type);
    for (const name of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
      const address = `${type}.${name}`;
      const a = old[name];
      const b = now[name];
      const label = literalName(b ?? a);
      if (!a) changes.push({ kind: 'added', type, address, label, details: describeWhole(b, spec.policies) });
      else if (!b) changes.push({ kind: 'removed', type, address, label, details: describeWhole(a, spec.policies) });
      else {
        const details = resourceDiff(a, b, spec);
        if (details.length > 0) changes.push({ kind: 'changed', type, address, label, details });
      }
    }
  }
  return changes;
}

function literalName(resource: Json): string | undefined {
  const name = resource.name;
  return typeof name === 'string' && !name.includes('${') ? name : undefined;
}

function describeWhole(resource: Json, policies: string[]): string[] {
  const details: string[] = [];
  for (const attr of policies) {
    const doc = parsePolicy(resource[attr]);
    if (doc) details.push(`${attr}: statements ${doc.statements.map((s) => code(s.key)).join(', ') || '(none)'}`);
  }
  return details;
}

function comparedAttributes(a: Json, b: Json, spec: { attributes?: string[] }): string[] {
  if (spec.attributes) return spec.attributes;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !META.has(k)).sort();
}

/** One line per changed attribute; policy documents statement by statement. */
export function resourceDiff(a: Json, b: Json, spec: { attributes?: string[]; policies: string[] }): string[] {
  const details: string[] = [];
  for (const attr of comparedAttributes(a, b, spec)) {
    if (canonical(a[attr]) === canonical(b[attr])) continue;
    if (spec.policies.includes(attr)) {
      const before = parsePolicy(a[attr]);
      const after = parsePolicy(b[attr]);
      if (before && after) {
        details.push(...policyDiff(before, after).map((d) => `${attr}: ${d}`));
        continue;
      }
    }
    details.push(`${attr}: ${short(a[attr])} → ${short(b[attr])}`);
  }
  return details;
}

interface Statement {
  key: string;
  body: Json;
}

interface PolicyDoc {
  version: unknown;
  statements: Statement[];
}

function parsePolicy(value: unknown): PolicyDoc | undefined {
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const raw = (doc as Json).Statement;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Json[];
  return {
    version: (doc as Json).Version,
    statements: list.map((s, i) => ({ key: typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${i + 1} (no Sid)`, body: s })),
  };
}

/** Statement Sids added / removed, and for changed statements the elements (Principal, Condition, ...) and values that differ. */
export function policyDiff(before: PolicyDoc, after: PolicyDoc): string[] {
  const details: string[] = [];
  if (canonical(before.version) !== canonical(after.version)) details.push(`Version ${short(before.version)} → ${short(after.version)}`);
  const old = new Map(before.statements.map((s) => [s.key, s.body]));
  const now = new Map(after.statements.map((s) => [s.key, s.body]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  if (added.length) details.push(`statements added: ${added.map(code).join(', ')}`);
  if (removed.length) details.push(`statements removed: ${removed.map(code).join(', ')}`);
  for (const [key, body] of now) {
    const prev = old.get(key);
    if (!prev || canonical(prev) === canonical(body)) continue;
    const elements = [...new Set([...Object.keys(prev), ...Object.keys(body)])].filter((k) => canonical(prev[k]) !== canonical(body[k]));
    const parts = elements.map((el) => {
      const a = new Set(leaves(prev[el]));
      const b = new Set(leaves(body[el]));
      const minus = [...a].filter((x) => !b.has(x));
      const plus = [...b].filter((x) => !a.has(x));
      if (minus.length === 0 && plus.length === 0) return `${el} (order)`;
      return `${el}: ${[...limit(minus).map((x) => `−${x}`), ...limit(plus).map((x) => `+${x}`)].join(', ')}`;
    });
    details.push(`statement ${code(key)} changed: ${parts.join('; ')}`);
  }
  if (details.length === 0) {
    const order = (d: PolicyDoc) => d.statements.map((s) => s.key).join('\u0000');
    details.push(order(before) !== order(after) ? 'statement order changed' : 'formatting changed');
  }
  return details;
}

/** Leaf values of a policy element as `path=value` (array order ignored). */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v) => leaves(v, prefix));
  if (value && typeof value === 'object') {
    return Object.entries(value as Json).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }
  const text = code(typeof value === 'string' ? truncate(value, 200) : JSON.stringify(value));
  return [prefix ? `${prefix}=${text}` : text];
}

function limit(items: string[], max = 4): string[] {
  return items.length <= max ? items : [...items.slice(0, max), `(${items.length - max} more)`];
}

function canonical(value: unknown): string {
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object') return canonical(parsed);
    } catch {
      // a plain string
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Json)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`)
      .join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function short(value: unknown): string {
  if (value === undefined) return '(unset)';
  return code(truncate(typeof value === 'string' ? value : JSON.stringify(value), 200));
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/**
 * `--what-if 'workloads[0].backup.rules[0].schedule=cron(0 * * * ? *)'`: one change to the raw
 * configuration (as written in the file, before validation), so that the changed estate is validated
 * and priced exactly like a file with that change.
 */

export class WhatIfError extends Error {
  constructor(message: string) {
    super(`--what-if ${message}`);
    this.name = 'WhatIfError';
  }
}

export interface WhatIf {
  readonly path: string;
  readonly segments: (string | number)[];
  readonly value: unknown;
}

/** `a.b[0].c=value`: the value is JSON when it parses as JSON, else the text itself. */
export function parseWhatIf(text: string): WhatIf {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new WhatIfError(`"${text}" must be PATH=VALUE, such as 'workloads[0].backup.rules[0].schedule=cron(0 * * * ? *)'`);
  const path = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  const segments: (string | number)[] = [];
  const re = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|\./gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while (last < path.length && (m = re.exec(path)) !== null) {
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    last = re.lastIndex;
  }
  if (last !== path.length || segments.length === 0 || typeof segments[0] !== 'string') throw new WhatIfError(`"${path}" is not a path such as workloads[0].backup.rules[0].schedule`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return { path, segments, value };
}

/** A deep copy of `raw` with the change applied; objects on the way are created, array items must exist. */
export function applyWhatIf(raw: unknown, change: WhatIf): unknown {
  const root = structuredClone(raw) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = root;
  change.segments.forEach((segment, i) => {
    const where = change.segments.slice(0, i + 1).reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${s}]` : p ? `${p}.${s}` : s), '');
    if (typeof segment === 'number' && (!Array.isArray(node) || segment >= node.length)) throw new WhatIfError(`${change.path}: ${where} does not exist in the configuration`);
    if (typeof segment === 'string' && (typeof node !== 'object' || node === null || Array.isArray(node))) throw new WhatIfError(`${change.path}: ${where} is not inside an object`);
    if (i === change.segments.length - 1) {
      node[segment] = change.value;
      return;
    }
    if (node[segment] === undefined && typeof segment === 'string') node[segment] = typeof change.segments[i + 1] === 'number' ? [] : {};
    node = node[segment] as Record<string | number, unknown>;
  });
  return root;
}

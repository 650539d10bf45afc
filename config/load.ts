import * as fs from 'fs';
import * as path from 'path';
import { estateConfigSchema, type EstateConfig } from './schema';
import { semanticIssues, type ConfigIssue } from './semantic-checks';

export const EXAMPLE_CONFIG_PATH = path.join(__dirname, 'example.json');

/** Thrown when the configuration is invalid; lists every violation with its JSON path. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `Invalid DR configuration ${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n` +
        issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** `['workloads', 0, 'backup']` → `workloads[0].backup` */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`))
    .join('');
}

/** Validates parsed JSON; throws {@link ConfigError} listing every violation. */
export function parseConfig(raw: unknown, source = '(inline)'): EstateConfig {
  const result = estateConfigSchema.safeParse(raw, {
    // Zod's default for a missing field ("expected string, received undefined") does not say what to do.
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? `is required (${issue.expected})` : undefined),
  });
  const shapeIssues: ConfigIssue[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message:
          issue.code === 'unrecognized_keys'
            ? `has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against config/estate.schema.json`
            : issue.message,
      }));
  const issues = dedupe([...shapeIssues, ...semanticIssues(raw)]);
  if (issues.length > 0 || !result.success) throw new ConfigError(source, issues);
  return result.data;
}

/** Reads and validates the configuration file at `file`. */
export function loadConfig(file: string): EstateConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file (${(e as Error).message}); set DR_CONFIG to the path of your estate configuration` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `is not valid JSON (${(e as Error).message})` }]);
  }
  return parseConfig(raw, file);
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

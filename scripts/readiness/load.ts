import * as fs from 'fs';
import { ConfigError, parseConfig } from '../../config/load';
import { estateConfigSchema, type EstateConfig } from '../../config/schema';
import { semanticIssues, type ConfigIssue } from '../../config/semantic-checks';

export interface ConfigForReadiness {
  readonly config: EstateConfig;
  /**
   * Cross-field violations (config/semantic-checks.ts) of a configuration whose shape is valid: the
   * synth refuses such a configuration, the readiness report lists them as error findings instead so
   * that it can still say everything else (e.g. an RPO the schedule cannot meet).
   */
  readonly issues: ConfigIssue[];
}

/**
 * Reads the configuration like `loadConfig`, but keeps going past cross-field violations. A file that
 * cannot be read, is not JSON, or whose shape is invalid (no report can be built from it) throws
 * `ConfigError`, listing every violation as the synth would.
 */
export function loadConfigForReadiness(file: string): ConfigForReadiness {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file (${(e as Error).message}); pass --config or set DR_CONFIG to the path of your estate configuration` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `is not valid JSON (${(e as Error).message})` }]);
  }
  const shape = estateConfigSchema.safeParse(raw);
  if (!shape.success) {
    parseConfig(raw, file); // throws the ConfigError the synth would show, shape and cross-field issues together
    throw new Error('unreachable: the schema rejected the configuration but parseConfig accepted it');
  }
  const seen = new Set<string>();
  const issues = semanticIssues(raw).filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { config: shape.data, issues };
}

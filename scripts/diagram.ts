import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig } from '../config/load';
import { estateMarkdown } from './diagram/estate-diagram';
import { isArgumentError, runScript } from './cli-args';

/**
 * Writes a Mermaid diagram of the estate (accounts, vaults, copy paths, event flows, recovery steps),
 * generated from the configuration, into a Markdown file.
 *
 *   npm run diagram                                  # config/example.json → cdktf.out/estate.md
 *   DR_CONFIG=estate.json npm run diagram -- --out docs/estate.md
 */
function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  const configPath = process.env.DR_CONFIG || EXAMPLE_CONFIG_PATH;
  const out = values.out ?? path.join('cdktf.out', 'estate.md');
  const config = loadConfig(configPath);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, estateMarkdown(config, path.relative(process.cwd(), configPath) || configPath));
  process.stdout.write(`wrote ${out} (${config.workloads.length} workload${config.workloads.length === 1 ? '' : 's'})\n`);
}

runScript(main, (e) => e instanceof ConfigError || isArgumentError(e));

import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig } from '../config/load';
import { DEFAULT_WAVE_SIZE, ManifestError, workspaceManifest } from './workspaces/manifest';
import { isArgumentError, runScript } from './cli-args';

/**
 * Writes the Terraform Cloud workspace manifest of the estate in DR_CONFIG (default
 * config/example.json): per stack, the workspace name, organization, project, tags, execution mode,
 * working directory and rollout wave (organization 0, backup-vault 1, dr 2, workloads from 3).
 *
 *   npm run workspaces                                # → cdktf.out/workspaces.json
 *   DR_CONFIG=estate.json npm run workspaces -- --wave-size 10 --out workspaces.json
 */
function main(): void {
  const { values } = parseArgs({
    strict: true,
    options: { out: { type: 'string' }, 'wave-size': { type: 'string' }, 'stacks-dir': { type: 'string' } },
  });
  const waveSizeText = values['wave-size'];
  if (waveSizeText !== undefined && !/^[1-9]\d*$/.test(waveSizeText)) throw new ManifestError(`--wave-size "${waveSizeText}": must be a positive whole number`);
  const configPath = process.env.DR_CONFIG || EXAMPLE_CONFIG_PATH;
  const out = values.out ?? path.join('cdktf.out', 'workspaces.json');
  const manifest = workspaceManifest(loadConfig(configPath), {
    waveSize: waveSizeText !== undefined ? Number(waveSizeText) : DEFAULT_WAVE_SIZE,
    stacksDir: values['stacks-dir'],
  });
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`wrote ${out}: ${manifest.workspaces.length} workspaces in ${manifest.waves.length} waves\n`);
}

runScript(main, (e) => e instanceof ConfigError || e instanceof ManifestError || isArgumentError(e));

// The `npm run <script>` suites all start a scripts/*.ts entry point the way npm does: through tsx, from the repository root.
import { spawnSync, type SpawnSyncReturns } from 'child_process';
import * as path from 'path';
import { ROOT } from './synth';

/** Runs `script` (relative to the repository root) with `args`; `env` is added to this process's environment. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120000,
  });
}

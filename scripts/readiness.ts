/**
 * npm run readiness [-- --config FILE] [--out DIR | --synth] [--json]
 *
 * Is my DR ready? Reads the estate configuration (--config, DR_CONFIG, default config/example.json) and
 * the synthesized output (--out, default cdktf.out; or --synth into a temporary directory), and prints a
 * table per workload: targets, the backup schedule's worst-case RPO, the copy path, vault kind and lock,
 * restore testing, server roles (AMI parameter, launch template) and the recovery state machine, with
 * findings that would break a recovery in a real account. No AWS call is made.
 *
 * Exit status: 0 when no finding is an error, 1 when one is (a configuration the synth rejects is
 * reported, not refused, as long as its shape is valid), 2 on a usage error or a configuration that
 * cannot be read or parsed.
 */
import { ConfigError, EXAMPLE_CONFIG_PATH } from '../config/load';
import { parseReadinessArgs, USAGE, UsageError } from './readiness/options';
import { runReadiness } from './readiness/run';

function main(): number {
  const options = parseReadinessArgs(process.argv.slice(2), process.env, EXAMPLE_CONFIG_PATH);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = runReadiness(options);
  process.stdout.write(run.output);
  return run.exitCode;
}

try {
  process.exitCode = main();
} catch (e) {
  if (!(e instanceof UsageError) && !(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 2;
}

/**
 * npm run cost [-- --config FILE] [--json] [--lines] [--prices FILE] [--what-if PATH=VALUE ...]
 *
 * What the estate costs a month, per workload and account, beside its RTO/RPO (docs/cost.md). Reads
 * the configuration (--config, DR_CONFIG, default config/example.json); makes no AWS call. Exit 1 on
 * an invalid configuration, option or missing price, with a message naming the field.
 */
import { EXAMPLE_CONFIG_PATH } from '../config/load';
import { runCost } from '../cost/cli';

const result = runCost(process.argv.slice(2), process.env, EXAMPLE_CONFIG_PATH);
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;

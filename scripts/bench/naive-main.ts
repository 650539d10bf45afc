/**
 * The deliberately naive baseline of the benchmark: the same estate, built after importing the AWS
 * provider from its package root (every resource class loaded) and with CDKTF's default validations
 * on, run under ts-node (type-checking on load). Never used outside `npm run bench`.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@cdktf/provider-aws');
import { App } from 'cdktf';
import { loadConfig, EXAMPLE_CONFIG_PATH } from '../../config/load';
import { OrganizationStack } from '../../stacks/organization-stack';
import { BackupVaultStack } from '../../stacks/backup-vault-stack';
import { DrStack } from '../../stacks/dr-stack';
import { WorkloadStack } from '../../stacks/workload-stack';

const config = loadConfig(process.env.DR_CONFIG || EXAMPLE_CONFIG_PATH);
const app = new App();
if (config.accounts.management) new OrganizationStack(app, config);
new BackupVaultStack(app, config);
new DrStack(app, config);
for (const w of config.workloads) new WorkloadStack(app, config, w);
app.synth();

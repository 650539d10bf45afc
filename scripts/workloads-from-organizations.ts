import * as fs from 'fs';
import { parseArgs } from 'util';
import { ConfigError, loadConfig } from '../config/load';
import { isArgumentError, runScript } from './cli-args';
import {
  OrganizationsInputError,
  parseDetails,
  parseListAccounts,
  parseTagFilter,
  validateRules,
  workloadsFromOrganizations,
  type AccountDetails,
} from './organizations/workloads';

/**
 * Prints a `workloads` JSON array (this project's configuration shape) for the accounts of an AWS
 * Organizations export. Reads files only; it never calls AWS.
 *
 *   npm run workloads-from-organizations -- --accounts accounts.json [--details details.json]
 *     [--ou ou-xxxx-yyyyyyyy]... [--tag key=value | --tag key]... [--exclude 111111111111,222222222222]
 *     [--config estate.json] [--region ap-northeast-2] [--role-name terraform-dr]
 *     [--selection-tag-key backup-plan] [--rule-template rules.json] > workloads.json
 *
 * 1. The accounts (run in the management account or a delegated administrator):
 *
 *      aws organizations list-accounts --output json > accounts.json
 *
 *    (the CLI follows pagination itself; `--query` must not be used, the file needs `{"Accounts":[...]}`).
 *
 * 2. Only to filter by OU (`--ou`, the account's direct parent) or tag (`--tag`): a details file,
 *    `{ "<accountId>": { "parentId": "ou-...", "tags": { "key": "value" } } }`, e.g. with bash and jq:
 *
 *      for id in $(jq -r '.Accounts[].Id' accounts.json); do
 *        parent=$(aws organizations list-parents --child-id "$id" --query 'Parents[0].Id' --output text)
 *        tags=$(aws organizations list-tags-for-resource --resource-id "$id" --query 'Tags' --output json)
 *        jq -n --arg id "$id" --arg parent "$parent" --argjson tags "$tags" \
 *          '{($id): {parentId: $parent, tags: (($tags // []) | map({(.Key): .Value}) | add // {})}}'
 *      done | jq -s 'add // {}' > details.json
 *
 *    (`tags` may also be left as the `[{"Key":...,"Value":...}]` list the CLI prints.)
 *
 * Filters: only ACTIVE accounts (`State`, or the older `Status`); `--ou` (repeatable or
 * comma-separated: any of them); `--tag key=value` or `--tag key` (repeatable: all of them).
 * `--exclude` (comma-separated, repeatable) removes accounts; always exclude the backup-vault, DR and
 * management accounts. `--config estate.json` does that from the configuration: its backup-vault, DR
 * and management accounts are excluded, its existing workloads' accounts are skipped and their names
 * are not reused, so the output can be appended to its `workloads`.
 *
 * Each workload: `name` from the account name (lowercase a-z0-9-, starts with a letter, at most 22
 * characters, `-2`, `-3`, ... on collision; `account-<id>` when nothing usable is left), `accountId`,
 * `roleArn` (`--role-name`, default terraform-dr), `region` when `--region` is given, and `backup`:
 * selection tag `<--selection-tag-key, default backup-plan>=<name>` and the rules of `--rule-template`
 * (a JSON array of backup rules) or one daily rule. Skipped accounts and why go to stderr.
 */

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new OrganizationsInputError(`${what} ${file}: cannot read the file (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new OrganizationsInputError(`${what} ${file}: not valid JSON (${(e as Error).message})`);
  }
}

function main(): void {
  const { values } = parseArgs({
    strict: true,
    options: {
      accounts: { type: 'string' },
      details: { type: 'string' },
      ou: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      config: { type: 'string' },
      region: { type: 'string' },
      'role-name': { type: 'string' },
      'selection-tag-key': { type: 'string' },
      'rule-template': { type: 'string' },
    },
  });
  if (!values.accounts) throw new OrganizationsInputError('--accounts FILE is required (the JSON of "aws organizations list-accounts")');
  const accounts = parseListAccounts(readJson(values.accounts, '--accounts'), values.accounts);
  const details: Record<string, AccountDetails> | undefined = values.details ? parseDetails(readJson(values.details, '--details'), values.details) : undefined;
  const exclude = list(values.exclude);
  const reservedNames: string[] = [];
  if (values.config) {
    const config = loadConfig(values.config);
    const { backupVault, dr, management } = config.accounts;
    exclude.push(backupVault.id, dr.id, ...(management ? [management.id] : []), ...config.workloads.map((w) => w.accountId));
    reservedNames.push(...config.workloads.map((w) => w.name));
  }
  const rules = values['rule-template'] ? validateRules(readJson(values['rule-template'], '--rule-template'), values['rule-template']) : undefined;

  const { workloads, skipped } = workloadsFromOrganizations(accounts, details, {
    ous: list(values.ou),
    tags: (values.tag ?? []).map(parseTagFilter),
    exclude,
    reservedNames,
    region: values.region,
    roleName: values['role-name'],
    selectionTagKey: values['selection-tag-key'],
    rules,
  });
  process.stdout.write(`${JSON.stringify(workloads, null, 2)}\n`);
  for (const s of skipped) process.stderr.write(`skipped ${s.id} ${JSON.stringify(s.name)}: ${s.reason}\n`);
  process.stderr.write(`${accounts.length} account${accounts.length === 1 ? '' : 's'}: ${workloads.length} workload${workloads.length === 1 ? '' : 's'}, ${skipped.length} skipped\n`);
}

runScript(main, (e) => e instanceof OrganizationsInputError || e instanceof ConfigError || isArgumentError(e));

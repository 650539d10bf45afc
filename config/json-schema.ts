import { z } from 'zod';
import { estateConfigSchema } from './schema';

/** JSON Schema of the configuration file as users write it (defaults optional), for editors. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(estateConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/dr-backup-restore/config.schema.json',
    title: 'DR estate configuration',
    description: 'Accounts, regions and backup rules of an AWS Backup & Restore disaster-recovery estate. Cross-field rules (unique names, retention against the vault lock, derived name lengths) are checked by the app, not by this schema.',
  };
}

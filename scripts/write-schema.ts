import * as fs from 'fs';
import * as path from 'path';
import { configJsonSchema } from '../config/json-schema';

/** Writes config/estate.schema.json (for editors) from the same zod schema the app validates with. */
const target = path.join(__dirname, '..', 'config', 'estate.schema.json');
fs.writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);

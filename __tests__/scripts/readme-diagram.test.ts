import * as fs from 'fs';
import * as path from 'path';
import { estateDiagram } from '../../scripts/diagram/estate-diagram';
import { loadConfig } from '../../config/load';
import { EXAMPLE_CONFIG, ROOT } from '../helpers/synth';

describe('README', () => {
  it('embeds the diagram generated for the example (run `npm run diagram` and copy it after changing the estate)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(estateDiagram(loadConfig(EXAMPLE_CONFIG)).trim());
  });
});

// Several config suites assert rejections the same way: the issues at their paths, and no output written.
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, parseConfig } from '../../config/load';
import { synthesizeEstate } from '../../app';
import { snapshotDir, tempDir } from './synth';

export interface ConfigIssue {
  path: string;
  message: string;
  code?: string;
}

/** The issues `parseConfig` reports for `raw`; fails the test when it accepts it or throws anything but a ConfigError. */
export function issuesOf(raw: unknown): ConfigIssue[] {
  try {
    parseConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected the configuration to be rejected');
}

/** The synth entry point rejects the configuration and leaves an existing output directory as it was. */
export function expectNothingWritten(cfg: unknown): void {
  const dir = tempDir();
  const configFile = path.join(dir, 'estate.json');
  fs.writeFileSync(configFile, JSON.stringify(cfg));
  const outdir = path.join(dir, 'cdktf.out');
  fs.mkdirSync(path.join(outdir, 'stacks', 'dr'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'stacks', 'dr', 'cdk.tf.json'), '{"previous":"synth"}');
  const before = snapshotDir(outdir);
  expect(() => synthesizeEstate(configFile, outdir)).toThrow(ConfigError);
  expect(snapshotDir(outdir)).toEqual(before);
}

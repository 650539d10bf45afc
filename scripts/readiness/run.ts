import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeEstate } from '../../app';
import { PolicyViolationError } from '../../policy/pack';
import { loadConfigForReadiness } from './load';
import { buildReadinessReport, type ReadinessReport } from './report';
import { renderJson, renderText } from './render';
import { readSynthesized, type SynthesizedEstate } from './synthesized';
import type { ReadinessOptions } from './options';

/** Relative to the working directory when inside it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export interface ReadinessRun {
  readonly report: ReadinessReport;
  /** What the CLI prints on stdout. */
  readonly output: string;
  /** 0: no error finding; 1: at least one. */
  readonly exitCode: number;
}

/**
 * Loads the configuration (cross-field violations become findings), reads the synthesized output (or
 * synthesizes into a temporary directory with --synth), builds and renders the report. Throws
 * `ConfigError` for a configuration no report can be built from.
 */
export function runReadiness(options: ReadinessOptions): ReadinessRun {
  const { config, issues } = loadConfigForReadiness(options.config);
  let synthesized: SynthesizedEstate | { missing: string };
  let tmp: string | undefined;
  try {
    if (options.synth) {
      if (issues.length > 0) {
        synthesized = { missing: 'the configuration has errors, so --synth could not synthesize it' };
      } else {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-readiness-'));
        const outDir = path.join(tmp, 'cdktf.out');
        try {
          synthesizeEstate(options.config, outDir);
          const read = readSynthesized(outDir);
          synthesized = read.ok ? read.estate : { missing: read.reason };
        } catch (e) {
          if (!(e instanceof PolicyViolationError)) throw e;
          synthesized = { missing: `--synth failed the policy pack: ${e.message}` };
        }
      }
    } else {
      const read = readSynthesized(options.out);
      synthesized = read.ok ? read.estate : { missing: read.reason };
    }
    const report = buildReadinessReport({ config, configPath: displayPath(options.config), issues, synthesized });
    const shown = options.synth && 'outDir' in synthesized ? { ...report, outDir: '(temporary synth)' } : report;
    return { report: shown, output: options.json ? renderJson(shown) : renderText(shown), exitCode: report.summary.ready ? 0 : 1 };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync, type BuildFailure } from 'esbuild';
import { zipSync } from 'fflate';

export interface BundleOptions {
  /** Node.js version the bundle targets. Default: node22 (Lambda runtime nodejs22.x). */
  readonly target?: string;
  /** Emit an external source map next to the bundle (and enable it with NODE_OPTIONS). Default: false. */
  readonly sourceMap?: boolean;
  /** Minify. Default: true. */
  readonly minify?: boolean;
}

export interface Bundle {
  /** The zip, byte-identical for identical sources and dependencies. */
  readonly zip: Buffer;
  /** `base64(sha256(zip))`, what Lambda's `source_code_hash` expects. */
  readonly sourceCodeHash: string;
  /** Size of the bundled JavaScript, for the benchmark. */
  readonly codeBytes: number;
  /** The zip on disk (content-addressed in the OS temp dir), for a Terraform asset. */
  readonly zipPath: string;
}

/** Every entry has this timestamp, so that identical code gives an identical zip. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

/**
 * Bundles one function's `index.ts` into a single minified CommonJS file with esbuild and zips it
 * deterministically. Runs on every synth: a stale bundle is never used. A compile error fails the
 * synth with esbuild's messages.
 */
export function bundleFunction(entry: string, options: BundleOptions = {}): Bundle {
  if (!fs.existsSync(entry)) throw new Error(`Function entry ${entry} does not exist`);
  const cached = readCache(entry, options);
  if (cached) return cached;
  let result;
  try {
    result = buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: options.target ?? 'node22',
      format: 'cjs',
      // ESM builds of the AWS SDK v3 tree-shake far better than their CommonJS builds.
      mainFields: ['module', 'main'],
      minify: options.minify ?? true,
      treeShaking: true,
      sourcemap: options.sourceMap ? 'external' : false,
      sourcesContent: false,
      legalComments: 'none',
      outdir: path.dirname(entry),
      entryNames: 'index',
      absWorkingDir: path.dirname(entry),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  } catch (e) {
    const failure = e as BuildFailure;
    const messages = (failure.errors ?? []).map((m) => `${m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : ''}${m.text}`);
    throw new Error(`Bundling ${entry} failed:\n${messages.length > 0 ? messages.join('\n') : String(e)}`);
  }
  const files: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = {};
  let codeBytes = 0;
  for (const file of [...result.outputFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    const name = path.basename(file.path);
    files[name] = [file.contents, { mtime: FIXED_MTIME, level: 9 }];
    if (name.endsWith('.js')) codeBytes += file.contents.byteLength;
  }
  const zip = Buffer.from(zipSync(files));
  const digest = crypto.createHash('sha256').update(zip).digest();
  const dir = path.join(os.tmpdir(), 'dr-function-bundles');
  fs.mkdirSync(dir, { recursive: true });
  const zipPath = path.join(dir, `${digest.toString('hex')}.zip`);
  if (!fs.existsSync(zipPath)) fs.writeFileSync(zipPath, zip);
  const bundle = { zip, sourceCodeHash: digest.toString('base64'), codeBytes, zipPath };
  writeCache(entry, options, Object.keys(result.metafile!.inputs).map((f) => path.resolve(path.dirname(entry), f)), bundle);
  return bundle;
}

/*
 * A bundle is reused only when every file esbuild read for it (the function's sources and the
 * dependencies it imports) is byte-identical to when it was built, so a change anywhere in its
 * inputs always rebuilds it: fast repeated synths, never a stale bundle.
 */
interface CacheEntry {
  readonly inputs: Record<string, string>;
  readonly zipPath: string;
  readonly sourceCodeHash: string;
  readonly codeBytes: number;
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function cacheFile(entry: string, options: BundleOptions): string {
  const key = crypto.createHash('sha256').update(JSON.stringify([path.resolve(entry), options, process.version])).digest('hex');
  return path.join(os.tmpdir(), 'dr-function-bundles', `${key}.json`);
}

function readCache(entry: string, options: BundleOptions): Bundle | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile(entry, options), 'utf8')) as CacheEntry;
    for (const [file, hash] of Object.entries(cached.inputs)) if (sha256(file) !== hash) return undefined;
    const zip = fs.readFileSync(cached.zipPath);
    if (crypto.createHash('sha256').update(zip).digest('base64') !== cached.sourceCodeHash) return undefined;
    return { zip, sourceCodeHash: cached.sourceCodeHash, codeBytes: cached.codeBytes, zipPath: cached.zipPath };
  } catch {
    return undefined;
  }
}

function writeCache(entry: string, options: BundleOptions, inputs: string[], bundle: Bundle): void {
  const entryData: CacheEntry = { inputs: Object.fromEntries(inputs.map((f) => [f, sha256(f)])), zipPath: bundle.zipPath, sourceCodeHash: bundle.sourceCodeHash, codeBytes: bundle.codeBytes };
  try {
    fs.writeFileSync(cacheFile(entry, options), JSON.stringify(entryData));
  } catch {
    // A cache that cannot be written only costs time.
  }
}

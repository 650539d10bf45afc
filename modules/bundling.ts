import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { zipSync } from 'fflate';
import { sharedAcrossRegistries } from '../config/shared-across-registries';

export interface BundleOptions {
  /**
   * Node.js version the bundle targets.
   * @default node22 (Lambda runtime nodejs22.x)
   */
  readonly target?: string;
  /**
   * Emit an external source map next to the bundle (and enable it with NODE_OPTIONS).
   * @default false
   */
  readonly sourceMap?: boolean;
  /**
   * Minify.
   * @default true
   */
  readonly minify?: boolean;
}

export interface Bundle {
  /** The zip, byte-identical for identical sources and dependencies. */
  readonly zip: Buffer;
  /** `base64(sha256(zip))`, what Lambda's `source_code_hash` expects. */
  readonly sourceCodeHash: string;
  /** Size of the bundled JavaScript, for the benchmark. */
  readonly codeBytes: number;
  /** The zip on disk (content-addressed in `bundleCacheDir()`), for a Terraform asset. */
  readonly zipPath: string;
}

/** Every entry has this timestamp, so that identical code gives an identical zip. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

/**
 * The esbuild build runs in a child process (modules/bundling-worker.js): this function is synchronous
 * (construct constructors call it) and esbuild's synchronous API takes no plugins. The worker's plugin
 * lets esbuild drop the AWS SDK schemas a function does not use (920 KiB -> 360 KiB for a function
 * with the EC2 client); see the worker.
 */
const WORKER = path.join(__dirname, 'bundling-worker.js');

interface WorkerReply {
  readonly outputFiles?: { path: string; base64: string }[];
  readonly inputs?: string[];
  readonly errors?: { text: string; location?: { file: string; line: number; column: number } }[];
  readonly message?: string;
}

function build(entry: string, options: BundleOptions): { files: { path: string; contents: Uint8Array }[]; inputs: string[] } {
  const esbuildOptions = {
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
  };
  const r = spawnSync(process.execPath, [WORKER], { input: JSON.stringify(esbuildOptions), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let reply: WorkerReply;
  try {
    reply = JSON.parse(r.stdout) as WorkerReply;
  } catch {
    throw new Error(`Bundling ${entry} failed:\n${r.error ?? r.stderr}`);
  }
  if (!reply.outputFiles || !reply.inputs) {
    const messages = (reply.errors ?? []).map((m) => `${m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : ''}${m.text}`);
    throw new Error(`Bundling ${entry} failed:\n${messages.length > 0 ? messages.join('\n') : reply.message}`);
  }
  return {
    files: reply.outputFiles.map((f) => ({ path: f.path, contents: Buffer.from(f.base64, 'base64') })),
    inputs: reply.inputs.map((f) => path.resolve(path.dirname(entry), f)),
  };
}

/**
 * Bundles one function's `index.ts` into a single minified CommonJS file with esbuild and zips it
 * deterministically. Runs on every synth: a stale bundle is never used. A compile error fails the
 * synth with esbuild's messages.
 */
export function bundleFunction(entry: string, options: BundleOptions = {}): Bundle {
  if (!fs.existsSync(entry)) throw new Error(`Function entry ${entry} does not exist`);
  const cached = readCache(entry, options);
  if (cached) return cached;
  const started = Date.now();
  const result = build(entry, options);
  const files: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = {};
  let codeBytes = 0;
  for (const file of [...result.files].sort((a, b) => a.path.localeCompare(b.path))) {
    const name = path.basename(file.path);
    files[name] = [file.contents, { mtime: FIXED_MTIME, level: 9 }];
    if (name.endsWith('.js')) codeBytes += file.contents.byteLength;
  }
  const zip = Buffer.from(zipSync(files));
  const digest = crypto.createHash('sha256').update(zip).digest();
  const dir = bundleCacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const zipPath = path.join(dir, `${digest.toString('hex')}.zip`);
  if (!fs.existsSync(zipPath)) fs.writeFileSync(zipPath, zip);
  const bundle = { zip, sourceCodeHash: digest.toString('base64'), codeBytes, zipPath };
  writeCache(entry, options, result.inputs, bundle, started);
  return bundle;
}

/*
 * A bundle is reused only when every file esbuild read for it (the function's sources and the
 * dependencies it imports) is byte-identical to when it was built, so a change anywhere in its
 * inputs always rebuilds it: fast repeated synths, never a stale bundle. A file whose size and
 * modification time are those recorded is taken as unchanged (one stat instead of reading and
 * hashing the few hundred SDK files a function imports); any other is compared by content hash.
 */
interface CacheInput {
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
}

interface CacheEntry {
  readonly inputs: Record<string, CacheInput>;
  readonly zipPath: string;
  readonly sourceCodeHash: string;
  readonly codeBytes: number;
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let workerHash: string | undefined;

/**
 * The bundles and their cache entries: the project's own cache folder (as the app launcher's,
 * scripts/run-app.js), so that they outlive a cleared or per-run temporary directory (the test suite
 * gives each run its own, __tests__/global-setup.ts) and go with `node_modules`.
 */
export function bundleCacheDir(): string {
  return path.join(__dirname, '..', 'node_modules', '.cache', 'dr-function-bundles');
}

/** Where the cache entry of a function's bundle is kept (in `bundleCacheDir()`). */
export function cacheFile(entry: string, options: BundleOptions): string {
  // The worker decides what ends up in a bundle: a change to it invalidates every cached bundle.
  workerHash ??= sha256(WORKER);
  const key = crypto.createHash('sha256').update(JSON.stringify([path.resolve(entry), options, process.version, workerHash])).digest('hex');
  return path.join(bundleCacheDir(), `${key}.json`);
}

/** The input as it is now when its content is the recorded one (a new mtime when only touched), else undefined. */
function unchanged(file: string, recorded: CacheInput): CacheInput | undefined {
  const stat = fs.statSync(file);
  if (stat.size !== recorded.size) return undefined;
  if (stat.mtimeMs === recorded.mtimeMs) return recorded;
  return sha256(file) === recorded.sha256 ? { ...recorded, mtimeMs: stat.mtimeMs } : undefined;
}

/** Cache entries already read by this process, by file, with the size and time they had then. */
const parsedEntries = new Map<string, { size: number; mtimeMs: number; entry: CacheEntry }>();

/** The cache entry in `file`, parsed once per version of the file (a process that synthesizes often reads it often), and that version's key. */
function readCacheEntry(file: string): { entry: CacheEntry; version: string } {
  const stat = fs.statSync(file);
  const version = `${file}\n${stat.size}\n${stat.mtimeMs}`;
  const known = parsedEntries.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return { entry: known.entry, version };
  const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheEntry;
  parsedEntries.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, entry });
  return { entry, version };
}

/**
 * Bundles this process has already checked in full, by cache entry: a later synth in the same process
 * (a test file synthesizes dozens of estates) checks again only the inputs outside `node_modules`,
 * the project's own sources, which can change while a process runs. Installed packages do not change
 * under a running process; `npm ci` or an edit there is seen by the next process, which checks every
 * input again. Measured: the stats of a few hundred SDK files per function were a quarter of a
 * stack test's CPU time (docs/benchmark.md).
 */
const checkedInThisProcess = new Map<string, { entry: CacheEntry; bundle: Bundle; sources: [string, CacheInput][] }>();

/**
 * The versions of cache entries (readCacheEntry's key) whose installed-package inputs this process
 * found unchanged, shared by the module registries of the process: each Jest test file has its own
 * registry, so `checkedInThisProcess` starts empty in each, and stat-ing every SDK file of eight
 * functions again was most of a stack test's first synth.
 */
const installedInputsChecked = sharedAcrossRegistries<Pick<Set<string>, 'has' | 'add'>>('__drBundleInputsChecked', () => new Set());

const isInstalledPackage = (file: string) => file.split(/[\\/]/).includes('node_modules');

function readCache(entry: string, options: BundleOptions): Bundle | undefined {
  try {
    const file = cacheFile(entry, options);
    const { entry: cached, version } = readCacheEntry(file);
    const checked = checkedInThisProcess.get(file);
    if (checked && checked.entry === cached && checked.sources.every(([input, recorded]) => unchanged(input, recorded) === recorded)) return checked.bundle;
    checkedInThisProcess.delete(file);
    const installedKnown = installedInputsChecked.has(version);
    const inputs: Record<string, CacheInput> = {};
    let touched = false;
    for (const [input, recorded] of Object.entries(cached.inputs)) {
      if (installedKnown && isInstalledPackage(input)) {
        inputs[input] = recorded;
        continue;
      }
      const now = unchanged(input, recorded);
      if (!now) return undefined;
      inputs[input] = now;
      touched ||= now !== recorded;
    }
    const zip = fs.readFileSync(cached.zipPath);
    if (crypto.createHash('sha256').update(zip).digest('base64') !== cached.sourceCodeHash) return undefined;
    // Inputs touched but not changed (a checkout, `npm ci`): recorded with their new times, so that
    // the next synth checks them with a stat again instead of hashing them.
    if (touched) writeCacheEntry(file, { ...cached, inputs });
    const bundle = { zip, sourceCodeHash: cached.sourceCodeHash, codeBytes: cached.codeBytes, zipPath: cached.zipPath };
    if (!touched) {
      checkedInThisProcess.set(file, { entry: cached, bundle, sources: Object.entries(cached.inputs).filter(([input]) => !isInstalledPackage(input)) });
      installedInputsChecked.add(version);
    }
    return bundle;
  } catch {
    return undefined;
  }
}

function writeCacheEntry(file: string, entryData: CacheEntry): void {
  try {
    // Renamed into place: a synth running beside this one reads the old entry or the new one, never half.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entryData));
    fs.renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs time.
  }
}

function writeCache(entry: string, options: BundleOptions, inputs: string[], bundle: Bundle, buildStarted: number): void {
  try {
    const stats = inputs.map((f) => [f, fs.statSync(f)] as const);
    // A file edited while esbuild read it may be in the bundle in its old version: do not record it.
    if (stats.some(([, stat]) => stat.mtimeMs >= buildStarted - 20)) return;
    const recorded = Object.fromEntries(stats.map(([f, stat]) => [f, { sha256: sha256(f), size: stat.size, mtimeMs: stat.mtimeMs }]));
    writeCacheEntry(cacheFile(entry, options), { inputs: recorded, zipPath: bundle.zipPath, sourceCodeHash: bundle.sourceCodeHash, codeBytes: bundle.codeBytes });
  } catch {
    // A cache that cannot be written only costs time.
  }
}

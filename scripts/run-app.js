#!/usr/bin/env node
'use strict';
/**
 * The `app` of cdktf.json: runs main.ts as plain JavaScript, bundled ahead of time with esbuild.
 *
 *   node scripts/run-app.js [entry.ts]     # default: main.ts
 *
 * The bundle (the project's TypeScript, cdktf, constructs, zod and the provider bindings it imports,
 * in one CommonJS file) is cached in node_modules/.cache/dr-app/ and rebuilt only when one of the
 * files esbuild read for it changed (size and mtime; SHA-256 when those differ), or when this launcher,
 * esbuild, Node.js, tsconfig.json, package-lock.json or the project's location changed. A new file
 * is picked up through the file that imports it (which changed); functions/<name>/ are not part of
 * the app: modules/bundling.ts bundles them at synth time, with its own cache.
 * Checking the cache costs a few milliseconds; a rebuild about a second.
 *
 * Compared with running main.ts through tsx:
 * - `__dirname` and `__filename` still name the source file's own directory and path (each project
 *   file that uses them gets its own constants), so functionEntry() and EXAMPLE_CONFIG_PATH work unchanged.
 * - V8's code cache of the bundle is kept next to it, so later runs skip most of the compiling.
 * - CDKTF records the creation stack of every token, for its error messages only ("Object creation
 *   stack: ..."). That took more than half of a 200-workload synth, so the bundle does not record it;
 *   DR_APP_STACK_TRACES=1 records it again. The other CDKTF_PATCHES skip work whose result is not
 *   used. The synthesized output is the same (tests compare it). The patches apply all or none: one
 *   that no longer applies to the installed CDKTF stops the launcher before it builds anything.
 * - Stack traces of errors name the source files (from the bundle's source map, read only when a
 *   stack trace is formatted).
 *
 * DR_APP_REBUILD=1 forces a rebuild; DR_APP_CACHE_DIR moves the cache.
 */
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const ROOT = path.resolve(__dirname, '..');
/** Not bundled: esbuild runs its native binary (modules/bundling.ts uses it at synth time). */
const EXTERNAL = ['esbuild'];
/** Files that change the bundle without esbuild listing them as inputs. */
const EXTRA_INPUTS = ['tsconfig.json', 'package-lock.json'];

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

function cacheDir() {
  return process.env.DR_APP_CACHE_DIR || path.join(ROOT, 'node_modules', '.cache', 'dr-app');
}

/** Names the bundle after everything that changes how it is built (not what it is built from). */
function bundleKey(entry) {
  const how = [fs.readFileSync(__filename, 'utf8'), require('esbuild/package.json').version, process.version, ROOT, entry, process.env.DR_APP_STACK_TRACES === '1'];
  return sha256(JSON.stringify(how)).slice(0, 16);
}

function paths(entry) {
  const base = path.join(cacheDir(), `${path.basename(entry, path.extname(entry))}-${bundleKey(entry)}`);
  return { bundle: `${base}.js`, map: `${base}.js.map`, codeCache: `${base}.v8cache`, manifest: `${base}.json` };
}

/**
 * Whether the bundle exists and every input recorded with it is unchanged: a stat per file; a file
 * of the same size with another mtime counts as changed only if its content does.
 */
function upToDate(target) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(target.manifest, 'utf8'));
    if (!fs.existsSync(target.bundle)) return false;
  } catch {
    return false;
  }
  let touched = false;
  for (const [file, recorded] of Object.entries(manifest.inputs)) {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return false;
    }
    if (stat.size !== recorded.size) return false;
    if (stat.mtimeMs === recorded.mtimeMs) continue;
    if (sha256(fs.readFileSync(file)) !== recorded.sha256) return false;
    manifest.inputs[file] = { ...recorded, mtimeMs: stat.mtimeMs };
    touched = true;
  }
  // Inputs touched but not changed (a checkout, `npm ci`): recorded with their new times, so that
  // later runs check them with a stat again instead of hashing them.
  if (touched) {
    try {
      writeAtomically(target.manifest, JSON.stringify(manifest));
    } catch {
      // Only costs time on the next run.
    }
  }
  return true;
}

/**
 * Changes to CDKTF 0.21.0 (final release) in the bundle, for speed only: each leaves the synthesized
 * JSON as it is (__tests__/integration/app-launcher.test.ts compares the launcher's output with the
 * unbundled app's).
 *
 * Each patch has a name, changes one file of the cdktf package (`file`, relative to it) and is
 * self-contained: a helper it needs is defined by its own edits, and no two patches change the same
 * text, so any subset applies in any order. A patch is either
 * - `override`: an exported function replaced before the app runs, by assigning to the module's
 *   export (CDKTF's text unchanged). Only for a function that CDKTF calls through its export alone
 *   (`(0, module_1.f)(...)`), never from inside its own module; or
 * - `edits`: text replacements, each `find` occurring exactly once in the installed file.
 * `skip()` leaves a patch out of a build (it is still checked).
 *
 * All or nothing: before bundling, every patch is checked against the installed CDKTF (patchPlan). If
 * one does not apply, the launcher stops with an error naming the patch and the file (exit 1; no bundle
 * built, nothing synthesized) rather than running the unpatched app with a warning: CDKTF 0.21.0 is its
 * final release and package-lock.json pins it, so a patch stops applying only when CDKTF is changed on
 * purpose, and that change should not quietly make every later synth several times slower behind a
 * warning read by nobody (__tests__/scripts/run-app-patches.test.ts catches it first). The fix is to
 * update or remove the patch; the app itself is correct with or without the patches.
 */
const CDKTF_PATCHES = [
  {
    // Token creation stacks, for error messages only; captured (formatted, deep) for every token.
    // Intrinsic, Lazy and the other token classes call it through the export; __tests__/setup.ts
    // replaces the same export under Jest.
    name: 'no-token-creation-stacks',
    file: 'lib/tokens/private/stack-trace.js',
    skip: () => process.env.DR_APP_STACK_TRACES === '1',
    override: { export: 'captureStackTrace', with: 'function captureStackTrace(below) {\n    return [];\n}' },
  },
  {
    // TerraformStack.toTerraform(): every element is resolved, then the merged tree again. The second
    // pass is needed only for the stack's own overrides (the only unresolved part); without any it
    // returns what it was given.
    name: 'stack-resolve-once',
    file: 'lib/terraform-stack.js',
    edits: [
      {
        find: '        return (0, _tokens_1.resolve)(this, tf);\n',
        replace: '        return Object.keys(this.rawOverrides).length > 0 ? (0, _tokens_1.resolve)(this, tf) : tf;\n',
      },
    ],
  },
  {
    // resolve() of an object: about half the keys of the providers' toTerraform() output have an
    // undefined value, which resolve() drops after resolving the key and the value. A key without
    // braces cannot hold a token, so such an entry is dropped at once.
    name: 'resolve-drop-undefined-at-once',
    file: 'lib/tokens/private/resolve.js',
    edits: [
      {
        find: '    for (const key of Object.keys(obj)) {\n',
        replace: '    for (const key of Object.keys(obj)) {\n        if (obj[key] === undefined && !/[{}]/.test(key)) continue;\n',
      },
    ],
  },
  {
    // resolve() joins the path of every value it visits into a string, for its error messages only:
    // joined when a message uses it (each uses it in a template string).
    name: 'resolve-lazy-path-name',
    file: 'lib/tokens/private/resolve.js',
    edits: [
      {
        find: '    const pathName = "/" + prefix.join("/");\n',
        replace: '    const pathName = { toString: () => "/" + prefix.join("/") };\n',
      },
    ],
  },
  {
    // resolve() of a string, an object key or an array element: a string without braces holds no
    // string, list or map token, and one without a digit followed by "e" no number token (a token
    // number prints as 1.2e+289). Such a string, and a boolean, resolve to themselves: returned at once,
    // without the two resolution contexts and four regular expressions per value.
    name: 'resolve-plain-values-at-once',
    file: 'lib/tokens/private/resolve.js',
    edits: [
      {
        find: 'const tokenMap = token_map_1.TokenMap.instance();\n',
        replace:
          'const tokenMap = token_map_1.TokenMap.instance();\n' +
          'function resolvesToItself(x) {\n    if (typeof x === "boolean") return true;\n' +
          '    return typeof x === "string" && x.indexOf("{") === -1 && !/\\de/.test(x) && x !== token_1.Token.STRING_MAP_TOKEN_VALUE && x !== token_1.Token.ANY_MAP_TOKEN_VALUE;\n}\n',
      },
      {
        find: '        const resolvedKey = makeContext()[0].resolve(key);\n',
        replace: '        const resolvedKey = resolvesToItself(key) ? key : makeContext()[0].resolve(key);\n',
      },
      {
        find: '        const value = makeContext(key)[0].resolve(obj[key]);\n',
        replace: '        const value = resolvesToItself(obj[key]) ? obj[key] : makeContext(key)[0].resolve(obj[key]);\n',
      },
      {
        find: '            .map((x, i) => makeContext(`${i}`)[0].resolve(x))\n',
        replace: '            .map((x, i) => (resolvesToItself(x) ? x : makeContext(`${i}`)[0].resolve(x)))\n',
      },
    ],
  },
  {
    // Splitting a string with tokens: at every token, the escape expressions ("${" not of a token, "}")
    // were searched from there to the end of the string, not only up to the token: quadratic in long
    // strings with many tokens (policy documents, state machine definitions). Their positions are
    // found once per string instead; each search returns the first at or after its start, as before.
    name: 'split-escape-positions-once',
    file: 'lib/tokens/private/encoding.js',
    edits: [
      {
        find: 'const ESCAPE_TOKEN_END_REGEX = /\\}/g;\n',
        replace:
          'const ESCAPE_TOKEN_END_REGEX = /\\}/g;\n' +
          'function nextEscapeMatch(tokenString, re, startIndex) {\n' +
          '    const found = (tokenString.escapeMatches ??= new Map());\n' +
          '    let positions = found.get(re);\n' +
          '    if (positions === undefined) {\n' +
          '        positions = [];\n        re.lastIndex = 0;\n        let m;\n' +
          '        while ((m = re.exec(tokenString.str)) !== null) positions.push(m.index, re.lastIndex);\n' +
          '        found.set(re, positions);\n    }\n' +
          '    let lo = 0;\n    let hi = positions.length / 2;\n' +
          '    while (lo < hi) {\n        const mid = (lo + hi) >> 1;\n        if (positions[2 * mid] < startIndex) lo = mid + 1;\n        else hi = mid;\n    }\n' +
          '    if (2 * lo >= positions.length) {\n        re.lastIndex = 0;\n        return null;\n    }\n' +
          '    re.lastIndex = positions[2 * lo + 1];\n    return { index: positions[2 * lo] };\n}\n',
      },
      {
        find:
          '        ESCAPE_TOKEN_BEGIN_REGEX.lastIndex = startIndex;\n        ESCAPE_TOKEN_END_REGEX.lastIndex = startIndex;\n' +
          '        let startMatch = ESCAPE_TOKEN_BEGIN_REGEX.exec(this.str);\n        let endMatch = ESCAPE_TOKEN_END_REGEX.exec(this.str);\n',
        replace:
          '        let startMatch = nextEscapeMatch(this, ESCAPE_TOKEN_BEGIN_REGEX, startIndex);\n        let endMatch = nextEscapeMatch(this, ESCAPE_TOKEN_END_REGEX, startIndex);\n',
      },
    ],
  },
  {
    // snake_case of attribute names, three regular expressions per key of every resource: memoized.
    // A text edit, not an override: keysToSnakeCase() calls it from inside its module.
    name: 'snake-case-memo',
    file: 'lib/util.js',
    edits: [
      {
        find: 'function snakeCase(str) {',
        replace:
          'const snakeCaseMemo = new Map();\nfunction snakeCase(str) {\n    if (typeof str !== "string") return snakeCaseOnce(str);\n' +
          '    let s = snakeCaseMemo.get(str);\n    if (s === undefined) snakeCaseMemo.set(str, (s = snakeCaseOnce(str)));\n    return s;\n}\nfunction snakeCaseOnce(str) {',
      },
    ],
  },
];

/** The cdktf package the app imports, by its real path (esbuild names the files it loads by theirs). */
function cdktfDirectory() {
  return fs.realpathSync(path.dirname(require.resolve('cdktf/package.json', { paths: [ROOT] })));
}

const occurrences = (text, find) => text.split(find).length - 1;

/**
 * Checks every one of `patches` against the cdktf package in `cdktfDir` and returns what a build
 * applies, for the patches not skipped: `files` (absolute path -> patched text) and `overrides`
 * ({ file, export, with }). Throws, naming the patch and its file, at the first that does not apply.
 */
function patchPlan(patches = CDKTF_PATCHES, cdktfDir = cdktfDirectory()) {
  const originals = new Map();
  const files = new Map();
  const overrides = [];
  for (const patch of patches) {
    const file = path.join(cdktfDir, ...patch.file.split('/'));
    const fail = (why) => {
      throw new Error(
        `CDKTF patch "${patch.name}" does not apply to ${file}: ${why}.\n` +
          'scripts/run-app.js applies all of its CDKTF_PATCHES or none: update or remove this one for the installed CDKTF.',
      );
    };
    if (!originals.has(file)) {
      try {
        originals.set(file, fs.readFileSync(file, 'utf8'));
      } catch (e) {
        fail(`cannot read the file (${e.code || e.message})`);
      }
    }
    const original = originals.get(file);
    const active = !patch.skip?.();
    if (patch.override) {
      // TypeScript's declaration of an exported function in CommonJS output.
      const declaration = `exports.${patch.override.export} = ${patch.override.export};\n`;
      const n = occurrences(original, declaration);
      if (n !== 1) fail(`\`${declaration.trim()}\` occurs ${n} times in it, not once`);
      if (active) overrides.push({ file, ...patch.override });
      continue;
    }
    let text = files.get(file) ?? original;
    for (const edit of patch.edits) {
      const n = occurrences(original, edit.find);
      const shown = `${JSON.stringify(edit.find.trim().split('\n')[0])}${edit.find.trim().includes('\n') ? '...' : ''}`;
      if (n !== 1) fail(`the text it replaces (${shown}) occurs ${n} times in it, not once`);
      // Self-contained patches change distinct text: still there, once, after the others' edits.
      if (occurrences(text, edit.find) !== 1) fail(`the text it replaces (${shown}) was changed by another edit`);
      text = text.replace(edit.find, () => edit.replace);
    }
    if (active) files.set(file, text);
  }
  return { files, overrides };
}

/**
 * esbuild plugin: `__dirname`/`__filename` of the source files, and the CDKTF_PATCHES of `plan`. The
 * bundle's entry is `dr-app:entry`, which runs the overrides before importing `entry`.
 */
function appPlugin(entry, plan) {
  const virtual = {
    // Strict, as the TypeScript entry made the whole bundle (tsconfig.json's `strict`).
    'dr-app:entry': `"use strict";\nimport "dr-app:overrides";\nimport ${JSON.stringify(entry)};\n`,
    'dr-app:overrides': plan.overrides.map((o) => `require(${JSON.stringify(o.file)}).${o.export} = ${o.with};\n`).join(''),
  };
  return {
    name: 'dr-app',
    setup(build) {
      build.onResolve({ filter: /^dr-app:/ }, (args) => ({ path: args.path, namespace: 'dr-app' }));
      build.onLoad({ filter: /.*/, namespace: 'dr-app' }, (args) => ({ contents: virtual[args.path], loader: 'js', resolveDir: ROOT }));
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.split(path.sep).includes('node_modules')) return undefined;
        const source = fs.readFileSync(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
        // On the first line, so that line numbers stay those of the source.
        const header = `const __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
        return { contents: `${header}${source}`, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
      build.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/].+\.js$/ }, (args) => {
        const contents = plan.files.get(args.path);
        return contents === undefined ? undefined : { contents, loader: 'js' };
      });
    },
  };
}

function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Bundles `entry` into target.bundle and records the inputs; resolves to target.bundle. */
async function build(entry, target) {
  const esbuild = require('esbuild');
  const started = Date.now();
  // Throws before anything is built when one of CDKTF_PATCHES does not apply (all or nothing).
  const plan = patchPlan();
  let result;
  try {
    result = await esbuild.build({
      entryPoints: ['dr-app:entry'],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      format: 'cjs',
      outfile: target.bundle,
      external: EXTERNAL,
      sourcemap: 'external',
      sourcesContent: false,
      legalComments: 'none',
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [appPlugin(path.resolve(ROOT, entry), plan)],
    });
  } catch (e) {
    const messages = (e.errors || []).map((m) => `${m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : ''}${m.text}`);
    throw new Error(`Bundling ${entry} failed:\n${messages.length > 0 ? messages.join('\n') : String(e)}`);
  }
  fs.mkdirSync(path.dirname(target.bundle), { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const inputs = {};
  let changedWhileBuilding = false;
  for (const file of [...Object.keys(result.metafile.inputs).map((f) => path.resolve(ROOT, f)), ...EXTRA_INPUTS.map((f) => path.join(ROOT, f))]) {
    if (!fs.existsSync(file)) continue;
    const stat = fs.statSync(file);
    // Edited while esbuild read it: the bundle may hold the old version, so it is not recorded as up to date.
    if (stat.mtimeMs >= started - 20) changedWhileBuilding = true;
    inputs[file] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256(fs.readFileSync(file)) };
  }
  if (!changedWhileBuilding) writeAtomically(target.manifest, JSON.stringify({ entry, inputs }));
  pruneOldBundles(target);
  return target.bundle;
}

/** Removes bundles of the same entry built the old way (another launcher or esbuild version) over a day ago. */
function pruneOldBundles(target) {
  const dir = path.dirname(target.bundle);
  const prefix = path.basename(target.bundle).replace(/-[0-9a-f]{16}\.js$/, '-');
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!name.startsWith(prefix) || file.startsWith(target.bundle.slice(0, -3))) continue;
    try {
      if (fs.statSync(file).mtimeMs < dayAgo) fs.rmSync(file, { force: true });
    } catch {
      // Removed by another run.
    }
  }
}

/** Resolves to the bundle of `entry` (default main.ts), built first if it is missing or out of date. */
async function prepare(entry = 'main.ts') {
  const target = paths(entry);
  if (process.env.DR_APP_REBUILD !== '1' && upToDate(target)) return target.bundle;
  return build(entry, target);
}

/**
 * Stack frames in the bundle are shown at their source position. The map is read on the first
 * formatted stack trace that has such a frame.
 */
function mapStackTraces(target) {
  let sourceMap;
  const position = (frame) => {
    try {
      sourceMap ??= new Module.SourceMap(JSON.parse(fs.readFileSync(target.map, 'utf8')));
      const entry = sourceMap.findEntry(frame.getLineNumber() - 1, frame.getColumnNumber() - 1);
      if (!entry || !entry.originalSource) return undefined;
      return `${path.resolve(path.dirname(target.map), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    } catch {
      return undefined;
    }
  };
  Error.prepareStackTrace = (error, frames) => {
    const lines = frames.map((frame) => {
      const text = String(frame);
      const mapped = frame.getFileName() === target.bundle ? position(frame) : undefined;
      if (!mapped) return `    at ${text}`;
      const name = frame.getFunctionName() || frame.getMethodName();
      return `    at ${name ? `${frame.isConstructor() ? 'new ' : ''}${name} (${mapped})` : mapped}`;
    });
    let header;
    try {
      header = Error.prototype.toString.call(error);
    } catch {
      header = '<error>';
    }
    return [header, ...lines].join('\n');
  };
}

/** Runs the bundle as the main module, with V8's code cache (written after a run without one). */
function load(target) {
  mapStackTraces(target);
  const file = target.bundle;
  const fd = fs.openSync(file, 'r');
  let source;
  let codeCache;
  try {
    // The code cache belongs to this very file: V8 checks only the source's length, and a rebuild
    // (a new file, renamed into place) may have the same length.
    const stat = fs.fstatSync(fd);
    codeCache = `${target.codeCache}.${stat.ino}-${stat.size}-${Math.round(stat.mtimeMs)}`;
    source = fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCache);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // After the run: the cache then also holds the functions compiled while synthesizing.
    process.once('exit', () => {
      try {
        for (const old of fs.readdirSync(path.dirname(codeCache))) {
          if (old.startsWith(`${path.basename(target.codeCache)}.`)) fs.rmSync(path.join(path.dirname(codeCache), old), { force: true });
        }
        writeAtomically(codeCache, script.createCachedData());
      } catch {
        // Only costs time on the next run.
      }
    });
  }
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  Module._cache[file] = mod;
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
}

/** Builds the bundle if needed, then runs it; synchronously when it is up to date (the usual case). */
function run(entry = 'main.ts') {
  const target = paths(entry);
  if (process.env.DR_APP_REBUILD !== '1' && upToDate(target)) return load(target);
  build(entry, target).then(
    // Outside the promise: an error thrown by the app is an uncaught exception, as with `node main.js`.
    () => setImmediate(() => load(target)),
    (e) => {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    },
  );
}

module.exports = { prepare, run, upToDate, paths, patchPlan, CDKTF_PATCHES, ROOT };

if (require.main === module) run(process.argv[2]);

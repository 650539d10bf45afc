import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The launcher is plain JavaScript (cdktf.json runs `node scripts/run-app.js`).
interface Edit {
  find: string;
  replace: string;
}
interface Patch {
  name: string;
  file: string;
  skip?: () => boolean;
  override?: { export: string; with: string };
  edits?: Edit[];
}
interface PatchPlan {
  files: Map<string, string>;
  overrides: { file: string; export: string; with: string }[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require('../../scripts/run-app.js') as {
  CDKTF_PATCHES: Patch[];
  patchPlan(patches?: Patch[], cdktfDir?: string): PatchPlan;
  prepare(entry?: string): Promise<string>;
  ROOT: string;
};

const LAUNCHER = path.join(launcher.ROOT, 'scripts', 'run-app.js');
const CDKTF = fs.realpathSync(path.dirname(require.resolve('cdktf/package.json', { paths: [launcher.ROOT] })));
const PATCHES = launcher.CDKTF_PATCHES;

const installed = (patch: Patch) => fs.readFileSync(path.join(CDKTF, patch.file), 'utf8');
const occurrences = (text: string, find: string) => text.split(find).length - 1;
const named = (name: string) => {
  const patch = PATCHES.find((p) => p.name === name);
  if (!patch) throw new Error(`no patch ${name}`);
  return patch;
};
/** A copy of a patch whose first edit looks for text that is not in its file. */
function broken(name: string): Patch {
  const patch = named(name);
  const [first, ...rest] = patch.edits ?? [];
  return { ...patch, edits: [{ ...first, find: `${first.find}// not in CDKTF\n` }, ...rest] };
}

describe('scripts/run-app.js: CDKTF_PATCHES against the installed CDKTF', () => {
  it('are named, each once, and each either overrides an export or edits text', () => {
    const names = PATCHES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const patch of PATCHES) {
      expect({ name: patch.name, ok: /^[a-z][a-z0-9-]+$/.test(patch.name) && !!patch.override !== !!patch.edits?.length }).toEqual({ name: patch.name, ok: true });
    }
  });

  it('every patch applies exactly once: each text it replaces occurs once in its file, each export it overrides is declared once', () => {
    for (const patch of PATCHES) {
      const source = installed(patch);
      const counts = patch.override
        ? [occurrences(source, `exports.${patch.override.export} = ${patch.override.export};\n`)]
        : (patch.edits ?? []).map((edit) => occurrences(source, edit.find));
      expect({ patch: patch.name, counts }).toEqual({ patch: patch.name, counts: counts.map(() => 1) });
    }
  });

  it('each patch applies on its own (self-contained), and all of them in any order to the same text', () => {
    const all = launcher.patchPlan();
    for (const patch of PATCHES) {
      const alone = launcher.patchPlan([patch]);
      const file = path.join(CDKTF, patch.file);
      if (patch.override) {
        expect(alone.overrides).toEqual([{ file, ...patch.override }]);
        continue;
      }
      // Each replacement is in the patched file once, also with all the other patches applied.
      for (const edit of patch.edits ?? []) {
        expect({ patch: patch.name, alone: occurrences(alone.files.get(file) ?? '', edit.replace), all: occurrences(all.files.get(file) ?? '', edit.replace) }).toEqual({
          patch: patch.name,
          alone: 1,
          all: 1,
        });
      }
    }
    expect(launcher.patchPlan([...PATCHES].reverse())).toEqual(all);
    expect([...all.files.keys()].map((f) => path.relative(CDKTF, f).split(path.sep).join('/')).sort()).toEqual(
      [...new Set(PATCHES.filter((p) => p.edits).map((p) => p.file))].sort(),
    );
  });

  it('overrides only exports that CDKTF calls through the export, never from inside their own module', () => {
    for (const patch of PATCHES.filter((p) => p.override)) {
      const name = patch.override!.export;
      // The declaration is the only unqualified call-like use of the name in its module.
      expect({ patch: patch.name, uses: installed(patch).match(new RegExp(`(?<![.\\w])${name}\\(`, 'g')) }).toEqual({
        patch: patch.name,
        uses: [`${name}(`],
      });
    }
  });

  it('checks a skipped patch too, without applying it (DR_APP_STACK_TRACES=1 keeps the creation stacks)', () => {
    const previous = process.env.DR_APP_STACK_TRACES;
    process.env.DR_APP_STACK_TRACES = '1';
    try {
      expect(launcher.patchPlan().overrides).toEqual([]);
      const patch = named('no-token-creation-stacks');
      expect(() => launcher.patchPlan([{ ...patch, override: { ...patch.override!, export: 'captureStackTraces' } }])).toThrow(/CDKTF patch "no-token-creation-stacks"/);
    } finally {
      if (previous === undefined) delete process.env.DR_APP_STACK_TRACES;
      else process.env.DR_APP_STACK_TRACES = previous;
    }
  });
});

describe('scripts/run-app.js: the bundle', () => {
  it('is strict, as its TypeScript entry, and replaces the overridden exports before the entry runs', async () => {
    const previous = process.env.DR_APP_CACHE_DIR;
    process.env.DR_APP_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-app-cache-'));
    try {
      const bundle = fs.readFileSync(await launcher.prepare('main.ts'), 'utf8');
      expect(bundle.startsWith('"use strict";\n')).toBe(true);
      const override = bundle.indexOf('require_stack_trace().captureStackTrace = function captureStackTrace(below) {');
      expect(override).toBeGreaterThan(0);
      expect(override).toBeLessThan(bundle.indexOf('\n// main.ts\n'));
    } finally {
      if (previous === undefined) delete process.env.DR_APP_CACHE_DIR;
      else process.env.DR_APP_CACHE_DIR = previous;
    }
  });
});

describe('scripts/run-app.js: a patch that does not apply', () => {
  it('is reported with the patch, its file and why; none of the patches is applied', () => {
    const resolveJs = path.join(CDKTF, 'lib', 'tokens', 'private', 'resolve.js').replace(/[.\\]/g, '\\$&');
    const patches = PATCHES.map((p) => (p.name === 'resolve-lazy-path-name' ? broken(p.name) : p));
    expect(() => launcher.patchPlan(patches)).toThrow(
      new RegExp(`^CDKTF patch "resolve-lazy-path-name" does not apply to ${resolveJs}: the text it replaces \\("const pathName = .*"\\.\\.\\.\\) occurs 0 times in it, not once\\.\n`),
    );

    const override = named('no-token-creation-stacks');
    expect(() => launcher.patchPlan([{ ...override, override: { ...override.override!, export: 'captureStackTraces' } }])).toThrow(
      /^CDKTF patch "no-token-creation-stacks" does not apply to .*stack-trace\.js: `exports\.captureStackTraces = captureStackTraces;` occurs 0 times in it, not once/,
    );
    expect(() => launcher.patchPlan([{ ...override, file: 'lib/tokens/private/stack-traces.js' }])).toThrow(
      /^CDKTF patch "no-token-creation-stacks" does not apply to .*stack-traces\.js: cannot read the file \(ENOENT\)/,
    );
    // Two patches changing the same text depend on their order: refused.
    const first = named('resolve-plain-values-at-once');
    const overlapping = { name: 'overlapping', file: first.file, edits: [first.edits![1]] };
    expect(() => launcher.patchPlan([first, overlapping])).toThrow(/^CDKTF patch "overlapping" does not apply to .*resolve\.js: the text it replaces .* was changed by another edit/);
  });

  it('stops the launcher before it builds anything: exit 1, the message on stderr, no bundle, nothing synthesized', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-app-patches-'));
    const cache = path.join(dir, 'cache');
    const outdir = path.join(dir, 'out');
    // The launcher as cdktf.json runs it, with one of its patches changed so that it cannot apply.
    const script = `const l = require(${JSON.stringify(LAUNCHER)});
const p = l.CDKTF_PATCHES.find((x) => x.name === 'snake-case-memo');
p.edits[0].find = 'function snakeCase(string) {';
l.run();`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: launcher.ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', DR_APP_CACHE_DIR: cache, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
      timeout: 120000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^CDKTF patch "snake-case-memo" does not apply to .*[\\/]cdktf[\\/]lib[\\/]util\.js: the text it replaces \("function snakeCase\(string\) \{"\) occurs 0 times in it, not once\.\n/);
    expect(r.stderr).toContain('applies all of its CDKTF_PATCHES or none');
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.existsSync(cache) ? fs.readdirSync(cache) : []).toEqual([]);
  });
});

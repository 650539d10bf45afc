import { isArgumentError, parseStrictArgs, runScript } from '../../scripts/cli-args';

class ScriptUsageError extends Error {}
const USAGE = 'Usage: npm run thing -- [--out DIR]';

describe('parseStrictArgs', () => {
  it('returns the values of the given options', () => {
    const values = parseStrictArgs(['--out', 'dir', '-h', '--what-if', 'a=1', '--what-if', 'b=2'], { out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, 'what-if': { type: 'string', multiple: true } }, USAGE, ScriptUsageError);
    expect(values).toEqual({ out: 'dir', help: true, 'what-if': ['a=1', 'b=2'] });
  });

  it('throws an unknown option, a missing value or a positional as the script usage error, usage appended', () => {
    for (const argv of [['--nope'], ['--out'], ['extra']]) {
      let thrown: unknown;
      try {
        parseStrictArgs(argv, { out: { type: 'string' } }, USAGE, ScriptUsageError);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ScriptUsageError);
      expect((thrown as Error).message).toMatch(new RegExp(`\\n\\n${USAGE.replace(/[[\]-]/g, '\\$&')}$`));
    }
  });
});

describe('runScript', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = undefined;
  });

  it('reports an expected error on one line and exits 1', () => {
    runScript(() => {
      throw new ScriptUsageError('bad input');
    }, (e) => e instanceof ScriptUsageError);
    expect(stderr).toHaveBeenCalledWith('bad input\n');
    expect(process.exitCode).toBe(1);
  });

  it('rethrows anything else', () => {
    expect(() =>
      runScript(() => {
        throw new RangeError('a bug');
      }, (e) => e instanceof ScriptUsageError),
    ).toThrow('a bug');
    expect(stderr).not.toHaveBeenCalled();
  });

  it('runs main once and leaves the exit status alone when it succeeds', () => {
    const main = jest.fn();
    runScript(main, () => true);
    expect(main).toHaveBeenCalledTimes(1);
    expect(process.exitCode).toBeUndefined();
  });
});

describe('isArgumentError', () => {
  // Built here rather than caught from util.parseArgs: Jest runs the test in another realm than Node's
  // own modules, where their TypeError is not this one.
  it('is a TypeError with a code (what util.parseArgs throws), not any TypeError', () => {
    expect(isArgumentError(Object.assign(new TypeError("Unknown option '--nope'"), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }))).toBe(true);
    expect(isArgumentError(new TypeError('plain'))).toBe(false);
    expect(isArgumentError(Object.assign(new Error('other'), { code: 'ENOENT' }))).toBe(false);
  });
});

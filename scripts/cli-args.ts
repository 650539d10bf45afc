import { parseArgs, type ParseArgsConfig } from 'util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command line the way every `npm run` script with a usage text does: strict (an unknown
 * option is an error), no positionals. A mistake is thrown as the script's own usage error, its usage
 * text appended, so that each script keeps mapping it to its own exit status.
 */
export function parseStrictArgs<const O extends OptionsConfig>(argv: string[], options: O, usage: string, usageError: new (message: string) => Error) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new usageError(`${(e as Error).message}\n\n${usage}`);
  }
}

/**
 * Runs a script's `main`: an error it expects (bad input, an unreadable file) is one line on stderr
 * and exit status 1; anything else is a bug and keeps its stack trace.
 */
export function runScript(main: () => void, expected: (e: unknown) => boolean): void {
  try {
    main();
  } catch (e) {
    if (!expected(e)) throw e;
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** What `util.parseArgs` throws on an unknown option or a missing value (a TypeError with an ERR_PARSE_ARGS_* code). */
export function isArgumentError(e: unknown): boolean {
  return e instanceof TypeError && 'code' in e;
}

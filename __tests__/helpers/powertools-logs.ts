/**
 * Captures the structured log lines of a handler for each test: Powertools writes INFO/WARN to stdout
 * and ERROR to stderr, one JSON object per line. Call at the top level of a test file.
 */
export function capturePowertoolsLogs(): () => Record<string, unknown>[] {
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
  });
  return () =>
    [...stdout.mock.calls, ...stderr.mock.calls]
      .map((c) => String(c[0]))
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
}

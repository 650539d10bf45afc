// A handler logs an error once, as its first ERROR line with the error under `error`, before rethrowing it for the retry or dead-letter path.
export function expectErrorLogged(lines: Record<string, unknown>[], line: Record<string, unknown>, error: Record<string, unknown>): void {
  expect(lines[0]).toMatchObject({ level: 'ERROR', ...line });
  expect(lines[0].error).toMatchObject(error);
}

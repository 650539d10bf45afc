import type { Logger } from '../../../functions/aws-call';

// The logic functions log through an injected logger and back off through an injected sleep; their tests assert on both.

export interface LogLine {
  message: string;
  [key: string]: unknown;
}

/** Call at the top level of a test file: the lines and the sleeps are emptied before each test. */
export function recordLogsAndSleeps() {
  const logs = { info: [] as LogLine[], warn: [] as LogLine[], error: [] as LogLine[] };
  const sleeps: number[] = [];
  beforeEach(() => {
    for (const lines of Object.values(logs)) lines.length = 0;
    sleeps.length = 0;
  });
  const logger: Logger = {
    info: (message, ...attributes) => void logs.info.push(Object.assign({ message }, ...attributes)),
    warn: (message, ...attributes) => void logs.warn.push(Object.assign({ message }, ...attributes)),
    error: (message, ...attributes) => void logs.error.push(Object.assign({ message }, ...attributes)),
  };
  return { logs, sleeps, logger, sleep: async (ms: number) => void sleeps.push(ms) };
}

import type { Context } from 'aws-lambda';
import { capturePowertoolsLogs } from '../powertools-logs';
import { expectErrorLogged } from './error-log-line';

// Every handler test loads index.ts as Lambda runs it (region from AWS_REGION, JSON logs) and starts each test with clean SDK mocks.

type Handler<R> = (event: unknown, context?: Context) => Promise<R>;

/** Call at the top level of a test file, before its own beforeEach, so that the mocks are reset before the file stubs them. */
export function handlerUnderTest<R>(load: () => Promise<{ handler: Handler<R> }>, mocks: { reset(): unknown; calls(): unknown[] }[]) {
  const logLines = capturePowertoolsLogs();
  let loaded: Handler<R>;
  beforeAll(async () => {
    process.env.AWS_REGION = 'ap-northeast-1';
    delete process.env.POWERTOOLS_DEV;
    ({ handler: loaded } = await load());
  });
  beforeEach(() => {
    for (const m of mocks) m.reset();
  });
  const handler: Handler<R> = (event, context) => loaded(event, context);
  /** For the paths that must fail before any AWS call. */
  const expectNoAwsCall = () => {
    for (const m of mocks) expect(m.calls()).toHaveLength(0);
  };
  /** An event refused before any AWS call: rethrown for the failure branch and logged once as an error. */
  const expectRefusedBeforeAws = async (event: unknown, thrown: string, line: Record<string, unknown>, error: Record<string, unknown>) => {
    await expect(handler(event)).rejects.toThrow(thrown);
    expectNoAwsCall();
    expectErrorLogged(logLines(), line, error);
  };
  return { handler, logLines, expectNoAwsCall, expectRefusedBeforeAws };
}

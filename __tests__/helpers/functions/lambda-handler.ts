import type { Context } from 'aws-lambda';
import { capturePowertoolsLogs } from '../powertools-logs';

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
  return { handler, logLines, expectNoAwsCall };
}

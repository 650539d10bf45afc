import { functionCalls, THROTTLING_ERROR_CODES, type CallRuntime } from '../../functions/aws-call';
import * as attach from '../../functions/attach-restored-volume/logic';
import * as readiness from '../../functions/check-readiness/runtime';
import * as cleanup from '../../functions/cleanup-drill/runtime';
import * as locate from '../../functions/locate-recovery-points/logic';
import * as prepare from '../../functions/prepare-restore/runtime';
import * as report from '../../functions/report-recovery/logic';
import * as validate from '../../functions/validate-restore/logic';

// Each function declares its errors and throttled call with functionCalls; the codes its services
// throttle with, and the error name Step Functions' Retry/Catch and Lambda's errorType see, are its
// contract, so each is pinned here per function.

function runtime(): CallRuntime & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return {
    warnings,
    logger: { info: () => undefined, warn: (_m, ...a) => void warnings.push(Object.assign({}, ...a)), error: () => undefined },
    sleep: async () => undefined,
    random: () => 0,
    options: { maxThrottleAttempts: 3, baseBackoffMs: 10, maxBackoffMs: 40 },
    context: {},
  };
}

const awsError = (name: string) => Object.assign(new Error(`${name} from AWS`), { name });

const FUNCTIONS = [
  { name: 'attach-restored-volume', calls: attach, FunctionError: attach.AttachRestoredVolumeError, errorName: 'AttachRestoredVolumeError', own: [] },
  { name: 'check-readiness', calls: readiness, FunctionError: readiness.ReadinessError, errorName: 'ReadinessError', own: ['LimitExceededException', 'ThrottledException', 'SlowDown'] },
  { name: 'cleanup-drill', calls: cleanup, FunctionError: cleanup.CleanupDrillError, errorName: 'CleanupDrillError', own: ['TooManyRequests', 'LimitExceededException', 'ResourceContentionFault'] },
  { name: 'locate-recovery-points', calls: locate, FunctionError: locate.LocateRecoveryPointsError, errorName: 'LocateRecoveryPointsError', own: ['LimitExceededException'] },
  { name: 'prepare-restore', calls: prepare, FunctionError: prepare.PrepareRestoreError, errorName: 'PrepareRestoreError', own: ['LimitExceededException'] },
  { name: 'report-recovery', calls: report, FunctionError: report.ReportRecoveryError, errorName: 'ReportRecoveryError', own: ['Throttled', 'ThrottledException', 'KMSThrottlingException'] },
  { name: 'validate-restore', calls: validate, FunctionError: validate.ValidateRestoreError, errorName: 'ValidateRestoreError', own: ['SlowDown', 'Throttled', 'ThrottledException', 'KMSThrottlingException'] },
];

describe.each(FUNCTIONS)('$name', ({ calls, FunctionError, errorName, own }) => {
  it.each([...THROTTLING_ERROR_CODES, ...own])('retries %s, with a warning, and returns the answer', async (code) => {
    const rt = runtime();
    let attempts = 0;
    const send = async () => {
      if (++attempts === 1) throw awsError(code);
      return 'answer';
    };
    await expect(calls.call(rt, 'Describe(x)', send)).resolves.toBe('answer');
    expect(attempts).toBe(2);
    expect(rt.warnings).toEqual([expect.objectContaining({ operation: 'Describe(x)', errorCode: code, attempt: 1 })]);
  });

  it(`gives up with a ${errorName} after maxThrottleAttempts`, async () => {
    const rt = runtime();
    const failure = calls.call(rt, 'Describe(x)', () => Promise.reject(awsError(own[0] ?? 'Throttling')));
    await expect(failure).rejects.toThrow(FunctionError);
    await expect(failure).rejects.toMatchObject({ name: errorName, message: expect.stringContaining('was throttled') });
  });

  it(`wraps any other error in an AwsCallError, one of its ${errorName}s, without retrying`, async () => {
    const rt = runtime();
    let attempts = 0;
    const failure = calls.call(rt, 'Describe(x)', () => (attempts++, Promise.reject(awsError('AccessDeniedException'))));
    await expect(failure).rejects.toThrow(calls.AwsCallError);
    await expect(failure).rejects.toThrow(FunctionError);
    await expect(failure).rejects.toMatchObject({ name: 'AwsCallError', operation: 'Describe(x)', code: 'AccessDeniedException' });
    expect(attempts).toBe(1);
  });
});

describe('functionCalls', () => {
  it("does not retry another function's throttling codes", async () => {
    const { call, AwsCallError } = functionCalls('SomeError');
    await expect(call(runtime(), 'Describe(x)', () => Promise.reject(awsError('SlowDown')))).rejects.toThrow(AwsCallError);
  });

  it('gives every function its own classes', () => {
    const a = functionCalls('AError');
    const b = functionCalls('BError');
    expect(new a.AwsCallError('Op', 'Code', undefined)).not.toBeInstanceOf(b.FunctionError);
    expect(new a.FunctionError('m').name).toBe('AError');
  });
});

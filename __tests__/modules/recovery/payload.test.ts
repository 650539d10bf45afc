/**
 * The state machine's Payloads are checked at compile time against the functions' input schemas
 * (modules/recovery/payload.ts). The `@ts-expect-error` lines are the test: `npx tsc --noEmit` fails
 * if one of them compiles (a Payload missing a required field, naming a field the schema does not
 * know, or giving a value of the wrong type). Jest only runs the ones that do compile.
 */
import { payloadFor, type PayloadOf } from '../../../modules/recovery/payload';
import type { CleanupPayload } from '../../../functions/cleanup-drill/input';
import type { LocatePayload } from '../../../functions/locate-recovery-points/input';
import type { PrepareRestorePayload } from '../../../functions/prepare-restore/input';
import type { RecoveryReportPayload } from '../../../functions/report-recovery/input';

const REPORT = { 'workload.$': '$.config.workload', 'mode.$': '$.mode', 'executionArn.$': '$$.Execution.Id', outcome: 'failed', 'startedAt.$': '$$.Execution.StartTime' } as const;

describe('payloadFor', () => {
  it('returns the payload as written, a field given as a value or as a path', () => {
    const payload = { 'mode.$': '$.mode', executionName: 'x', 'accountId.$': '$.accountId', region: 'ap-northeast-1', 'restores.$': '$.restores' };
    expect(payloadFor<CleanupPayload>()(payload)).toBe(payload);
    expect(payloadFor<RecoveryReportPayload>()({ ...REPORT, 'failedStep.$': '$.failedStep' })).toEqual({ ...REPORT, 'failedStep.$': '$.failedStep' });
  });

  it('does not compile a Payload missing a required field', () => {
    // @ts-expect-error: startedAt (or startedAt.$) is required by report-recovery's schema.
    payloadFor<RecoveryReportPayload>()({ 'workload.$': '$.config.workload', 'mode.$': '$.mode', 'executionArn.$': '$$.Execution.Id', outcome: 'failed' });
    // @ts-expect-error: restores is required by cleanup-drill's schema.
    payloadFor<CleanupPayload>()({ mode: 'failback', 'executionName.$': '$$.Execution.Name', accountId: '222222222222', region: 'ap-northeast-1' });
    // @ts-expect-error: target is required by prepare-restore's schema.
    payloadFor<PrepareRestorePayload>()({ 'workload.$': '$.w', 'executionName.$': '$.e', 'recoveryPointArn.$': '$.r', 'resourceType.$': '$.t', 'resourceArn.$': '$.a', restoreVaultName: 'v' });
    // @ts-expect-error: restoreVault is required by locate-recovery-points' schema.
    payloadFor<LocatePayload>()({ 'workload.$': '$.w', 'sourceAccountId.$': '$.a', 'rpoMinutes.$': '$.r', 'resourceTypes.$': '$.t' });
  });

  it('does not compile a field the schema does not know, nor a value of the wrong type', () => {
    // @ts-expect-error: `workloadName` is not a field of report-recovery's input.
    payloadFor<RecoveryReportPayload>()({ ...REPORT, 'workloadName.$': '$.config.workload' });
    // @ts-expect-error: `mode` is "drill" or "failback".
    payloadFor<CleanupPayload>()({ mode: 'failover', executionName: 'x', accountId: '2', region: 'r', 'restores.$': '$.restores' });
    // @ts-expect-error: a path is a string.
    payloadFor<CleanupPayload>()({ mode: 'drill', executionName: 'x', accountId: '2', region: 'r', 'restores.$': ['$.restores'] });
  });

  it('lets optional fields be left out', () => {
    const payload: PayloadOf<LocatePayload> = {
      workload: 'shop',
      'sourceAccountId.$': '$.config.accountId',
      rpoMinutes: 60,
      resourceTypes: ['EBS'],
      restoreVault: { name: 'acme-dr-restore', accountId: '222222222222', region: 'ap-northeast-1' },
    };
    expect(Object.keys(payload)).not.toContain('centralVault');
  });
});

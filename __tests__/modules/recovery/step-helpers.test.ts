import { jobPacing, resolveWorkloadStates, runbookPollStates, RUNBOOK_FAILED, RUNBOOK_SUCCEEDED } from '../../../modules/recovery/steps/common';
import { StateMachine } from '../../../rehearsal/interpreter';

describe('jobPacing', () => {
  it('polls every 30 s by default, as long as the slowest workload allows, as few jobs at once as any workload asks', () => {
    const workloads = [
      { jobTimeoutMinutes: 60, restoreConcurrency: 4 },
      { jobTimeoutMinutes: 180, restoreConcurrency: 2 },
    ];
    expect(jobPacing({ workloads })).toEqual({ poll: 30, jobPolls: 360, jobConcurrency: 2 });
    expect(jobPacing({ pollSeconds: 7, workloads })).toEqual({ poll: 7, jobPolls: Math.ceil(10800 / 7), jobConcurrency: 2 });
  });

  it('runs at least one job at a time', () => {
    expect(jobPacing({ workloads: [{ jobTimeoutMinutes: 1, restoreConcurrency: 0 }] }).jobConcurrency).toBe(1);
  });
});

describe('resolveWorkloadStates', () => {
  it('chooses the named workload, stores its configuration and goes on; an unknown name fails', () => {
    const states = resolveWorkloadStates([{ name: 'shop' }, { name: 'crm' }], (w) => ({ workload: w.name }), 'no such workload', 'Next');
    expect(Object.keys(states)).toEqual(['ResolveWorkload', 'UnknownWorkload', 'Config-shop', 'Config-crm']);
    expect(states.ResolveWorkload).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.workload', StringEquals: 'shop', Next: 'Config-shop' },
        { Variable: '$.workload', StringEquals: 'crm', Next: 'Config-crm' },
      ],
      Default: 'UnknownWorkload',
    });
    expect(states.UnknownWorkload).toEqual({ Type: 'Fail', Error: 'UnknownWorkload', Cause: 'no such workload' });
    expect(states['Config-crm']).toEqual({ Type: 'Pass', Result: { workload: 'crm' }, ResultPath: '$.config', Next: 'Next' });
  });
});

describe('runbookPollStates', () => {
  // Every AutomationExecutionStatus of the SSM API (the SDK's enum), by what the loop must do with it.
  const RUNNING = ['Pending', 'InProgress', 'Waiting', 'Cancelling', 'PendingApproval', 'Approved', 'Scheduled', 'RunbookInProgress', 'PendingChangeCalendarOverride', 'ChangeCalendarOverrideApproved'];

  /** Runs the loop with the runbook answering `statuses` in turn; where it ended and after how many polls. */
  async function poll(statuses: string[]): Promise<{ end: string; polls: number; failure?: { Error: string; Cause: string } }> {
    let polls = 0;
    const states = runbookPollStates({
      prefix: 'RunbookPoll',
      key: 'runbookStatus',
      check: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ssm:getAutomationExecution', ResultPath: '$.runbookStatus', Next: 'x' } as any,
      pollSeconds: 30,
      maxAttempts: 5,
      failError: 'RunbookFailed',
      timeoutError: 'RunbookTimedOut',
      timeoutCause: 'gave up',
      failed: 'Reported',
      next: 'Connected',
    });
    const definition = {
      StartAt: 'RunbookPollInit',
      States: { ...states, Reported: { Type: 'Pass', Result: 'reported', ResultPath: '$.end', End: true }, Connected: { Type: 'Pass', Result: 'connected', ResultPath: '$.end', End: true } },
    };
    const machine = new StateMachine(definition as any, { validationOptions: { noValidate: true } });
    const out = (await machine.run({}, {
      overrides: {
        taskResourceLocalHandlers: { RunbookPollCheck: async () => ({ status: statuses[Math.min(polls++, statuses.length - 1)], statusMessage: 'runbook execution e-1 ended' }) } as any,
        waitTimeOverrides: { RunbookPollWait: 0 },
      },
    }).result) as { end: string; failure?: { Error: string; Cause: string } };
    return { end: out.end, polls, failure: out.failure };
  }

  it.each(RUNBOOK_SUCCEEDED.map((s) => [s]))('goes on at the first poll that answers %s', async (status) => {
    expect(await poll(['InProgress', status])).toEqual({ end: 'connected', polls: 2, failure: undefined });
  });

  it.each(RUNBOOK_FAILED.map((s) => [s]))('reports the failure at the first poll that answers %s, without waiting for the timeout', async (status) => {
    expect(await poll(['Pending', status])).toEqual({ end: 'reported', polls: 2, failure: { Error: 'RunbookFailed', Cause: 'runbook execution e-1 ended' } });
  });

  it.each(RUNNING.map((s) => [s]))('keeps polling while the runbook is %s, then gives up after its polls', async (status) => {
    expect(await poll([status])).toEqual({ end: 'reported', polls: 6, failure: { Error: 'RunbookTimedOut', Cause: 'gave up' } });
  });

  it('names every status of the SSM API as running, done or failed', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AutomationExecutionStatus } = require('@aws-sdk/client-ssm') as { AutomationExecutionStatus: Record<string, string> };
    expect([...RUNNING, ...RUNBOOK_SUCCEEDED, ...RUNBOOK_FAILED].sort()).toEqual(Object.values(AutomationExecutionStatus).sort());
  });
});

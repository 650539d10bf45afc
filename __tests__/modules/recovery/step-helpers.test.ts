import { jobPacing, resolveWorkloadStates } from '../../../modules/recovery/steps/common';

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

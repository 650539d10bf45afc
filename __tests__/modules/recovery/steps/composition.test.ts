import type { State } from '../../../../modules/recovery/asl';
import { inlineProcessor, stepStates } from '../../../../modules/recovery/steps/common';

describe('inlineProcessor', () => {
  it('is an inline processor starting where asked, its Tasks caught into the fail state', () => {
    const processor = inlineProcessor(
      'Work',
      {
        Work: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ec2:describeVolumes', Parameters: {}, Next: 'Done' } as State,
        Done: { Type: 'Succeed' },
      },
      'ItemFailed',
    );
    expect(Object.keys(processor)).toEqual(['ProcessorConfig', 'StartAt', 'States']);
    expect(processor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    expect(processor.StartAt).toBe('Work');
    expect(Object.keys(processor.States)).toEqual(['Work', 'Done', 'ItemFailed']);
    expect((processor.States.Work as { Catch?: unknown }).Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ItemFailed' }]);
    expect(processor.States.ItemFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });
});

describe('stepStates', () => {
  it("lists the steps' states in the order of the steps, each step given the context", () => {
    const ctx = { prefix: 'X' };
    const first = (c: typeof ctx): Record<string, State> => ({ [`${c.prefix}A`]: { Type: 'Succeed' }, [`${c.prefix}B`]: { Type: 'Succeed' } });
    const second = (c: typeof ctx): Record<string, State> => ({ [`${c.prefix}C`]: { Type: 'Succeed' } });
    expect(Object.keys(stepStates(ctx, [first, second]))).toEqual(['XA', 'XB', 'XC']);
    expect(Object.keys(stepStates(ctx, [second, first]))).toEqual(['XC', 'XA', 'XB']);
  });

  it('lets a later step replace a state of the same name where the earlier one put it', () => {
    const early = (): Record<string, State> => ({ Shared: { Type: 'Succeed' }, Other: { Type: 'Succeed' } });
    const late = (): Record<string, State> => ({ Shared: { Type: 'Fail', Error: 'Replaced' } });
    const states = stepStates({}, [early, late]);
    expect(Object.keys(states)).toEqual(['Shared', 'Other']);
    expect(states.Shared).toEqual({ Type: 'Fail', Error: 'Replaced' });
  });
});

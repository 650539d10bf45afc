import { Testing } from 'cdktf';
import { allStates, transitions, type ChoiceRule, type State, type StateMachineDefinition } from '../../../modules/recovery/asl';
import { RECOVERY_STEPS } from '../../../modules/recovery/definition';
import { estateFor, exampleInput, FIXTURES, readJson } from '../../helpers/synth';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (def: unknown) => { isValid: boolean; errors: unknown[] };

function synthesizedDefinition(input: unknown): StateMachineDefinition {
  const out = JSON.parse(Testing.synth(estateFor(input).dr));
  const [machine] = Object.values(out.resource.aws_sfn_state_machine) as { definition: string }[];
  return JSON.parse(machine.definition);
}

/** Strongly connected components of one state machine level (Map processors are separate machines). */
function cycles(states: Record<string, State>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let i = 0;
  const visit = (v: string) => {
    index.set(v, i);
    low.set(v, i++);
    stack.push(v);
    onStack.add(v);
    for (const w of transitions(states[v]).filter((n) => n in states)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || transitions(states[v]).includes(v)) out.push(scc);
    }
  };
  for (const name of Object.keys(states)) if (!index.has(name)) visit(name);
  return out;
}

function boundedExits(rule: ChoiceRule): boolean {
  return rule.NumericGreaterThanEquals !== undefined && /(Attempts|Rounds)\.value$/.test(rule.Variable ?? '') || (rule.And ?? []).some(boundedExits);
}

function levels(def: { States: Record<string, State> }): Record<string, State>[] {
  return [def.States, ...Object.values(def.States).flatMap((s) => (s.Type === 'Map' ? levels(s.ItemProcessor) : []))];
}

describe.each([
  ['the example', () => exampleInput()],
  ['three workloads', () => readJson(path.join(FIXTURES, 'three-workloads.json'))],
])('recovery state machine of %s', (_name, input) => {
  const def = synthesizedDefinition(input());

  it('passes asl-validator', () => {
    // asl-validator adds defaults to what it validates: give it a copy.
    expect(aslValidator(structuredClone(def))).toEqual(expect.objectContaining({ isValid: true, errors: [] }));
  });

  it('gives every Task a Retry on throttling and transient errors and a Catch', () => {
    const tasks = allStates(def).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, task] of tasks) {
      if (task.Type !== 'Task') continue;
      expect({ name, retry: task.Retry?.[0]?.ErrorEquals.some((e) => /Throttl|TooManyRequests/.test(e)) }).toEqual({ name, retry: true });
      expect({ name, jitter: task.Retry?.[0]?.JitterStrategy, bounded: (task.Retry?.[0]?.MaxAttempts ?? 99) <= 10 }).toEqual({ name, jitter: 'FULL', bounded: true });
      expect({ name, catch: (task.Catch ?? []).length > 0 }).toEqual({ name, catch: true });
    }
  });

  it('cannot loop forever: every cycle has an exit bounded by a counter', () => {
    const found = levels(def).flatMap((states) => cycles(states).map((scc) => ({ scc, states })));
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const { scc, states } of found) {
      const exits = scc.filter((n) => {
        const s = states[n];
        return s.Type === 'Choice' && s.Choices.some((c) => boundedExits(c) && c.Next !== undefined && !scc.includes(c.Next));
      });
      expect({ scc: scc.sort(), bounded: exits.length > 0 }).toEqual({ scc: scc.sort(), bounded: true });
    }
  });

  it('routes every failure of a top-level step to a report that names the step', () => {
    for (const step of RECOVERY_STEPS) {
      expect(def.States[`${step}Failed`]).toEqual({ Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: 'ReportFailure' });
    }
    expect(def.States.RecoveryFailed).toMatchObject({ Type: 'Fail', Error: 'RecoveryFailed' });
  });

  it('never cleans up in failover mode', () => {
    const cleanupTargets = Object.entries(def.States).filter(([, s]) => transitions(s).some((n) => n === 'CleanupDrill' || n === 'CleanupFailedDrill'));
    for (const [name, state] of cleanupTargets) {
      expect(state.Type).toBe('Choice');
      const rules = state.Type === 'Choice' ? state.Choices.filter((c) => c.Next === 'CleanupDrill' || c.Next === 'CleanupFailedDrill') : [];
      for (const rule of rules) expect({ name, guard: JSON.stringify(rule) }).toEqual({ name, guard: expect.stringContaining('"StringEquals":"drill"') });
    }
  });
});

describe('recovery inputs', () => {
  const def = synthesizedDefinition(exampleInput());

  it('resolves the workload by name or by the incident account, testing each field for presence first', () => {
    expect(def.StartAt).toBe('HasWorkloadField');
    expect(def.States.HasWorkloadField).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.workload', IsPresent: true, Next: 'ResolveWorkload' }], Default: 'HasIncidentAccount' });
    expect(def.States.HasIncidentAccount).toEqual({ Type: 'Choice', Choices: [{ Variable: '$.incident.account', IsPresent: true, Next: 'ResolveWorkloadByIncident' }], Default: 'UnknownWorkload' });
    expect((def.States.ResolveWorkload as { Choices: ChoiceRule[] }).Choices).toEqual([{ Variable: '$.workload', StringEquals: 'shop', Next: 'Config-shop' }]);
    expect((def.States.ResolveWorkloadByIncident as { Choices: ChoiceRule[] }).Choices).toEqual([{ Variable: '$.incident.account', StringEquals: '333333333333', Next: 'Config-shop' }]);
  });

  it('never reads a field it has not tested for presence where the input may lack it (mode, approval answer)', () => {
    expect(def.States.HasMode).toMatchObject({ Choices: [{ Variable: '$.mode', IsPresent: true, Next: 'CheckMode' }], Default: 'InvalidMode' });
    expect(def.States.CheckApproval).toMatchObject({ Choices: [{ Variable: '$.approval.approved', IsPresent: true }], Default: 'ApprovalRejected' });
  });

  it('restores in parallel, bounded by the configured concurrency, with idempotent restore jobs that keep the dr:* tags', () => {
    const restore = def.States.RestoreData;
    expect(restore).toMatchObject({ Type: 'Map', MaxConcurrency: 5, ItemsPath: '$.located.Payload.ready' });
    const start = restore.Type === 'Map' ? restore.ItemProcessor.States.StartRestoreJob : undefined;
    expect(start).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:backup:startRestoreJob',
      Parameters: { CopySourceTagsToRestoredResource: true, IamRoleArn: 'arn:aws:iam::222222222222:role/acme-dr-restore', 'IdempotencyToken.$': expect.stringContaining('$.executionName') },
    });
    expect(restore).toMatchObject({ ItemSelector: { 'executionName.$': '$$.Execution.Name' } });
  });

  it('copies from the central vault with the copy-starter role of the backup-vault account', () => {
    const copy = def.States.CopyToRestoreVault;
    const start = copy.Type === 'Map' ? copy.ItemProcessor.States.StartCopyJob : undefined;
    expect(start).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:backup:startCopyJob',
      Credentials: { RoleArn: 'arn:aws:iam::111111111111:role/acme-central-copy-starter' },
      Parameters: {
        SourceBackupVaultName: 'acme-central',
        DestinationBackupVaultArn: 'arn:aws:backup:ap-northeast-1:222222222222:backup-vault:acme-dr-restore',
        IamRoleArn: 'arn:aws:iam::111111111111:role/acme-central-copy-service',
        Lifecycle: { DeleteAfterDays: 35 },
      },
    });
  });

  it('asks for approval through SNS with a task token and a timeout, skipped for manual starts and scheduled drills', () => {
    expect(def.States.RequestApproval).toMatchObject({ Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', TimeoutSeconds: 3600 });
    expect(JSON.stringify(def.States.RequestApproval)).toContain('$$.Task.Token');
    expect((def.States.NeedsApproval as { Choices: ChoiceRule[] }).Choices.map((c) => c.StringEquals ?? c.BooleanEquals ?? c.IsPresent)).toEqual([false, 'manual', 'schedule', false]);
  });
});

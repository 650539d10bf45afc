/**
 * Systems Manager in the model: managed nodes, and the connect runbook's automation executions, which
 * mount the restored file systems on the workload's online instances.
 */
import { fsxEntries, fsxMountProblem } from '../fsx-model';
import { ModelError } from './services';
import type { AccountState, Automation, Handler, Instance } from './state';

/** Systems Manager's API in the model, keyed `ssm:<action>`. */
export function ssmHandlers(model: AccountState): Record<string, Handler> {
  const e = model.estate;
  const clock = model.clock;
  const h: Record<string, Handler> = {};
  h['ssm:describeInstanceInformation'] = (input) => {
    // Managed nodes: instances that registered with SSM (Online while running, ConnectionLost after).
    const ping = (i: Instance) => (i.ssmOnline ? 'Online' : 'ConnectionLost');
    let instances = [...model.instances.values()].filter((i) => i.ssmRegistered);
    const filters = (input.Filters ?? []) as { Key: string; Values: string[] }[];
    // API reference: "Tag filters can't be combined with other filter types."
    if (filters.some((f) => f.Key.startsWith('tag:')) && filters.some((f) => !f.Key.startsWith('tag:') && f.Key !== 'tag-key')) {
      throw new ModelError('ssm', 'InvalidFilterKey', "Tag filters can't be combined with other filter types");
    }
    for (const f of filters) {
      if (f.Key.startsWith('tag:')) instances = instances.filter((i) => f.Values.includes(i.tags[f.Key.slice(4)]));
      else if (f.Key === 'PingStatus') instances = instances.filter((i) => f.Values.includes(ping(i)));
      else if (f.Key === 'InstanceIds') instances = instances.filter((i) => f.Values.includes(i.id));
      else throw new ModelError('ssm', 'InvalidFilterKey', `filter key ${f.Key} is not supported`);
    }
    const max = input.MaxResults ?? 10; // the API's default page size
    if (!Number.isInteger(max) || max < 5 || max > 50) throw new ModelError('ssm', 'ValidationException', `MaxResults must be 5-50, got ${max}`);
    const start = Number(input.NextToken ?? 0);
    const size = max;
    return {
      InstanceInformationList: instances.slice(start, start + size).map((i) => ({ InstanceId: i.id, PingStatus: ping(i), PlatformType: 'Linux', ResourceType: 'EC2Instance', LastPingDateTime: new Date(clock.now()) })),
      ...(start + size < instances.length ? { NextToken: String(start + size) } : {}),
    };
  };
  h['ssm:startAutomationExecution'] = (input) => {
    if (input.DocumentName !== e.connectDocumentName) throw new ModelError('ssm', 'InvalidDocument', `Document ${input.DocumentName} does not exist`);
    const parameters = (input.Parameters ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parameters)) {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ModelError('ssm', 'InvalidAutomationExecutionParametersException', `Parameter ${k} must be a list of strings`);
    }
    const p = parameters as Record<string, string[]>;
    if (!p.Workload?.[0]) throw new ModelError('ssm', 'InvalidAutomationExecutionParametersException', 'Parameter Workload is required');
    const run: Automation = { id: model.uuid('automation').toLowerCase(), parameters: p, startedAt: clock.now(), status: 'InProgress' };
    model.automations.set(run.id, run);
    model.note('runbook', `${e.connectDocumentName} started (${run.id})`);
    clock.after(model.jitter(model.timings.runbookSeconds * 1000, 0.2), () => finishRunbook(model, run));
    return { AutomationExecutionId: run.id };
  };
  h['ssm:getAutomationExecution'] = (input) => {
    const run = model.automations.get(input.AutomationExecutionId);
    if (!run) throw new ModelError('ssm', 'AutomationExecutionNotFoundException', `execution ${input.AutomationExecutionId} not found`);
    return {
      AutomationExecution: {
        AutomationExecutionId: run.id,
        DocumentName: e.connectDocumentName,
        AutomationExecutionStatus: run.status,
        ExecutionStartTime: new Date(run.startedAt),
        ...(run.endedAt ? { ExecutionEndTime: new Date(run.endedAt) } : {}),
        Parameters: run.parameters,
        ...(run.failureMessage ? { FailureMessage: run.failureMessage } : {}),
      },
    };
  };
  return h;
}

/** The connect runbook's end: the restored EFS and FSx file systems mounted on the workload's online instances, or the failure; then the health alarm turns OK. */
function finishRunbook(model: AccountState, run: Automation): void {
  const e = model.estate;
  run.endedAt = model.clock.now();
  const workload = run.parameters.Workload[0];
  const targets = [...model.instances.values()].filter((i) => i.state === 'running' && i.ssmOnline && i.tags['dr:workload'] === workload);
  if (targets.length === 0) {
    // Run Command over a tag that matches no instance has nothing to run (a workload without servers).
    const kind = 'runbook-no-targets';
    if (!model.warnings.some((w) => w.kind === kind)) model.warn(kind, `the connect runbook targets dr:workload=${workload}, which no online instance carries: it mounts and starts nothing`);
  }
  // The script: `tr -d '[]"' | tr ',' ' '` over FileSystemArns, then `mount -t efs <fs-id>:/`.
  const ids = (run.parameters.FileSystemArns ?? ['[]']).join(',').replace(/[[\]"\\]/g, '').split(/[ ,]+/).filter(Boolean).map((arn) => arn.split('/').pop() as string);
  for (const id of ids) {
    const fs = model.fileSystems.get(id);
    if (!fs || fs.lifeCycleState !== 'available') {
      run.status = 'Failed';
      run.failureMessage = `mount -t efs ${id}:/ failed: no such file system`;
      model.note('runbook', `${e.connectDocumentName} Failed: ${run.failureMessage}`);
      return;
    }
    // An instance mounts through the mount target of its own zone: without one, `mount -t efs` fails.
    const zones = new Set(targets.map((i) => i.az));
    const missing = [...zones].filter((z) => !fs.mountTargets.some((m) => m.az === z && m.state === 'available'));
    if (missing.length > 0) {
      run.status = 'Failed';
      run.failureMessage = `mount -t efs ${id}:/ failed on the instance(s) in ${missing.join(', ')}: the file system has no available mount target there`;
      model.note('runbook', `${e.connectDocumentName} Failed: ${run.failureMessage}`);
      return;
    }
  }
  const fsxProblem = fsxMountProblem(model.fsx, run.parameters);
  if (fsxProblem) {
    run.status = 'Failed';
    run.failureMessage = fsxProblem;
    model.note('runbook', `${e.connectDocumentName} Failed: ${run.failureMessage}`);
    return;
  }
  const fsxCount = fsxEntries(run.parameters).length;
  run.status = 'Success';
  model.note('runbook', `${e.connectDocumentName} Success on ${targets.length} instance(s), ${ids.length} file system(s) mounted${fsxCount ? `, ${fsxCount} FSx` : ''}`);
  if (e.healthAlarmName) {
    model.clock.after(model.timings.healthOkAfterSeconds * 1000, () => {
      model.alarms.set(e.healthAlarmName as string, 'OK');
      model.note('health', `alarm ${e.healthAlarmName} OK`);
    });
  }
}

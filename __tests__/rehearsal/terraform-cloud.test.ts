/**
 * The offline rehearsal of a workload whose infrastructure a Terraform Cloud run builds
 * (`recovery.infrastructure` terraformCloud): the HTTP Tasks reach a modelled runs API through the
 * EventBridge connection, and the run goes planning → applying → applied (or errored) on simulated time.
 */
import * as path from 'path';
import { runRehearsal, type RehearsalResult } from '../../rehearsal/machine';
import { HttpTaskError } from '../../rehearsal/dr-account';
import { FIXTURES, readJson } from '../helpers/synth';
import { terraformCloudInput, TFC_WORKSPACE_ID } from '../helpers/terraform-cloud';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const failedChecks = (r: RehearsalResult) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
const runs = (r: RehearsalResult) => [...r.model.terraformRuns.values()];
const noteAt = (r: RehearsalResult, text: RegExp) => r.timeline.find((e) => e.step.trim() === 'terraform' && text.test(e.detail))?.at;

describe('rehearsal: BuildInfrastructure through Terraform Cloud', () => {
  it('queues one auto-applied run in the workspace, waits until it is applied, then restores onto the servers it built', async () => {
    const r = await runRehearsal({ config: terraformCloudInput({ pollSeconds: 20 }), resources: 4, seed: 3 });
    expect(failedChecks(r)).toEqual([]);
    expect(runs(r)).toEqual([expect.objectContaining({ workspaceId: TFC_WORKSPACE_ID, autoApply: true, status: 'applied', message: expect.stringContaining('rehearsal-failover-3') })]);
    const [run] = runs(r);
    // planning → applying → applied, all before the restores start.
    const planning = noteAt(r, /planning$/) as number;
    const applying = noteAt(r, /applying$/) as number;
    const applied = noteAt(r, /applied$/) as number;
    expect(planning).toBeLessThan(applying);
    expect(applying).toBeLessThan(applied);
    expect(r.states.RestoreData.enteredAt).toBeGreaterThanOrEqual(applied);
    expect(r.states.RestoreData.enteredAt).toBeLessThanOrEqual(applied + 20 + 1);
    expect(run.statusTimestamps['applied-at']).toBeDefined();
    // The run built the servers; the state machine scaled no Auto Scaling group itself.
    expect(r.states.BuildInfrastructure).toBeUndefined();
    expect(r.model.stats.byAction.get('autoscaling:updateAutoScalingGroup') ?? 0).toBe(0);
    expect(r.model.instancesOf('acme-shop-app').filter((i) => i.state === 'running')).toHaveLength(2);
    expect(r.volumes.length).toBeGreaterThan(0);
    // One POST, then GETs every 20 s until applied.
    expect(r.model.stats.byAction.get('http:POST')).toBe(1);
    expect(r.model.stats.byAction.get('http:GET')).toBe(r.waitsObserved.TerraformRunPollWait + 1);
    expect(r.waitsApplied).toEqual(r.waitsObserved);
  });

  it('reads the runs API whether Step Functions passes its body as a string or parsed', async () => {
    for (const responseBody of ['string', 'json'] as const) {
      const r = await runRehearsal({ config: terraformCloudInput(), resources: 2, seed: 5, terraformRun: { responseBody } });
      expect({ responseBody, failed: failedChecks(r) }).toEqual({ responseBody, failed: [] });
      expect(r.states.TerraformRunPollParse?.visits ?? 0).toBe(responseBody === 'string' ? r.states.TerraformRunPollCheck.visits : 0);
    }
  });

  it('an errored run reaches the failure branch: the report names BuildInfrastructure and the run, nothing is restored', async () => {
    const r = await runRehearsal({ config: terraformCloudInput(), resources: 3, seed: 3, terraformRun: { outcome: 'errored' } });
    expect(r.recovered).toBe(false);
    const [run] = runs(r);
    expect(run.status).toBe('errored');
    expect(r.execution).toMatchObject({ status: 'FAILED', error: 'RecoveryFailed', cause: `Terraform Cloud run ${run.id} of workspace ${TFC_WORKSPACE_ID} ended errored: nothing was applied` });
    expect(r.report).toMatchObject({ outcome: 'failed', failedStep: 'BuildInfrastructure' });
    expect(r.report?.message).toContain('TerraformRunFailed');
    expect(r.report?.message).toContain(run.id);
    expect(r.model.restoreJobs.size).toBe(0);
    expect(r.model.instances.size).toBe(0);
  });

  it('a run that outlasts timeoutMinutes fails as TerraformRunTimedOut after the bounded reads', async () => {
    const r = await runRehearsal({ config: terraformCloudInput({ timeoutMinutes: 5, pollSeconds: 30 }), resources: 2, seed: 3, terraformRun: { applySeconds: 3600 } });
    expect(r.report).toMatchObject({ outcome: 'failed', failedStep: 'BuildInfrastructure' });
    expect(r.execution.cause).toMatch(/^Terraform Cloud run run-\w+ of workspace ws-3oKnEEBcNjpFSNbF was still applying after 10 reads 30 s apart/);
    expect(r.model.stats.byAction.get('http:GET')).toBe(11);
  });

  it('rides out 429s of the API (Retry of the HTTP Tasks)', async () => {
    const r = await runRehearsal({ config: terraformCloudInput(), resources: 3, seed: 9, throttle: 0.3 });
    expect(failedChecks(r)).toEqual([]);
    expect(runs(r)[0].status).toBe('applied');
    // More reads than polls: the throttled ones were retried (and one POST may have been, too).
    expect(r.model.stats.byAction.get('http:GET')).toBeGreaterThan(r.waitsObserved.TerraformRunPollWait + 1);
  });

  it('refuses an HTTP call the execution role does not allow, as Step Functions would', async () => {
    const r = await runRehearsal({ config: terraformCloudInput(), resources: 1, seed: 1 });
    const connection = r.synthesized.terraformCloudConnection as { arn: string; apiUrl: string };
    const [run] = runs(r);
    const call = (Method: string, ApiEndpoint: string, extra: Record<string, unknown> = {}) =>
      r.model.httpInvoke({ ApiEndpoint, Method, Authentication: { ConnectionArn: connection.arn }, ...extra }, r.synthesized.executionRoleArn);
    await expect(call('POST', `${connection.apiUrl}/api/v2/runs/${run.id}/actions/apply`)).rejects.toMatchObject({ name: 'States.Http.AccessDenied' });
    await expect(call('GET', `${connection.apiUrl}/api/v2/workspaces/${TFC_WORKSPACE_ID}/vars`)).rejects.toBeInstanceOf(HttpTaskError);
    await expect(call('GET', `${connection.apiUrl}/api/v2/runs/${run.id}`, { Headers: { Authorization: 'Bearer x' } })).rejects.toMatchObject({ name: 'States.Runtime' });
    await expect(call('GET', `${connection.apiUrl}/api/v2/runs/${run.id}`)).resolves.toMatchObject({ StatusCode: 200 });
  });

  it('leaves workloads on autoScaling as they were: same estate, another workload scales its groups', async () => {
    const config = readJson<Record<string, any>>(path.join(FIXTURES, 'three-workloads.json'));
    config.workloads[0].recovery = { infrastructure: { kind: 'terraformCloud', workspaceId: TFC_WORKSPACE_ID } };
    const r = await runRehearsal({ config, workload: 'analytics', resources: 4, seed: 2 });
    expect(failedChecks(r)).toEqual([]);
    expect(runs(r)).toEqual([]);
    expect(r.model.stats.byAction.get('http:POST') ?? 0).toBe(0);
    expect(r.states.BuildInfrastructure.exitedAt).toBeDefined();
    expect(r.model.stats.byAction.get('autoscaling:updateAutoScalingGroup')).toBeGreaterThan(0);
  });
});

/**
 * Terraform Cloud behind the recovery's HTTP Tasks (`recovery.infrastructure` terraformCloud): the IAM
 * checks Step Functions makes, the runs API, and runs that plan and apply on simulated time.
 */
import type { TerraformCloudModel, TerraformRun } from './config';
import { reconcile } from './autoscaling';
import { authorizeOrCount } from './iam';
import { deepCopy, globToRegExp, HttpTaskError } from './services';
import type { AccountState } from './state';

/** {@link DrAccount.httpInvoke}: the HTTP Task, checked as Step Functions checks it, against the Terraform Cloud runs API. */
export async function invokeHttpEndpoint(model: AccountState, input: Record<string, any>, principal: string): Promise<unknown> {
  model.clock.touch();
  model.stats.calls++;
  const endpoint = String(input.ApiEndpoint ?? '');
  const method = String(input.Method ?? '');
  const key = `http:${method}`;
  model.stats.byAction.set(key, (model.stats.byAction.get(key) ?? 0) + 1);
  const tfc = model.terraformCloud;
  const connectionArn = input.Authentication?.ConnectionArn ?? input.InvocationConfig?.ConnectionArn;
  if (!connectionArn) throw new HttpTaskError('States.Runtime', 'A ConnectionArn is required in Authentication or InvocationConfig.');
  // Headers Step Functions refuses in the definition (the connection sets Authorization).
  const forbidden = Object.keys(input.Headers ?? {}).filter((h) => /^(authorization|host|x-amz-.*|x-amzn-.*)$/i.test(h));
  if (forbidden.length > 0) throw new HttpTaskError('States.Runtime', `header(s) ${forbidden.join(', ')} may not be set in an HTTP Task definition`);
  const grants = model.estate.allowedHttpEndpoints?.[principal] ?? [];
  const allowed = grants.some((g) => (g.methods.includes('*') || g.methods.includes(method)) && g.endpoints.some((e) => globToRegExp(e).test(endpoint)));
  if (!allowed) {
    model.stats.denied++;
    throw new HttpTaskError('States.Http.AccessDenied', `AWS Step Functions is not authorized to perform states:InvokeHTTPEndpoint on API Endpoint ${endpoint} (${method})`);
  }
  try {
    // Step Functions reads the connection's credentials with the execution role
    // (https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html#connect-http-task-permissions).
    const e = model.estate;
    if (!tfc) throw new HttpTaskError('Events.ConnectionResource.ResourceNotFound', `connection ${connectionArn} not found`);
    const connection = tfc.connectionResourceArn;
    const name = /:connection\/([^/]+)/.exec(connection)?.[1] ?? connection;
    await authorizeOrCount(model, 'BuildInfrastructure', principal, [
      { action: 'events:RetrieveConnectionCredentials', resource: connection },
      { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${e.region}:${e.drAccountId}:secret:events!connection/${name}/rehearsal-AbCdEf`, onBehalfOf: 'events:RetrieveConnectionCredentials' },
      { action: 'secretsmanager:DescribeSecret', resource: `arn:aws:secretsmanager:${e.region}:${e.drAccountId}:secret:events!connection/${name}/rehearsal-AbCdEf`, onBehalfOf: 'events:RetrieveConnectionCredentials' },
    ]);
  } catch (error) {
    throw new HttpTaskError('Events.ConnectionResource.AccessDenied', (error as Error).message);
  }
  if (!tfc || connectionArn !== tfc.connectionArn) throw new HttpTaskError('Events.ConnectionResource.ResourceNotFound', `connection ${connectionArn} not found`);
  if (model.throttle > 0 && model.random() < model.throttle) {
    model.stats.throttled++;
    throw new HttpTaskError('States.Http.StatusCode.429', `429 Too Many Requests (${method} ${endpoint}, simulated throttling)`);
  }
  const respond = (statusCode: number, statusText: string, body: unknown) => ({
    StatusCode: statusCode,
    StatusText: statusText,
    Headers: { 'content-type': ['application/vnd.api+json'] },
    ResponseBody: tfc.responseBody === 'json' ? deepCopy(body) : JSON.stringify(body),
  });
  const runsUrl = `${tfc.apiUrl}/api/v2/runs`;
  if (method === 'POST' && endpoint === runsUrl) {
    const contentType = Object.entries(input.Headers ?? {}).find(([h]) => h.toLowerCase() === 'content-type')?.[1];
    if (contentType !== 'application/vnd.api+json') throw new HttpTaskError('States.Http.StatusCode.415', `415 Unsupported Media Type: Content-Type ${String(contentType)} (the API takes application/vnd.api+json)`);
    const data = input.RequestBody?.data;
    const workspace = data?.relationships?.workspace?.data;
    if (data?.type !== 'runs' || workspace?.type !== 'workspaces') throw new HttpTaskError('States.Http.StatusCode.422', '422 Unprocessable Entity: a run needs data.type "runs" and relationships.workspace.data of type "workspaces"');
    if (workspace.id !== tfc.workspaceId) throw new HttpTaskError('States.Http.StatusCode.404', `404 Not Found: workspace ${String(workspace.id)}`);
    const run: TerraformRun = {
      id: `run-${model.hexId('run', 16)}`,
      workspaceId: workspace.id,
      message: String(data.attributes?.message ?? ''),
      autoApply: data.attributes?.['auto-apply'] === true,
      createdAt: model.clock.now(),
      status: 'pending',
      statusTimestamps: { 'queued-at': model.clock.now() },
    };
    model.terraformRuns.set(run.id, run);
    model.note('terraform', `run ${run.id} queued in ${run.workspaceId}${run.autoApply ? ' (auto-apply)' : ''}: ${run.message}`);
    advanceRun(model, run, tfc);
    return respond(201, 'Created', runDocument(run));
  }
  const get = method === 'GET' && endpoint.startsWith(`${runsUrl}/`) ? model.terraformRuns.get(endpoint.slice(runsUrl.length + 1)) : undefined;
  if (get) return respond(200, 'OK', runDocument(get));
  throw new HttpTaskError('States.Http.StatusCode.404', `404 Not Found: ${method} ${endpoint}`);
}

function runDocument(run: TerraformRun): unknown {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    data: {
      id: run.id,
      type: 'runs',
      attributes: {
        status: run.status,
        message: run.message,
        'auto-apply': run.autoApply,
        'created-at': iso(run.createdAt),
        'status-timestamps': Object.fromEntries(Object.entries(run.statusTimestamps).map(([k, v]) => [k, iso(v)])),
      },
      relationships: { workspace: { data: { id: run.workspaceId, type: 'workspaces' } } },
    },
  };
}

/** pending → planning → (errored) or applying → applied; applying builds the servers. */
function advanceRun(model: AccountState, run: TerraformRun, tfc: TerraformCloudModel): void {
  const to = (status: TerraformRun['status']) => {
    run.status = status;
    run.statusTimestamps[`${status}-at`] = model.clock.now();
    model.note('terraform', `run ${run.id} ${status}`);
  };
  const planMs = model.jitter((tfc.planSeconds ?? 90) * 1000, 0.2);
  const applyMs = model.jitter((tfc.applySeconds ?? 300) * 1000, 0.2);
  model.clock.after(10_000, () => {
    to('planning');
    model.clock.after(planMs, () => {
      if (tfc.outcome === 'errored') return to('errored');
      // auto-apply: straight from planned to applying.
      to('planned');
      if (!run.autoApply) return;
      to('applying');
      for (const server of tfc.servers) {
        const group = model.groups.get(server.group);
        if (!group) continue;
        group.min = server.size;
        group.max = Math.max(group.max, server.size);
        group.desired = server.size;
        reconcile(model, group);
      }
      model.clock.after(applyMs, () => to('applied'));
    });
  });
}

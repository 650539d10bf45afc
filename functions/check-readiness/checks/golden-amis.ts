/** GoldenAmis: the AMI parameter of every server role names an available AMI in the recovery region. */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { messageOf } from '../../aws-call';
import type { ReadinessInput, WorkloadFacts } from '../input';
import { AwsCallError, call, listed, type CheckResult, type ReadinessClients, type Runtime } from '../runtime';

export async function checkGoldenAmis(rt: Runtime, clients: ReadinessClients, input: ReadinessInput, w: WorkloadFacts): Promise<CheckResult> {
  const problems: string[] = [];
  const servers: Record<string, unknown>[] = [];
  for (const server of w.servers) {
    const name = server.amiParameterName;
    try {
      let amiId: string | undefined;
      try {
        const out = await call(rt, `GetParameter(${name})`, () => clients.ssm.send(new GetParameterCommand({ Name: name })));
        amiId = out.Parameter?.Value;
      } catch (error) {
        if (error instanceof AwsCallError && error.code === 'ParameterNotFound') {
          problems.push(`${server.role}: the AMI parameter ${name} does not exist`);
          servers.push({ role: server.role, parameter: name, problem: 'parameter missing' });
          continue;
        }
        throw error;
      }
      if (!amiId || !/^ami-[0-9a-f]{8,17}$/.test(amiId)) {
        problems.push(`${server.role}: the AMI parameter ${name} holds ${JSON.stringify(amiId ?? '')}, not an AMI ID`);
        servers.push({ role: server.role, parameter: name, value: amiId ?? null, problem: 'not an AMI ID' });
        continue;
      }
      let state: string | undefined;
      try {
        const out = await call(rt, `DescribeImages(${amiId})`, () => clients.ec2.send(new DescribeImagesCommand({ ImageIds: [amiId] })));
        state = out.Images?.find((i) => i.ImageId === amiId)?.State;
      } catch (error) {
        if (!(error instanceof AwsCallError && /^InvalidAMIID\./.test(error.code))) throw error;
      }
      servers.push({ role: server.role, parameter: name, amiId, state: state ?? null });
      if (!state) problems.push(`${server.role}: AMI ${amiId} (from ${name}) does not exist in ${input.region}`);
      else if (state !== 'available') problems.push(`${server.role}: AMI ${amiId} (from ${name}) is ${state}, not available`);
    } catch (error) {
      problems.push(`${server.role}: could not be checked: ${messageOf(error)}`);
      servers.push({ role: server.role, parameter: name, error: messageOf(error) });
    }
  }
  if (problems.length === 0) {
    return { check: 'GoldenAmis', ready: true, reason: `the golden AMI of each of the ${w.servers.length} server roles is available in ${input.region}`, details: { servers } };
  }
  return {
    check: 'GoldenAmis',
    ready: false,
    reason: listed(problems, rt.options.maxListedInReason),
    fix:
      `Copy each server role's golden AMI into ${input.region} (\`aws ec2 copy-image --source-region <primary> --region ${input.region} ...\` or an Image Builder distribution), ` +
      `put its ID in workloads[].servers[].amiId and apply the dr stack, which writes the AMI parameter; an AMI must not be deregistered while its parameter names it.`,
    details: { servers },
  };
}

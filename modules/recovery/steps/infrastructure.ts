import type { MapState, State } from '../asl';
import { branchFailureStates, inlineProcessor, onBranchFailure, pollLoop, sdkTask, type ParallelBranch, type StepContext } from './common';
import { terraformCloudStates } from './terraform-cloud';

/**
 * Step BuildInfrastructure, branch 2 of CopyAndBuild: scale each server role up and wait for running,
 * SSM-managed instances (or, for workloads with recovery.infrastructure terraformCloud, a Terraform
 * Cloud run).
 */
export function buildInfrastructureBranch({ props, poll }: StepContext): ParallelBranch {
  const serverStates: Record<string, State> = {
    ScaleUp: sdkTask(
      'autoscaling',
      'AutoScaling',
      'updateAutoScalingGroup',
      { 'AutoScalingGroupName.$': '$.autoScalingGroupName', 'MinSize.$': '$.size', 'MaxSize.$': '$.maxSize', 'DesiredCapacity.$': '$.size' },
      { ResultPath: null, Next: 'ServerPollInit' },
    ),
    ...pollLoop({
      prefix: 'ServerPoll',
      key: 'managed',
      // "Tag filters can't be combined with other filter types" (API reference): filter by tag, count the
      // Online ones. 50 is the largest page (the default is 10, fewer than a server role may have).
      check: sdkTask('ssm', 'Ssm', 'describeInstanceInformation', { Filters: [{ Key: 'tag:dr:server', 'Values.$': 'States.Array($.role)' }], MaxResults: 50 }, {
        ResultSelector: { 'count.$': "States.ArrayLength($.InstanceInformationList[?(@.PingStatus == 'Online')])" },
        ResultPath: '$.managed',
      }),
      pollSeconds: poll,
      maxAttempts: Math.ceil(1800 / poll),
      doneWhen: { Variable: '$.managed.count', NumericGreaterThanEqualsPath: '$.size' },
      timeoutError: 'ServersNotReady',
      next: 'ServerReady',
    }),
    ServerReady: { Type: 'Succeed' },
  };
  const terraformCloud = terraformCloudStates(props, { next: 'InfrastructureReady', onFailure: 'BuildInfrastructureBranchFailed' });
  const buildBranch: Record<string, State> = {
    ...(terraformCloud
      ? { HowToBuild: { Type: 'Choice', Choices: [{ Variable: '$.config.infrastructure.kind', StringEquals: 'terraformCloud', Next: terraformCloud.startAt }], Default: 'BuildInfrastructure' } as State, ...terraformCloud.states }
      : {}),
    BuildInfrastructure: {
      Type: 'Map',
      ItemsPath: '$.config.servers',
      MaxConcurrency: 10,
      ItemProcessor: inlineProcessor('ScaleUp', serverStates, 'ServerItemFailed'),
      ResultPath: null,
      Catch: onBranchFailure('BuildInfrastructure'),
      Next: 'InfrastructureReady',
    } as MapState,
    InfrastructureReady: { Type: 'Pass', Result: { ready: true }, End: true },
    ...branchFailureStates('Build', ['BuildInfrastructure']),
  };
  return { StartAt: terraformCloud ? 'HowToBuild' : 'BuildInfrastructure', States: buildBranch };
}

import type { State } from '../asl';
import { onFailure, sdkTask, type StepContext } from './common';

/** Step 6, FailoverTraffic: in failover mode, when configured, the workload's DNS record points at the DR account. */
export function failoverStates(_ctx: StepContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.NeedsFailover = {
    Type: 'Choice',
    Choices: [{ And: [{ Variable: '$.mode', StringEquals: 'failover' }, { Variable: '$.config.failover.hostedZoneId', IsPresent: true }], Next: 'SwitchDns' }],
    Default: 'NeedsHealthCheck',
  };
  states.SwitchDns = sdkTask(
    'route53',
    'Route53',
    'changeResourceRecordSets',
    {
      'HostedZoneId.$': '$.config.failover.hostedZoneId',
      ChangeBatch: {
        Comment: 'DR failover',
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              'Name.$': '$.config.failover.recordName',
              'Type.$': '$.config.failover.recordType',
              // The API member is TTL (Route 53 rejects a record set without it).
              'TTL.$': '$.config.failover.ttl',
              'ResourceRecords.$': 'States.Array(States.StringToJson(States.Format(\'\\{"Value":"{}"\\}\', $.config.failover.value)))',
            },
          },
        ],
      },
    },
    { ResultPath: null, Catch: onFailure('FailoverTraffic'), Next: 'NeedsHealthCheck' },
  );
  return states;
}

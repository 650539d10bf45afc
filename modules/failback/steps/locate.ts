import type { State } from '../../recovery/asl';
import { ifPresent, sdkTask } from '../../recovery/steps/common';
import { FAILBACK_RESTORABLE_TYPES, failbackOnFailure, type FailbackContext } from './common';
import { WORKLOAD_TAG } from '../../../config/tags';

/**
 * Resource Groups Tagging API resource types (`service:resourceType`) of the AWS Backup types failback
 * restores. Types not listed here are never searched for.
 */
const TAGGING_RESOURCE_TYPES: Record<string, string[]> = {
  // Not EC2 instances: in the DR account those tagged dr:workload are the recovery's server groups
  // (disposable, launched from the golden AMI; the primary runs its own), which the scaleDown freeze
  // terminates before the final backups. An instance restored as such is failed back by naming it in
  // `resourceArns`.
  EC2: [],
  EBS: ['ec2:volume'],
  DynamoDB: ['dynamodb:table'],
  RDS: ['rds:db'],
  Aurora: ['rds:cluster'],
  EFS: ['elasticfilesystem:file-system'],
  FSx: ['fsx:file-system', 'fsx:volume'],
  S3: ['s3:bucket'],
};

/** The tagging API's filters for the restorable types (at most 100 per call). */
export function locateResourceTypeFilters(): string[] {
  return [...new Set(FAILBACK_RESTORABLE_TYPES.flatMap((t) => TAGGING_RESOURCE_TYPES[t] ?? []))].sort();
}

/**
 * Step Locate, when the input lists no `resourceArns`: the workload's resources in the DR account and
 * recovery region, found by their `dr:workload` tag (kept on restore: recovery restores with
 * `CopySourceTagsToRestoredResource`), of the types failback can restore. GetResources answers at most
 * 100 per page: more than that fails, asking for `resourceArns`; none found fails naming the tag.
 */
export function locateStates(_ctx: FailbackContext): Record<string, State> {
  const states: Record<string, State> = {};
  states.LocateDrResources = sdkTask(
    'resourcegroupstaggingapi',
    'ResourceGroupsTaggingApi',
    'getResources',
    {
      TagFilters: [{ Key: WORKLOAD_TAG, 'Values.$': 'States.Array($.config.workload)' }],
      ResourceTypeFilters: locateResourceTypeFilters(),
      ResourcesPerPage: 100,
    },
    {
      ResultSelector: { 'resourceArns.$': '$.ResourceTagMappingList[*].ResourceARN', 'nextPage.$': '$.PaginationToken' },
      ResultPath: '$.located',
      Catch: failbackOnFailure('Locate'),
      Next: 'LocatedAny',
    },
  );
  states.LocatedAny = ifPresent('$.located.resourceArns[0]', 'LocatedAll', 'NothingLocated');
  states.LocatedAll = {
    Type: 'Choice',
    Choices: [{ And: [{ Variable: '$.located.nextPage', IsString: true }, { Not: { Variable: '$.located.nextPage', StringEquals: '' } }], Next: 'TooManyLocated' }],
    Default: 'UseLocatedResources',
  };
  states.NothingLocated = {
    Type: 'Pass',
    Parameters: {
      Error: 'NoResourcesFound',
      'Cause.$': `States.Format('no resource of type ${locateResourceTypeFilters().join(', ')} tagged dr:workload={} in the DR account ({}); pass "resourceArns" in the input', $.config.workload, $$.Execution.Id)`,
    },
    ResultPath: '$.failure',
    Next: 'LocateFailed',
  };
  states.TooManyLocated = {
    Type: 'Pass',
    Result: { Error: 'TooManyResources', Cause: 'more than 100 resources carry the workload\'s dr:workload tag; pass "resourceArns" in the input' },
    ResultPath: '$.failure',
    Next: 'LocateFailed',
  };
  // A Pass without Result or Parameters hands on its (InputPath-selected) input.
  states.UseLocatedResources = { Type: 'Pass', InputPath: '$.located.resourceArns', ResultPath: '$.resourceArns', Next: 'RequestApproval' };
  return states;
}

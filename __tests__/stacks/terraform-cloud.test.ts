import { Testing } from 'cdktf';
import { assertPolicyCompliance } from '../../policy/pack';
import { TERRAFORM_CLOUD_TOKEN_PLACEHOLDER } from '../../modules/recovery/terraform-cloud-connection';
import { estateFor, exampleInput, policyOf, resourcesOf, statement, type SynthesizedStack } from '../helpers/synth';
import { terraformCloudInput } from '../helpers/terraform-cloud';
import { allowStatement } from '../helpers/allow-statement';

/**
 * `workloads[].recovery.infrastructure` terraformCloud in the DR stack: one EventBridge connection
 * whose token Terraform never knows, and the execution role's HTTP Task permissions.
 */
const DR = '222222222222';
const REC = 'ap-northeast-1';
const synthDr = (input: unknown): SynthesizedStack => JSON.parse(Testing.synth(estateFor(input).dr));
const recoverPolicy = (dr: SynthesizedStack) => policyOf(resourcesOf(dr, 'aws_iam_role_policy').find((p) => p.name === 'recover') as Record<string, unknown>);

describe('Terraform Cloud for BuildInfrastructure: the DR stack', () => {
  const dr = synthDr(terraformCloudInput());
  const text = JSON.stringify(dr);

  it('creates one API_KEY connection with an Authorization header holding a placeholder, and ignores auth_parameters afterwards', () => {
    const connections = resourcesOf(dr, 'aws_cloudwatch_event_connection');
    expect(connections).toEqual([
      expect.objectContaining({
        name: 'acme-terraform-cloud',
        authorization_type: 'API_KEY',
        auth_parameters: { api_key: { key: 'Authorization', value: 'Bearer set-out-of-band' } },
        lifecycle: { ignore_changes: ['auth_parameters'] },
      }),
    ]);
    expect(TERRAFORM_CLOUD_TOKEN_PLACEHOLDER).toBe('Bearer set-out-of-band');
    // Nothing token-like anywhere in the stack but the placeholder.
    expect(text.match(/Bearer [^"]*/g)).toEqual(['Bearer set-out-of-band']);
  });

  it('lets the execution role call only the runs API, through that connection and its secret', () => {
    const policy = recoverPolicy(dr);
    expect(statement(policy, 'QueueTerraformCloudRuns')).toEqual(
      allowStatement('QueueTerraformCloudRuns', 'states:InvokeHTTPEndpoint', '*', { StringEquals: { 'states:HTTPMethod': 'POST', 'states:HTTPEndpoint': 'https://app.terraform.io/api/v2/runs' } }),
    );
    expect(statement(policy, 'ReadTerraformCloudRuns')).toMatchObject({
      Action: 'states:InvokeHTTPEndpoint',
      Condition: { StringEquals: { 'states:HTTPMethod': 'GET' }, StringLike: { 'states:HTTPEndpoint': 'https://app.terraform.io/api/v2/runs/run-*' } },
    });
    const connection = Object.keys(dr.resource?.aws_cloudwatch_event_connection ?? {})[0];
    expect(statement(policy, 'UseTerraformCloudConnection')).toMatchObject({ Action: 'events:RetrieveConnectionCredentials', Resource: `\${aws_cloudwatch_event_connection.${connection}.arn}` });
    expect(statement(policy, 'ReadTerraformCloudConnectionSecret')).toMatchObject({
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: `arn:aws:secretsmanager:${REC}:${DR}:secret:events!connection/acme-terraform-cloud/*`,
    });
  });

  it('calls terraformCloud.hostname when set (Terraform Enterprise)', () => {
    const tfe = synthDr(terraformCloudInput({}, 'tfe.example.com'));
    expect(statement(recoverPolicy(tfe), 'QueueTerraformCloudRuns').Condition.StringEquals['states:HTTPEndpoint']).toBe('https://tfe.example.com/api/v2/runs');
    expect(resourcesOf(tfe, 'aws_cloudwatch_event_connection')[0].description).toContain('tfe.example.com');
  });

  it('passes the synth-time policy pack', () => {
    expect(() => assertPolicyCompliance(estateFor(terraformCloudInput()).app)).not.toThrow();
  });

  it('adds nothing for workloads on autoScaling', () => {
    const plain = synthDr(exampleInput());
    expect(resourcesOf(plain, 'aws_cloudwatch_event_connection')).toEqual([]);
    const sids = recoverPolicy(plain).Statement.map((s) => s.Sid);
    for (const sid of ['QueueTerraformCloudRuns', 'ReadTerraformCloudRuns', 'UseTerraformCloudConnection', 'ReadTerraformCloudConnectionSecret']) expect(sids).not.toContain(sid);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ResiliencehubResiliencyPolicy } from '@cdktf/provider-aws/lib/resiliencehub-resiliency-policy';
import { WorkloadResiliencyPolicy, goDuration, tierForRto } from '../../modules/resiliency-policy';
import { buildEstate, synthesizeIfCompliant } from '../../app';
import { parseConfig } from '../../config/load';
import { estateFor, exampleInput, resourcesOf, tempDir } from '../helpers/synth';
import { synthWithDefaults } from '../helpers/synth-construct';

const synth = synthWithDefaults(WorkloadResiliencyPolicy, 'ResiliencyPolicy', { policyName: 'acme-shop-dr', rtoMinutes: 240, rpoMinutes: 1440 });

describe('tierForRto', () => {
  it.each([
    [15, 'MissionCritical'],
    [60, 'MissionCritical'],
    [61, 'Critical'],
    [240, 'Critical'],
    [241, 'Important'],
    [1440, 'Important'],
    [1441, 'NonCritical'],
    [10080, 'NonCritical'],
  ])('RTO %d minutes → %s', (rto, tier) => {
    expect(tierForRto(rto)).toBe(tier);
  });
});

describe('goDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [300, '5m0s'],
    [3600, '1h0m0s'],
    [5430, '1h30m30s'],
    [86400, '24h0m0s'],
    [604800, '168h0m0s'],
  ])('%d s → %s (Go time.Duration.String)', (seconds, text) => {
    expect(goDuration(seconds)).toBe(text);
  });

  it('rejects fractions and negatives', () => {
    expect(() => goDuration(1.5)).toThrow(/whole/);
    expect(() => goDuration(-1)).toThrow(/non-negative/);
  });
});

describe('WorkloadResiliencyPolicy', () => {
  it('puts the targets into every disruption type, in seconds as Go durations, with the tier from the RTO', () => {
    const out = synth();
    const objective = { rto: '4h0m0s', rpo: '24h0m0s' };
    expect(out).toHaveResourceWithProperties(ResiliencehubResiliencyPolicy, {
      name: 'acme-shop-dr',
      tier: 'Critical',
      policy: { az: objective, hardware: objective, software: objective, region: objective },
    });
  });

  it('takes an explicit tier and a description', () => {
    const out = synth({ tier: 'CoreServices', description: 'shared DNS', rtoMinutes: 30, rpoMinutes: 5 });
    const [policy] = resourcesOf(out, 'aws_resiliencehub_resiliency_policy') as Record<string, any>[];
    expect(policy).toMatchObject({ tier: 'CoreServices', description: 'shared DNS', policy: { region: { rto: '30m0s', rpo: '5m0s' } } });
  });

  it('rejects names and objectives AWS would reject, naming the construct', () => {
    expect(() => synth({ policyName: '-bad' })).toThrow(/ResiliencyPolicy: "-bad" is not a Resilience Hub policy name/);
    expect(() => synth({ policyName: 'x'.repeat(61) })).toThrow(/not a Resilience Hub policy name/);
    expect(() => synth({ rpoMinutes: 0 })).toThrow(/rpoMinutes must be a whole number of minutes/);
  });
});

describe('the workload stack', () => {
  const withPolicies = () => {
    const input = exampleInput() as Record<string, any>;
    input.readiness = { resilienceHubPolicies: true };
    input.workloads[0].targets = { rtoMinutes: 60, rpoMinutes: 1440 };
    return input;
  };

  it('has no resiliency policy by default', () => {
    const out = Testing.synth(estateFor(exampleInput()).workloads[0]);
    expect(resourcesOf(out, 'aws_resiliencehub_resiliency_policy')).toEqual([]);
  });

  it('emits one policy per workload from its targets with readiness.resilienceHubPolicies', () => {
    const estate = estateFor(withPolicies());
    expect(estate.workloads[0].resiliencyPolicy?.tier).toBe('MissionCritical');
    const out = Testing.synth(estate.workloads[0]);
    expect(out).toHaveResourceWithProperties(ResiliencehubResiliencyPolicy, {
      name: 'acme-shop-dr',
      tier: 'MissionCritical',
      policy: expect.objectContaining({ region: { rto: '1h0m0s', rpo: '24h0m0s' } }),
    });
  });

  // terraform validate of this stack: integration/terraform-validate.test.ts (one run for every stack).
  it('passes the policy pack', () => {
    const outdir = path.join(tempDir(), 'cdktf.out');
    const estate = buildEstate(parseConfig(withPolicies()), { outdir });
    expect(() => synthesizeIfCompliant(estate.app, false)).not.toThrow();
    const stackDir = path.join(outdir, 'stacks', 'workload-shop');
    expect(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')).toContain('aws_resiliencehub_resiliency_policy');
  });
});

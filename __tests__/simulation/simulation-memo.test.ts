import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { runStrictSimulation, simulationMemoStats } from '../../simulation/simulation-memo';

const ROLE = 'arn:aws:iam::222222222222:role/acme-recovery';
const VOLUME = 'arn:aws:ec2:ap-northeast-1:222222222222:volume/vol-0123456789abcdef0';

/** A simulation of ec2:AttachVolume by ROLE, allowed when `allowed` names the action. */
function simulation(allowed: string, resource = VOLUME): Simulation {
  return {
    request: { principal: ROLE, action: 'ec2:AttachVolume', resource: { resource, accountId: '222222222222' }, contextVariables: { 'aws:PrincipalArn': ROLE, 'aws:RequestedRegion': 'ap-northeast-1' } },
    identityPolicies: [{ name: 'inline', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: allowed, Resource: '*' }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

describe('runStrictSimulation (iam-simulate, once per distinct simulation)', () => {
  it('answers as the library does, from the memo the second time, the same response for every caller', async () => {
    for (const allowed of ['ec2:AttachVolume', 'ec2:DetachVolume']) {
      const direct = await runSimulation(simulation(allowed), { simulationMode: 'Strict' });
      const before = { ...simulationMemoStats };
      const first = await runStrictSimulation(simulation(allowed));
      const second = await runStrictSimulation(simulation(allowed));
      expect(first).toStrictEqual(direct);
      expect(second).toBe(first);
      expect(simulationMemoStats.simulated + simulationMemoStats.answeredFromMemo).toBe(before.simulated + before.answeredFromMemo + 2);
      expect(simulationMemoStats.answeredFromMemo).toBeGreaterThan(before.answeredFromMemo);
    }
    expect(await runStrictSimulation(simulation('ec2:AttachVolume'))).toMatchObject({ overallResult: 'Allowed' });
    expect(await runStrictSimulation(simulation('ec2:DetachVolume'))).toMatchObject({ overallResult: 'ImplicitlyDenied' });
  });

  it('tells apart simulations that differ in any policy statement or request field', async () => {
    expect(await runStrictSimulation(simulation('ec2:*'))).toMatchObject({ overallResult: 'Allowed' });
    expect(await runStrictSimulation(simulation('ec2:Describe*'))).toMatchObject({ overallResult: 'ImplicitlyDenied' });
    expect(await runStrictSimulation(simulation('ec2:*', VOLUME.replace('222222222222', '333333333333')))).toMatchObject({ overallResult: 'Allowed' });
  });

  it('never keeps an error response: the same simulation is run again', async () => {
    const broken = { ...simulation('ec2:AttachVolume'), identityPolicies: [{ name: 'inline', policy: { Statement: 'not a statement' } as never }] };
    const before = simulationMemoStats.simulated;
    const first = await runStrictSimulation(broken);
    const second = await runStrictSimulation(broken);
    expect(first.resultType).toBe('error');
    expect(second.resultType).toBe('error');
    expect(simulationMemoStats.simulated).toBe(before + 2);
  });
});

describe('runStrictSimulation keys', () => {
  it('sees a policy document by its content, whichever object holds it', async () => {
    const one = simulation('ec2:AttachVolume');
    const copy = JSON.parse(JSON.stringify(one)) as Simulation;
    const before = { ...simulationMemoStats };
    await runStrictSimulation(one);
    await runStrictSimulation(copy);
    expect(simulationMemoStats.simulated - before.simulated).toBeLessThanOrEqual(1);
    expect(simulationMemoStats.answeredFromMemo - before.answeredFromMemo).toBeGreaterThanOrEqual(1);
    // A document with another statement is another simulation, even under the same policy name.
    const edited = simulation('ec2:AttachVolume');
    (edited.identityPolicies[0].policy as { Statement: { Effect: string }[] }).Statement[0].Effect = 'Deny';
    expect(await runStrictSimulation(edited)).toMatchObject({ overallResult: 'ExplicitlyDenied' });
  });
});

import * as path from 'path';
import { App, Aspects, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { buildEstate, synthesizeEstate, synthesizeIfCompliant } from '../../app';
import { loadConfig } from '../../config/load';
import { assertPolicyCompliance, type SynthesizedStacks } from '../../policy/pack';
import type { PolicyRule, SynthesizedResource } from '../../policy/rule';
import { treeDigests, readTreeFile } from '../helpers/files';
import { EXAMPLE_CONFIG, FIXTURES, tempDir } from '../helpers/synth';

/** Two stacks, the second referencing a resource of the first (CDKTF turns it into an output and a remote state). */
function crossStackApp(outdir: string): App {
  const app = new App({ outdir, skipValidation: true });
  const a = new TerraformStack(app, 'a');
  new AwsProvider(a, 'aws', { region: 'ap-northeast-1' });
  const source = new SsmParameter(a, 'Source', { name: 'source', type: 'String', value: 'x' });
  const b = new TerraformStack(app, 'b');
  new AwsProvider(b, 'aws', { region: 'ap-northeast-1' });
  new SsmParameter(b, 'Copy', { name: 'copy', type: 'String', value: source.arn });
  return app;
}

class DescribeParameters implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof SsmParameter) node.description = `set by an aspect on ${node.node.path}`;
  }
}

describe('synthesizeIfCompliant', () => {
  it('writes exactly what app.synth() writes (every stack resolved once, for the policy pack and the output)', () => {
    for (const file of [EXAMPLE_CONFIG, path.join(FIXTURES, 'three-workloads.json')]) {
      const [once, plain] = [tempDir(), tempDir()];
      synthesizeEstate(file, once);
      buildEstate(loadConfig(file), { outdir: plain }).app.synth();
      expect(treeDigests(once)).toEqual(treeDigests(plain));
    }
  });

  it('falls back to app.synth() for a reference between stacks, which needs its preparing pass', () => {
    const [once, plain] = [tempDir(), tempDir()];
    synthesizeIfCompliant(crossStackApp(once), true);
    crossStackApp(plain).synth();
    expect(treeDigests(once)).toEqual(treeDigests(plain));
    const b = JSON.parse(readTreeFile(once, path.join('stacks', 'b', 'cdk.tf.json')));
    expect(Object.keys(b.data.terraform_remote_state)).toHaveLength(1);
  });

  it('falls back to app.synth() when there are Aspects, which app.synth() invokes first', () => {
    const [once, plain] = [tempDir(), tempDir()];
    const apps = [crossStackApp(once), crossStackApp(plain)];
    // On the stacks: CDKTF invokes Aspects from each stack down.
    for (const app of apps) for (const stack of app.node.findAll().filter(TerraformStack.isStack)) Aspects.of(stack).add(new DescribeParameters());
    synthesizeIfCompliant(apps[0], true);
    apps[1].synth();
    expect(treeDigests(once)).toEqual(treeDigests(plain));
    expect(readTreeFile(once, path.join('stacks', 'a', 'cdk.tf.json'))).toContain('set by an aspect on a/Source');
  });

  it('leaves the stacks as they were (their own toTerraform again)', () => {
    const app = buildEstate(loadConfig(EXAMPLE_CONFIG), { outdir: tempDir() }).app;
    synthesizeIfCompliant(app, true);
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
      expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
      expect(Object.prototype.hasOwnProperty.call(stack, 'prepareStack')).toBe(false);
    }
  });
});

describe('the policy pack on synthesized stacks', () => {
  it('sees the same resources as when it resolves each one itself', () => {
    const seen = (fromStackJson: boolean) => {
      const resources: SynthesizedResource[] = [];
      const recorder: PolicyRule = {
        id: 'record',
        name: 'Record',
        fix: '-',
        check: (resource) => {
          resources.push(resource);
          return { status: 'compliant' };
        },
      };
      const estate = buildEstate(loadConfig(path.join(FIXTURES, 'three-workloads.json')));
      const stacks: SynthesizedStacks | undefined = fromStackJson ? new Map(estate.app.node.findAll().filter(TerraformStack.isStack).map((s) => [s, s.toTerraform()])) : undefined;
      assertPolicyCompliance(estate.app, [recorder], stacks);
      return JSON.parse(JSON.stringify(resources));
    };
    const resolvedEach = seen(false);
    expect(resolvedEach.length).toBeGreaterThan(100);
    expect(seen(true)).toEqual(resolvedEach);
  });
});

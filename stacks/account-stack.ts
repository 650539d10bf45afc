import { Construct } from 'constructs';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { EstateConfig } from '../config/schema';
import { EstateNames } from '../config/naming';
import { partitionOf } from '../config/regions';
import { EventForwarder, EventForwardingRole, type ForwardedRule } from '../modules/event-forwarding';

export interface AccountStackProps {
  readonly config: EstateConfig;
  /** Account the stack deploys into; the provider refuses to run anywhere else. */
  readonly accountId: string;
  /** Role Terraform assumes in that account. */
  readonly roleArn: string;
  /** Region of the stack's default provider. */
  readonly region: string;
}

/**
 * A stack deploying into exactly one AWS account: its own provider(s) assuming the configured role,
 * default tags, and its own backend (local, or one Terraform Cloud workspace per stack).
 */
export abstract class AccountStack extends TerraformStack {
  readonly config: EstateConfig;
  readonly names: EstateNames;
  readonly accountId: string;
  readonly region: string;
  readonly provider: AwsProvider;
  private readonly props: AccountStackProps;
  private readonly regionalProviders = new Map<string, AwsProvider>();

  constructor(scope: Construct, stackName: string, props: AccountStackProps) {
    super(scope, stackName);
    this.props = props;
    this.config = props.config;
    this.names = new EstateNames(props.config);
    this.accountId = props.accountId;
    this.region = props.region;
    this.provider = this.createProvider('aws', props.region);
    this.regionalProviders.set(props.region, this.provider);

    const tfc = props.config.terraformCloud;
    if (tfc) {
      new CloudBackend(this, {
        organization: tfc.organization,
        hostname: tfc.hostname,
        workspaces: new NamedCloudWorkspace(this.names.workspaceName(stackName), tfc.project),
      });
    } else {
      new LocalBackend(this, { path: `terraform.${stackName}.tfstate` });
    }
  }

  /**
   * The forwarding role and one {@link EventForwarder} per region, sending this account's incidents
   * to the DR bus. `rulesByRegion` maps a region to the rules matched there.
   */
  protected forwardIncidents(rulesByRegion: Map<string, ForwardedRule[]>): { role: EventForwardingRole; forwarders: Map<string, EventForwarder> } {
    const { names, config } = this;
    const role = new EventForwardingRole(this, 'EventForwardingRole', {
      roleName: names.eventForwarderRoleName,
      accountId: this.accountId,
      ruleNamePrefix: `${config.name}-`,
      targetBusArn: names.drEventBusArn,
      partition: partitionOf(this.region),
    });
    const forwarders = new Map<string, EventForwarder>();
    for (const [region, rules] of [...rulesByRegion].sort(([a], [b]) => (a === this.region ? -1 : b === this.region ? 1 : a.localeCompare(b)))) {
      forwarders.set(
        region,
        new EventForwarder(this, region === this.region ? 'IncidentForwarding' : `IncidentForwarding-${region}`, {
          accountId: this.accountId,
          region,
          rules,
          targetBusArn: names.drEventBusArn,
          forwarderRoleArn: role.roleArn,
          dlqName: names.eventForwardingDlqName,
          delivery: config.detection.delivery,
          provider: this.providerFor(region),
        }),
      );
    }
    return { role, forwarders };
  }

  /** The provider for `region` in this stack's account (the default provider for the stack's own region). */
  providerFor(region: string): AwsProvider {
    let provider = this.regionalProviders.get(region);
    if (!provider) {
      provider = this.createProvider(region, region, region);
      this.regionalProviders.set(region, provider);
    }
    return provider;
  }

  private createProvider(id: string, region: string, alias?: string): AwsProvider {
    const stackName = this.node.id;
    return new AwsProvider(this, id === 'aws' ? 'aws' : `aws-${id}`, {
      alias,
      region,
      allowedAccountIds: [this.props.accountId],
      assumeRole: [{ roleArn: this.props.roleArn, sessionName: `cdktf-${stackName}`.slice(0, 64) }],
      defaultTags: [{ tags: { ...this.props.config.tags, project: this.props.config.name, stack: stackName, 'managed-by': 'cdktf' } }],
    });
  }
}

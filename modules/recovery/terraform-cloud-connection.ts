import { Construct } from 'constructs';
import { CloudwatchEventConnection } from '@cdktf/provider-aws/lib/cloudwatch-event-connection';

/**
 * What Terraform writes as the API key: never a token. The real one is set out of band (docs/recovery.md,
 * "Terraform Cloud for BuildInfrastructure") and Terraform ignores the change.
 */
export const TERRAFORM_CLOUD_TOKEN_PLACEHOLDER = 'Bearer set-out-of-band';

export interface TerraformCloudConnectionProps {
  /** Connection name, e.g. `acme-terraform-cloud`. */
  readonly name: string;
  /** Terraform Cloud or Enterprise host, e.g. `app.terraform.io`. */
  readonly hostname: string;
}

/**
 * The EventBridge connection through which the recovery state machine's HTTP Tasks call the Terraform
 * Cloud API: header `Authorization: Bearer <team token>`. EventBridge keeps the credentials in a
 * Secrets Manager secret it manages (`events!connection/<name>/...`). Terraform creates the
 * connection with a placeholder and ignores `auth_parameters` afterwards, so the token is set with
 * `aws events update-connection` and is never in a Terraform plan or state.
 */
export class TerraformCloudConnection extends Construct {
  readonly connection: CloudwatchEventConnection;
  readonly connectionArn: string;
  readonly connectionName: string;
  /** `https://<hostname>`: the runs API is `<apiUrl>/api/v2/runs`. */
  readonly apiUrl: string;

  constructor(scope: Construct, id: string, props: TerraformCloudConnectionProps) {
    super(scope, id);
    this.connectionName = props.name;
    this.apiUrl = `https://${props.hostname}`;
    this.connection = new CloudwatchEventConnection(this, 'Connection', {
      name: props.name,
      description: `Terraform Cloud API (${props.hostname}) for the recovery state machine; the token is set out of band`,
      authorizationType: 'API_KEY',
      authParameters: { apiKey: { key: 'Authorization', value: TERRAFORM_CLOUD_TOKEN_PLACEHOLDER } },
      lifecycle: { ignoreChanges: ['auth_parameters'] },
    });
    this.connectionArn = this.connection.arn;
  }
}

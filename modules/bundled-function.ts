import { Construct } from 'constructs';
import { AssetType, Lazy, TerraformAsset } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { bundleFunction, type Bundle } from './bundling';
import { anyInAMinuteAlarm, DeadLetterQueue } from './dead-letter-queue';
import { policyDocument, renderPolicy, serviceTrustPolicy, type Grantable, type PolicyDocument, type PolicyStatement } from './policy-document';
import { partitionOf } from '../config/regions';

export interface BundledFunctionProps {
  readonly functionName: string;
  /** Absolute path of the function's `index.ts` (exporting `handler`). */
  readonly entry: string;
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /** What the handler calls: exactly these statements, plus logging, tracing and its dead-letter queue. */
  readonly policyStatements: PolicyStatement[];
  /** Encrypts the log group and the environment variables. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /**
   * Environment variables of the function (encrypted with `kmsKeyArn`).
   * @default none (only `NODE_OPTIONS` when `sourceMap` is set)
   */
  readonly environment?: Record<string, string>;
  /**
   * @default arm64
   */
  readonly architecture?: 'arm64' | 'x86_64';
  /**
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Seconds.
   * @default 60
   */
  readonly timeout?: number;
  /**
   * @default none (account concurrency)
   */
  readonly reservedConcurrency?: number;
  /**
   * Bundle with a source map and enable it.
   * @default false
   */
  readonly sourceMap?: boolean;
  /**
   * Asynchronous invocation retries before the event goes to the dead-letter queue.
   * @default 2
   */
  readonly maximumRetryAttempts?: number;
  /**
   * Where the error and dead-letter alarms notify.
   * @default nowhere
   */
  readonly alarmActions?: string[];
}

/** The Lambda runtime every function of this project uses. */
export const LAMBDA_RUNTIME = 'nodejs22.x';

/**
 * A Lambda function bundled from `functions/<name>/index.ts` at synth time, with its own
 * least-privilege role, a KMS-encrypted log group with retention, X-Ray tracing, JSON logs, a
 * dead-letter queue for failed asynchronous invocations, and alarms on errors and dead letters.
 */
export class BundledFunction extends Construct implements Grantable {
  readonly function: LambdaFunction;
  /** Derived from name, account and region. */
  readonly functionArn: string;
  readonly role: IamRole;
  /** The role's policy; grows with grants until synthesis. */
  policy: PolicyDocument;
  readonly trustPolicy: PolicyDocument;
  readonly dlq: DeadLetterQueue;
  readonly bundle: Bundle;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.functionName)) throw new Error(`${this.node.path}: functionName "${props.functionName}" must be 1-64 letters, digits, "-" or "_"`);
    if (props.reservedConcurrency !== undefined && props.reservedConcurrency < 1) {
      throw new Error(`${this.node.path}: reservedConcurrency must be at least 1 (0 would disable the function)`);
    }
    const partition = partitionOf(props.region);
    this.functionArn = `arn:${partition}:lambda:${props.region}:${props.accountId}:function:${props.functionName}`;
    const logGroupName = `/aws/lambda/${props.functionName}`;
    const logGroupArn = `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;

    this.bundle = bundleFunction(props.entry, { sourceMap: props.sourceMap });
    const asset = new TerraformAsset(this, 'Bundle', { path: this.bundle.zipPath, type: AssetType.FILE });

    this.dlq = new DeadLetterQueue(this, 'DeadLetters', {
      queueName: `${props.functionName}-dlq`,
      accountId: props.accountId,
      region: props.region,
      sourceRuleArns: [],
      alarmName: `${props.functionName}-dead-letters`,
      alarmActions: props.alarmActions,
    });

    this.trustPolicy = serviceTrustPolicy('lambda.amazonaws.com', props.accountId, this.functionArn, 'LambdaForThisFunctionOnly');
    this.policy = policyDocument(
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn}:*` },
      // X-Ray has no resource-level permissions.
      { Sid: 'Tracing', Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      { Sid: 'SendFailedEventsToOwnDlq', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.dlq.queueArn },
      { Sid: 'DecryptOwnEnvironment', Effect: 'Allow', Action: 'kms:Decrypt', Resource: props.kmsKeyArn },
      ...props.policyStatements,
    );
    this.role = new IamRole(this, 'Role', {
      name: props.functionName,
      description: props.description,
      assumeRolePolicy: renderPolicy(this.trustPolicy),
    });
    // Rendered at synth, so that grants of other constructs (`grant*` methods) land in the same policy.
    const rolePolicy = new IamRolePolicy(this, 'Policy', { role: this.role.name, name: 'function', policy: Lazy.stringValue({ produce: () => renderPolicy(this.policy) }) });
    const logGroup = new CloudwatchLogGroup(this, 'Logs', { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: props.kmsKeyArn });

    const environment = { ...props.environment, ...(props.sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}) };
    this.function = new LambdaFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [props.architecture ?? 'arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: this.bundle.sourceCodeHash,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? 60,
      reservedConcurrentExecutions: props.reservedConcurrency,
      kmsKeyArn: props.kmsKeyArn,
      environment: Object.keys(environment).length > 0 ? { variables: environment } : undefined,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      deadLetterConfig: { targetArn: this.dlq.queue.arn },
      dependsOn: [rolePolicy, logGroup],
    });
    new LambdaFunctionEventInvokeConfig(this, 'AsyncInvocation', {
      functionName: this.function.functionName,
      maximumRetryAttempts: props.maximumRetryAttempts ?? 2,
      maximumEventAgeInSeconds: 3600,
      destinationConfig: { onFailure: { destination: this.dlq.queue.arn } },
    });
    anyInAMinuteAlarm(this, 'ErrorAlarm', {
      alarmName: `${props.functionName}-errors`,
      alarmDescription: `${props.functionName} failed; the event is retried, then lands in ${props.functionName}-dlq`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: props.functionName },
      statistic: 'Sum',
      alarmActions: props.alarmActions,
    });
  }

  /** Adds a statement to the function role's policy (the grant methods of the constructs that own resources call this). */
  addToPrincipalPolicy(statement: PolicyStatement): void {
    this.policy = policyDocument(...this.policy.Statement, statement);
  }
}

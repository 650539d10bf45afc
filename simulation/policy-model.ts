/**
 * IAM policy simulation over SYNTHESIZED Terraform (`<outdir>/stacks/<stack>/cdk.tf.json`).
 *
 * `buildPolicyModel(outdir)` reads every stack, resolves Terraform interpolation tokens inside policy
 * JSON to concrete ARNs, and indexes the policies by the ARN they protect (resource policies: vault
 * access policies, key policies, role trust policies, ...) or are attached to (identity policies:
 * inline role policies, customer managed policies). `model.simulate(request)` then evaluates one
 * request with `@cloud-copilot/iam-simulate`, which implements AWS's evaluation logic:
 *
 * - same account: identity OR resource policy allows, no explicit deny (KMS key policies and role trust
 *   policies are stricter: a statement naming only the account root delegates to IAM, so the identity
 *   policy must allow too, and the key/trust policy must allow the account at least);
 * - cross account: the identity policy in the caller's account AND the resource policy must allow;
 * - an explicit deny anywhere (identity, resource, SCP) wins.
 *
 * Extending the model to a new resource type is one line in `POLICY_SOURCES` (where a policy lives
 * and what it protects) and, if its ARN is referenced by tokens, one line in `RESOURCE_TYPES`.
 *
 * AWS managed policies (`aws_iam_role_policy_attachment` with `arn:aws:iam::aws:policy/...`) are NOT
 * simulated: their documents are not in the synthesized output and there is no network access. They
 * are recorded as opaque (`model.opaqueManagedPolicies`, `outcome.unmodelledManagedPolicyArns`); a test
 * that depends on them passes the relevant identity policy explicitly. Attachments of customer managed
 * policies synthesized in the estate (`aws_iam_policy`) ARE simulated.
 */

// The model, one concern a file (this file is the entry: import from here):
// - policy-documents.ts: policy document types and supplied identity policies;
// - resource-tables.ts: POLICY_SOURCES and RESOURCE_TYPES, what is read and how ARNs are derived;
// - resource-resolution.ts: the synthesized resources and their Terraform token resolution;
// - build-model.ts: buildPolicyModel, reading the synthesized stacks into a PolicyModel;
// - model.ts: PolicyModel (indexes, mutations, simulate);
// - evaluation.ts: the request, its context and its evaluation with @cloud-copilot/iam-simulate;
// - arns.ts: ARN and principal helpers.
export { accountOfArn, isServicePrincipal, partitionOfRegion } from './arns';
export { buildPolicyModel, type BuildOptions } from './build-model';
export { evaluatePolicies, type Decision, type DecisiveStatement, type SimulationOutcome, type SimulationRequest } from './evaluation';
export { PolicyModel, simulate, type ModelData, type ModelPolicy, type PolicyAttachment } from './model';
export { ADMINISTRATOR_ACCESS, allowPolicy, type NamedPolicy, type PolicyDocumentJson, type PolicyStatementJson } from './policy-documents';
export type { ModelResource } from './resource-resolution';
export { POLICY_SOURCES, RESOURCE_TYPES, type ArnContext, type PolicySource, type ResolvedResource, type ResourceType } from './resource-tables';

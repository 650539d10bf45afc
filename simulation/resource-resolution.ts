/**
 * The resources of the synthesized stacks and their token resolution: Terraform interpolation tokens
 * (`${<type>.<name>.<attribute>}`, `${data.<type>.<name>.<attribute>}`) replaced by the ARNs and
 * attributes derived from `RESOURCE_TYPES` and `DATA_SOURCES`.
 */
import { DATA_SOURCES, RESOURCE_TYPES, type ArnContext, type ResolvedResource, type ResourcePlace } from './resource-tables';

export interface ModelResource extends ResourcePlace {
  /** `<type>.<logicalName>`, unique within its stack. */
  readonly address: string;
  /** Derived ARN (types in `RESOURCE_TYPES` only). */
  readonly arn?: string;
  /** Raw synthesized attributes (tokens unresolved). */
  readonly attributes: Record<string, unknown>;
}

const TOKEN = /\$\{(data\.)?([a-zA-Z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-zA-Z0-9_]+)\}/g;

export class TokenResolver {
  constructor(private readonly resources: readonly ModelResource[]) {}

  private find(stack: string, type: string, logicalName: string): ModelResource | undefined {
    return this.resources.find((r) => r.stack === stack && r.type === type && r.logicalName === logicalName);
  }

  private context(r: ModelResource, seen: string[]): ArnContext {
    const nameAttribute = RESOURCE_TYPES[r.type]?.nameAttribute ?? 'name';
    const attr = (key: string) => {
      const v = r.attributes[key];
      return typeof v === 'string' ? this.resolveString(r.stack, v, [], [...seen, `${r.stack}/${r.address}`]) : undefined;
    };
    return { partition: r.partition, region: r.region, account: r.account, logicalName: r.logicalName, name: attr(nameAttribute) ?? r.logicalName, attr };
  }

  arnOfResource(r: ModelResource, seen: string[]): string {
    if (r.arn) return r.arn;
    const spec = RESOURCE_TYPES[r.type];
    if (!spec) throw new Error(`no ARN rule for ${r.type} (add it to RESOURCE_TYPES)`);
    return spec.arn(this.context(r, seen));
  }

  /** Value of `${<type>.<name>.<attribute>}` in `stack`, or undefined when not derivable. */
  private tokenValue(stack: string, isData: boolean, type: string, logicalName: string, attribute: string, seen: string[]): string | undefined {
    const fullType = isData ? `data.${type}` : type;
    const r = this.find(stack, fullType, logicalName);
    if (!r) return undefined;
    const key = `${r.stack}/${r.address}`;
    if (seen.includes(key)) throw new Error(`circular token reference through ${key}`);
    const c = this.context(r, seen);
    if (isData) return DATA_SOURCES[type]?.[attribute]?.(c);
    const spec = RESOURCE_TYPES[type];
    if (attribute === 'arn' && spec) return this.arnOfResource(r, [...seen, key]);
    if (spec?.attributes?.[attribute]) return spec.attributes[attribute](c);
    if (attribute === (spec?.nameAttribute ?? 'name')) return c.name;
    // A literal attribute of the referenced resource (e.g. `${aws_iam_role.X.description}`).
    const literal = r.attributes[attribute];
    return typeof literal === 'string' ? this.resolveString(stack, literal, [], [...seen, key]) : undefined;
  }

  resolveString(stack: string, text: string, unresolved: string[], seen: string[] = []): string {
    return text.replace(TOKEN, (token, data: string | undefined, type: string, logicalName: string, attribute: string) => {
      const value = this.tokenValue(stack, !!data, type, logicalName, attribute, seen);
      if (value === undefined) {
        unresolved.push(token);
        return token;
      }
      return value;
    });
  }

  view(r: ModelResource): ResolvedResource {
    const self = this;
    const c = this.context(r, []);
    return {
      stack: r.stack,
      type: r.type,
      logicalName: r.logicalName,
      account: r.account,
      region: r.region,
      partition: r.partition,
      attr: c.attr,
      arn: () => self.arnOfResource(r, []),
      arnOf(type: string, nameOrArn: string | undefined): string {
        if (!nameOrArn) throw new Error(`${r.stack}/${r.address}: no ${type} name to derive an ARN from`);
        if (nameOrArn.startsWith('arn:')) return nameOrArn;
        const spec = RESOURCE_TYPES[type];
        if (!spec) throw new Error(`no ARN rule for ${type} (add it to RESOURCE_TYPES)`);
        const nameAttribute = spec.nameAttribute ?? 'name';
        // Same name in the same account and (for regional types) the same region, e.g. one central
        // vault per region with the same name in one stack.
        const existing = self.resources.find(
          (x) =>
            x.stack === r.stack &&
            x.type === type &&
            x.account === r.account &&
            (spec.global || x.region === r.region) &&
            self.context(x, []).attr(nameAttribute) === nameOrArn,
        );
        if (existing) return self.arnOfResource(existing, []);
        return spec.arn({ partition: r.partition, region: r.region, account: r.account, logicalName: nameOrArn, name: nameOrArn, attr: () => undefined });
      },
    };
  }
}

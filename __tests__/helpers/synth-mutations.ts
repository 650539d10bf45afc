import * as fs from 'fs';
import * as path from 'path';
import type { PolicyDocumentJson, PolicyStatementJson } from '../../simulation/policy-model';
import { tempDir } from './synth';

/** An edit of one policy document of a synthesized output. */
export type PolicyEdit = (doc: PolicyDocumentJson) => PolicyDocumentJson;

export const dropStatement = (sid: string): PolicyEdit => (doc) => {
  const kept = doc.Statement.filter((s) => s.Sid !== sid);
  if (kept.length === doc.Statement.length) throw new Error(`no statement ${sid} in ${JSON.stringify(doc)}`);
  return { ...doc, Statement: kept };
};

export const editStatement = (sid: string, edit: (s: PolicyStatementJson) => PolicyStatementJson): PolicyEdit => (doc) => {
  if (!doc.Statement.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid}`);
  return { ...doc, Statement: doc.Statement.map((s) => (s.Sid === sid ? edit(JSON.parse(JSON.stringify(s))) : s)) };
};

export interface PolicyMutation {
  readonly stack: string;
  readonly type: string;
  /** Start of the resource's logical name. */
  readonly resource: string;
  readonly attribute: string;
  readonly edit: PolicyEdit;
}

/** A copy of the synthesized directory `base` with one policy attribute edited. */
export function mutatedSynthDir(base: string, m: PolicyMutation): string {
  const dir = tempDir('dr-mutation-');
  fs.cpSync(base, dir, { recursive: true });
  const file = path.join(dir, 'stacks', m.stack, 'cdk.tf.json');
  const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
  const matches = Object.entries(stack.resource[m.type] ?? {}).filter(([name]) => name.startsWith(m.resource));
  if (matches.length !== 1) throw new Error(`${matches.length} ${m.type} named ${m.resource}* in ${m.stack}`);
  const resource = matches[0][1] as Record<string, string>;
  resource[m.attribute] = JSON.stringify(m.edit(JSON.parse(resource[m.attribute])));
  fs.writeFileSync(file, JSON.stringify(stack, null, 2));
  return dir;
}

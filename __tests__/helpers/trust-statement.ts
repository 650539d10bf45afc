// Trust policies repeat one statement form; naming it leaves each test with only what makes its trust differ.
/** The trust statement the modules write: `principal` may assume the role when `condition` holds. */
export function allowAssumeRole(sid: string, principal: Record<string, string>, condition: Record<string, Record<string, string>>): Record<string, unknown> {
  return { Sid: sid, Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', Condition: condition };
}

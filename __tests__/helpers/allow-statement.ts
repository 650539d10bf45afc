// Policies repeat one Allow statement form; naming it leaves each test with the action, resource and condition that make the statement.
export function allowStatement(sid: string, action: string, resource: string, condition: Record<string, Record<string, string>>, principal?: string): Record<string, unknown> {
  return { Sid: sid, Effect: 'Allow', ...(principal === undefined ? {} : { Principal: principal }), Action: action, Resource: resource, Condition: condition };
}

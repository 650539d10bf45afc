import { block, compliant, forType, nonCompliant, type PolicyRule } from '../rule';

/** Checkov CKV_AWS_285: state machines log executions, with execution data. */
export const stateMachineLogging: PolicyRule = {
  id: 'CKV_AWS_285',
  name: 'StateMachineLogging',
  fix: 'set loggingConfiguration { logDestination, level: ALL|ERROR|FATAL, includeExecutionData: true }',
  check: forType('aws_sfn_state_machine', (r) => {
    const l = block(r.attributes.logging_configuration);
    return l && l.level && l.level !== 'OFF' && l.include_execution_data === true && l.log_destination ? compliant : nonCompliant('executions are not logged with their data');
  }),
};

/** Checkov CKV_AWS_284: state machines are traced with X-Ray. */
export const stateMachineXray: PolicyRule = {
  id: 'CKV_AWS_284',
  name: 'StateMachineXrayTracing',
  fix: 'set tracingConfiguration: { enabled: true }',
  check: forType('aws_sfn_state_machine', (r) => (block(r.attributes.tracing_configuration)?.enabled === true ? compliant : nonCompliant('X-Ray tracing is off'))),
};

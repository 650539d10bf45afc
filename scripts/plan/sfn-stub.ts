import * as http from 'http';
import type { AddressInfo } from 'net';
import { aslText, validAslDefinitions } from '../../simulation/valid-asl';

/**
 * A local stand-in for the one AWS API the AWS provider calls while planning: Step Functions'
 * `ValidateStateMachineDefinition`, called for an `aws_sfn_state_machine` whose definition is known at
 * plan time. The offline provider configuration points its `sfn` endpoint here. The definition is
 * checked locally with asl-validator (a dev dependency) when it is installed, else only parsed as JSON;
 * any other request is answered with an error that names it, so an unexpected API call fails the plan
 * at once instead of waiting for the network.
 */
export interface SfnStub {
  readonly url: string;
  /** Operations received, e.g. `ValidateStateMachineDefinition`. */
  readonly calls: string[];
  close(): Promise<void>;
}

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };

function loadAslValidator(): AslValidator | undefined {
  try {
    return require('asl-validator') as AslValidator;
  } catch {
    return undefined;
  }
}

export function validateDefinition(definition: string, validator = loadAslValidator()): { result: 'OK' | 'FAIL'; diagnostics: { severity: string; code: string; message: string }[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (e) {
    return { result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: `not JSON: ${(e as Error).message}` }] };
  }
  const text = aslText(parsed);
  if (validator && !validAslDefinitions.has(text)) {
    const report = validator(parsed);
    if (!report.isValid) {
      return { result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: `asl-validator (offline plan): ${report.errorsText('; ')}` }] };
    }
    validAslDefinitions.add(text);
  }
  return { result: 'OK', diagnostics: [] };
}

export async function startSfnStub(): Promise<SfnStub> {
  const calls: string[] = [];
  const validator = loadAslValidator();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.split('.').pop() ?? target;
      calls.push(operation || `${req.method} ${req.url}`);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      if (operation !== 'ValidateStateMachineDefinition') {
        reply(400, { __type: 'UnsupportedOperation', message: `offline plan: Step Functions ${operation || req.url} is not available without AWS` });
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { definition?: string };
        reply(200, { ...validateDefinition(body.definition ?? '', validator), truncated: false });
      } catch (e) {
        reply(400, { __type: 'ValidationException', message: `offline plan: bad request: ${(e as Error).message}` });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

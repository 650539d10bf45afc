import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { estateFor, exampleInput, tempDir } from '../../helpers/synth';
import { FSX_DIRECTORY_ID, FSX_SVM_ID, fsxInput } from '../../helpers/fsx';

interface RunbookContent {
  parameters: Record<string, { type: string; default?: string; description?: string }>;
  mainSteps: { name: string; inputs: { Parameters: { commands: string[] } } }[];
}

function runbookOf(input: unknown): RunbookContent {
  const out = JSON.parse(Testing.synth(estateFor(input).dr));
  const [document] = Object.values(out.resource.aws_ssm_document) as { content: string }[];
  return JSON.parse(document.content);
}

const commandsOf = (content: RunbookContent) => content.mainSteps[0].inputs.Parameters.commands;

/**
 * Runs the runbook's shell script as AWS-RunShellScript would, with `mount`, `mountpoint` and
 * `timeout` replaced by stubs that log their arguments: `mountpoint` answers "mounted" for the
 * directories listed in `mounted`, `timeout` (the TCP 445 check) exits with `reachable ? 0 : 1`.
 */
function runScript(commands: string[], parameters: Record<string, string>, opts: { mounted?: string[]; reachable?: boolean; mountFails?: boolean } = {}) {
  const dir = tempDir('runbook-');
  const root = path.join(dir, 'mnt');
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'calls.log');
  fs.mkdirSync(bin);
  fs.writeFileSync(log, '');
  const mountedFile = path.join(dir, 'mounted');
  fs.writeFileSync(mountedFile, (opts.mounted ?? []).map((d) => path.join(root, d)).join('\n') + '\n');
  const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  stub('mount', `echo "mount $*" >> '${log}'; exit ${opts.mountFails ? 32 : 0}`);
  stub('mountpoint', `grep -qxF "$2" '${mountedFile}'`);
  stub('timeout', `echo "timeout $*" >> '${log}'; exit ${opts.reachable === false ? 1 : 0}`);
  const values: Record<string, string> = { MountRoot: root, FileSystemArns: '[]', FsxFileSystems: '[]', StartCommand: `echo "start" >> '${log}'`, ...parameters };
  const script = commands.map((line) => line.replace(/\{\{ (\w+) \}\}/g, (_m, name: string) => values[name])).join('\n');
  let status = 0;
  let stderr = '';
  try {
    execFileSync('bash', ['-c', script], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    status = (e as { status: number }).status;
    stderr = String((e as { stderr: Buffer }).stderr);
  }
  const calls = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split(root).join('<root>'));
  return { status, stderr, calls };
}

describe('connect runbook without FSx (the example)', () => {
  const content = runbookOf(exampleInput());

  it('has no FSx parameter and no FSx lines', () => {
    expect(Object.keys(content.parameters)).toEqual(['AutomationAssumeRole', 'Workload', 'StartCommand', 'MountRoot', 'FileSystemArns']);
    expect(commandsOf(content).join('\n')).not.toMatch(/lustre|FsxFileSystems|cifs|445/);
  });
});

describe('connect runbook of a workload backing up FSx', () => {
  const content = runbookOf(fsxInput({ windowsDirectoryId: FSX_DIRECTORY_ID, ontapStorageVirtualMachineId: FSX_SVM_ID }));
  const commands = commandsOf(content);
  const LUSTRE = 'LUSTRE|fs-0123456789abcdef0|fs-0123456789abcdef0.fsx.ap-northeast-1.amazonaws.com|abcdefgh';
  const ONTAP = 'ONTAP|fsvol-0123456789abcdef0|svm-0123456789abcdef0.fs-0fedcba9876543210.fsx.ap-northeast-1.amazonaws.com|/shop_data_dr_0a1b2c3d';
  const WINDOWS = 'WINDOWS|fs-0aaaaaaaaaaaaaaaa|amznfsxabcd1234.corp.example.com|-';

  it('takes the FSx file systems as a JSON list parameter, empty by default', () => {
    expect(content.parameters.FsxFileSystems).toEqual({ type: 'String', default: '[]', description: expect.stringContaining('"<TYPE>|<id>|<DNS name>|<path>"') });
    // The EFS part and the start command are as before, the FSx part between them.
    expect(commands[0]).toBe('set -euo pipefail');
    expect(commands[commands.length - 1]).toBe('{{ StartCommand }}');
    expect(commands.join('\n')).not.toContain('${');
  });

  it('mounts Lustre with the mount name and ONTAP over NFS at the junction path, under MountRoot/<id>, then starts the application', () => {
    const r = runScript(commands, { FsxFileSystems: JSON.stringify([LUSTRE, ONTAP]) });
    expect(r).toEqual({
      status: 0,
      stderr: '',
      calls: [
        'mount -t lustre -o relatime,flock fs-0123456789abcdef0.fsx.ap-northeast-1.amazonaws.com@tcp:/abcdefgh <root>/fs-0123456789abcdef0',
        'mount -t nfs svm-0123456789abcdef0.fs-0fedcba9876543210.fsx.ap-northeast-1.amazonaws.com:/shop_data_dr_0a1b2c3d <root>/fsvol-0123456789abcdef0',
        'start',
      ],
    });
  });

  it('skips what is already mounted (a re-run)', () => {
    const r = runScript(commands, { FsxFileSystems: JSON.stringify([LUSTRE, ONTAP]) }, { mounted: ['fs-0123456789abcdef0'] });
    expect(r.calls).toEqual(['mount -t nfs svm-0123456789abcdef0.fs-0fedcba9876543210.fsx.ap-northeast-1.amazonaws.com:/shop_data_dr_0a1b2c3d <root>/fsvol-0123456789abcdef0', 'start']);
  });

  it('does not mount a Windows File Server share (credentials): checks it answers on TCP 445, and fails before the start command when it does not', () => {
    const ok = runScript(commands, { FsxFileSystems: JSON.stringify([WINDOWS]) });
    expect(ok.calls).toEqual(['timeout 10 bash -c exec 3<>/dev/tcp/amznfsxabcd1234.corp.example.com/445', 'start']);
    expect(ok.calls.join('\n')).not.toMatch(/cifs/);
    const down = runScript(commands, { FsxFileSystems: JSON.stringify([WINDOWS]) }, { reachable: false });
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('FSx for Windows File Server fs-0aaaaaaaaaaaaaaaa: amznfsxabcd1234.corp.example.com does not answer on TCP 445 (SMB)');
    expect(down.calls).not.toContain('start');
  });

  it('mounts nothing for an empty list (the default), and stops before the start command when a mount fails', () => {
    expect(runScript(commands, {}).calls).toEqual(['start']);
    const failed = runScript(commands, { FsxFileSystems: JSON.stringify([LUSTRE]) }, { mountFails: true });
    expect(failed.status).toBe(32);
    expect(failed.calls).toEqual([expect.stringMatching(/^mount -t lustre /)]);
  });
});

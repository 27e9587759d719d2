import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';

// Issue 16 items 12 and 13: the demo as a new user runs it — in a real process, its output piped (not a terminal).
// It must print the data dir and the environment for a CLI beside it, call its password a demo password, keep
// its stdout free of log lines (logs go to stderr, as JSON when not a terminal), and audit its own setup.
const ENV = {
  ...process.env,
  GATEHOUSE_LOG_LEVEL: 'info',
  GATEHOUSE_MASTER_KEY: '',
  GATEHOUSE_DATABASE_URL: '',
  GATEHOUSE_DATA_DIR: '',
  GATEHOUSE_LOG_FORMAT: '',
};

function gatehouse(args: string[], env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8', env });
}

describe('gatehouse demo, beside the CLI (issue 16 item 12)', () => {
  let child: ChildProcess | undefined;
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints the URL, a demo password, the data dir and the environment; the CLI works beside it; Ctrl-C cleans up', async () => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'demo', '--port', '0', '--users', '25', '--groups', '3'],
      { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
    const started = Date.now();
    while (!stdout.includes('Press Ctrl-C to stop.')) {
      if (child.exitCode !== null) assert.fail(`the demo exited early:\n${stdout}\n${stderr}`);
      if (Date.now() - started > 180_000) assert.fail(`the demo did not start:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const url = /gatehouse demo is running: (\S+)/.exec(stdout)?.[1];
    const password = /password\s+(\S+)\s+\(a demo password for this run/.exec(stdout)?.[1];
    const dataDir = /export GATEHOUSE_DATA_DIR=(\S+)/.exec(stdout)?.[1];
    assert.ok(url && password && dataDir, stdout);
    assert.match(stdout, /Data dir\s+\S+\s+\(removed on exit; --keep keeps it\)/);
    assert.doesNotMatch(stdout, /one-time/, 'the password is not called one-time: it can be used again');
    assert.doesNotMatch(stdout, /^\{/m, 'no log line on stdout');
    // Not a terminal: every log line on stderr is JSON (a collector can read them); the notes are plain lines.
    for (const line of stderr.split('\n').filter((l) => l.startsWith('{'))) JSON.parse(line);

    // The CLI beside the running demo: only GATEHOUSE_DATA_DIR is needed (the key is in the data dir).
    const status = gatehouse(['sync', 'status', 'MS EntraID', '--json'], { ...ENV, GATEHOUSE_DATA_DIR: dataDir });
    assert.equal(status.status, 0, status.stderr);
    assert.ok(JSON.parse(status.stdout).lastSyncedAt, 'the CLI sees the demo’s first sync');
    // Logs for a person when asked (the default on a terminal): readable lines, no JSON.
    const pretty = gatehouse(['connections', 'test', 'MS EntraID', '--log-format', 'pretty'], {
      ...ENV,
      GATEHOUSE_DATA_DIR: dataDir,
    });
    assert.equal(pretty.status, 0, pretty.stderr);
    assert.match(
      pretty.stderr,
      /^\d{2}:\d{2}:\d{2} INFO {2}doctor: connection tested connection="MS EntraID" ok=true/m,
    );
    assert.doesNotMatch(pretty.stderr, /^\{/m);
    const wrong = gatehouse(['sync', 'status', 'MS EntraID', '--log-format', 'xml'], {
      ...ENV,
      GATEHOUSE_DATA_DIR: dataDir,
    });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /not pretty or json/);

    // The demo's own setup is in the audit log, and the demo password works (again: it is not one-time).
    for (let attempt = 0; attempt < 2; attempt++) {
      const login: Response = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      assert.equal(login.status, 200, `login ${attempt + 1}`);
      if (attempt === 1) {
        const cookie = login.headers
          .getSetCookie()
          .map((c: string) => c.split(';')[0])
          .join('; ');
        const audit = (await (await fetch(`${url}/api/v1/audit?actor=demo`, { headers: { cookie } })).json()) as {
          action: string;
        }[];
        assert.deepEqual(audit.map((e) => e.action).sort(), ['account.create', 'connection.create', 'sync.run']);
      }
    }

    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.equal(existsSync(dataDir), false, 'the data dir is removed on exit');
  });

  it('a port in use is said in words, not as INTERNAL', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = gatehouse(['demo', '--port', String(port), '--users', '5', '--groups', '1'], {
        ...ENV,
        GATEHOUSE_LOG_LEVEL: 'silent',
      });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /error USAGE_ERROR: Port \d+ is already in use/);
      assert.match(result.stderr, /hint: .*--port/);
    } finally {
      blocker.close();
    }
  });
});

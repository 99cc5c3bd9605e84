/**
 * `correct` and `retry` where they answer before any Temporal call: bad input is exit 2 naming the
 * field and its flag, and nothing is sent (no Temporal is running here: a connection attempt would be
 * exit 5). The end-to-end paths against the dev server are in attention-e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliInProcess } from './run-cli';

// A port nothing listens on: should a command try to connect, it exits 5, not 2.
const offline = ['--address', '127.0.0.1:1', '--connect-timeout', '1'];

describe('staffbase-lifecycle correct / retry: input checks', () => {
  it('correct names every bad field with its flag and sends nothing', async () => {
    const run = await cliInProcess([
      'correct',
      'emp-1',
      '--email',
      'not-an-email',
      '--locale',
      'German',
      ...offline,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /Invalid correction/);
    assert.match(run.stderr, /email \(--email\): must be an email address/);
    assert.match(run.stderr, /locale \(--locale\)/);
  });

  it('correct without any field asks for one, naming the flags', async () => {
    const run = await cliInProcess(['correct', 'emp-1', '--json', ...offline]);
    assert.equal(run.code, 2, run.stderr);
    const { error } = JSON.parse(run.stdout) as { error: { kind: string; problems: { message: string }[] } };
    assert.equal(error.kind, 'invalid-input');
    assert.match(error.problems[0]?.message ?? '', /at least one field/);
    assert.match(run.stderr, /--user-name/);
  });

  it('retry needs an externalID or --all (not both); --code, --dry-run go with --all only', async () => {
    for (const [args, pattern] of [
      [['retry'], /give an externalID, or --all/],
      [['retry', 'emp-1', '--all'], /not both/],
      [['retry', 'emp-1', '--code', 'auth'], /--code: goes with --all only/],
      [['retry', 'emp-1', '--dry-run'], /--dry-run: goes with --all only/],
      [['retry', '--all', '--concurrency', '99'], /--concurrency: must be at most 32/],
    ] as const) {
      const run = await cliInProcess([...args, ...offline]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern, args.join(' '));
    }
    const badCode = await cliInProcess(['retry', '--all', '--code', 'tokens', ...offline]);
    assert.equal(badCode.code, 2);
    assert.match(badCode.stderr, /Allowed choices are conflict, validation, not-found, auth/);
  });

  it('documents both commands in --help', async () => {
    const correct = await cliInProcess(['correct', '--help']);
    assert.equal(correct.code, 0);
    for (const flag of ['--user-name', '--email', '--first-name', '--last-name', '--group', '--locale']) {
      assert.ok(correct.stdout.includes(flag), flag);
    }
    const retry = await cliInProcess(['retry', '--help']);
    assert.match(retry.stdout, /--all/);
    assert.match(retry.stdout, /--code <code>/);
    assert.match(retry.stdout, /--dry-run/);
    const list = await cliInProcess(['--help']);
    assert.match(list.stdout, /correct/);
    assert.match(list.stdout, /retry/);
  });
});

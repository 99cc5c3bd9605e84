import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { listRuns } from '../../../client/run-list';
import { defaultBulkSafetyConfig } from '../../../config/bulk-safety';
import { type BulkOutcome, type BulkProgress, bulkProgressQuery } from '../../../workflows/support-messages';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { offboardingStatusQuery, type OffboardingOutcome } from '../../../workflows/offboarding-messages';
import { onboardingStatusQuery, type OnboardingOutcome } from '../../../workflows/onboarding-messages';
import { patchRegister } from '../../../workflows/patches';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { newHire } from '../../helpers/people';
import { waitFor } from '../../helpers/waiting';
import { openStore } from '../../../store';
import { cli, cliInProcess, cliTestStoreFile, jsonOf } from './run-cli';

const commands = [
  'onboard',
  'activated',
  'start-date',
  'offboard',
  'delete-now',
  'hold',
  'release',
  'retention',
  'cancel',
  'status',
  'list',
  'correct',
  'retry',
  'import',
  'logout',
  'recovery-code',
  'change',
  'confirm',
  'patches',
];

/** The last audit line a CLI command wrote on stderr. */
function auditLineOf(stderr: string): Record<string, unknown> {
  const line = stderr
    .split('\n')
    .filter((text) => text.includes('"audit":true'))
    .at(-1);
  return JSON.parse(line ?? '{}') as Record<string, unknown>;
}

describe('staffbase-lifecycle CLI (spawned processes against the dev server)', () => {
  let stack: LifecycleTestStack;
  let address: string;
  const run = (args: string[], options: { stdin?: string } = {}) => cli(args, { address, ...options });
  const handleOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);
  const exists = async (workflowId: string) => {
    try {
      await handleOf(workflowId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  };
  const onboardArgs = (hire: ReturnType<typeof newHire>) => [
    'onboard',
    hire.externalID,
    '--user-name',
    hire.userName,
    '--first-name',
    hire.firstName,
    '--last-name',
    hire.lastName,
    '--email',
    hire.email,
  ];

  before(async () => {
    // The workers' own threshold: a population logout of more than 2 users waits for `confirm`.
    stack = await startLifecycleTestStack({
      server: 'dev-server',
      bulkSafety: { ...defaultBulkSafetyConfig, logoutConfirmAbove: 2 },
    });
    address = stack.env.address;
  });
  after(async () => {
    await stack?.terminateLeftoverRuns();
    await stack?.close();
  });

  it('has --help on the program and every command, with the exit codes', async () => {
    const spawned = await cli(['--help']);
    assert.equal(spawned.code, 0, spawned.stderr);
    for (const command of commands) assert.match(spawned.stdout, new RegExp(`\\n  ${command} `));
    assert.match(spawned.stdout, /Exit codes:[\s\S]*5 {2}Temporal unreachable/);
    // It talks to Temporal directly: its help says that whoever runs it holds the admin role.
    assert.match(spawned.stdout, /Whoever runs this CLI holds the admin \(support\) role/);
    for (const command of commands) {
      const help = await cliInProcess([command, '--help']);
      assert.equal(help.code, 0, `${command}: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`Usage: staffbase-lifecycle ${command} `));
      assert.match(help.stdout, /--json/, `${command} shows the global --json option`);
    }
    assert.match((await cliInProcess(['import', '--help'])).stdout, /profile\.<field>/);
    const usage = await cliInProcess(['frobnicate']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown command 'frobnicate'/);
  });

  it('exits 5 with a clear message when Temporal is unreachable', async () => {
    const [human, json] = await Promise.all([
      cli(['status', 'emp-x', '--connect-timeout', '1'], { address: '127.0.0.1:1' }),
      cli(['--json', 'list', '--connect-timeout', '1', '--address', '127.0.0.1:1']),
    ]);
    assert.equal(human.code, 5, human.stderr);
    assert.match(human.stderr, /Temporal is not reachable .*TEMPORAL_ADDRESS/);
    assert.equal(json.code, 5, json.stderr);
    assert.equal(jsonOf<{ error: { kind: string } }>(json).error.kind, 'temporal-unreachable');
  });

  it('patches: every registered patch with its open runs lacking it; a bad --patch or time is exit 2', async () => {
    const [all, unknown, badTime] = await Promise.all([
      run(['patches', '--json']),
      run(['patches', '--patch', 'no-such-patch']),
      run(['patches', '--started-before', 'yesterday']),
    ]);
    assert.equal(all.code, 0, all.stderr);
    const rows = jsonOf<{ patches: { id: string; lackingRuns: number; mayDeprecate: boolean }[] }>(
      all,
    ).patches;
    assert.deepEqual(
      rows.map((row) => row.id),
      patchRegister.map((entry) => entry.id),
    );
    for (const row of rows) assert.equal(row.mayDeprecate, row.lackingRuns === 0, row.id);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /Not in the patch register.*no-such-patch/);
    assert.equal(badTime.code, 2, badTime.stderr);
    assert.match(badTime.stderr, /--started-before.*ISO 8601/);
  });

  it('rejects invalid input with exit 2, naming each field, and starts nothing', async () => {
    const hire = newHire({ email: 'not-an-email' });
    const args = onboardArgs(hire).filter(
      (arg, i, all) => arg !== '--last-name' && all[i - 1] !== '--last-name',
    );
    const [human, json, fromStdin, badDate, badDays, badConfig] = await Promise.all([
      run(args),
      run([...args, '--json']),
      run(['onboard', '--from-json', '-', '--json'], {
        stdin: JSON.stringify({ ...newHire(), locale: 'German', extra: 1 }),
      }),
      run(['start-date', hire.externalID, '15.01.2027']),
      run(['retention', hire.externalID, '--days', 'soon']),
      cli(['offboard', 'emp-y'], { address, env: { OFFBOARDING_RETENTION_DAYS: 'forever' } }),
    ]);
    assert.equal(human.code, 2, human.stderr);
    assert.match(human.stderr, /Invalid onboarding request/);
    assert.match(human.stderr, /email \(--email\): must be an email address/);
    assert.match(human.stderr, /lastName \(--last-name\): is required/);
    assert.equal(json.code, 2);
    const error = jsonOf<{ error: { kind: string; problems: { field: string }[] } }>(json).error;
    assert.equal(error.kind, 'invalid-input');
    assert.deepEqual(error.problems.map((problem) => problem.field).sort(), ['email', 'lastName']);
    assert.equal(fromStdin.code, 2);
    assert.deepEqual(
      jsonOf<{ error: { problems: { field: string; message: string }[] } }>(fromStdin).error.problems,
      [
        { field: 'locale', message: 'must look like en_US or de' },
        { field: '(input)', message: 'unknown field(s): extra' },
      ],
    );
    assert.equal(badDate.code, 2);
    assert.match(badDate.stderr, /startDate \(<date>\): must be a date in the form YYYY-MM-DD/);
    assert.equal(badDays.code, 2);
    assert.match(badDays.stderr, /--days <days>.*must be a whole number/);
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /OFFBOARDING_RETENTION_DAYS must be a whole number/);
    assert.equal(await exists(lifecycleWorkflowId('onboarding', hire.externalID)), false);
    assert.equal(await exists(lifecycleWorkflowId('offboarding', 'emp-y')), false);
  });

  it('onboards once (a repeat reports the open run), shows status, lists by stage, and cancels', async () => {
    const hire = newHire();
    const workflowId = lifecycleWorkflowId('onboarding', hire.externalID);
    await stack.runWorkers(async () => {
      const first = await run([...onboardArgs(hire), '--group', 'sales', '--profile', 'department=Sales']);
      assert.equal(first.code, 0, first.stderr);
      assert.match(
        first.stdout,
        new RegExp(`Started the onboarding of ${hire.externalID} \\(workflow ${workflowId}`),
      );
      stack.track({ workflowId });

      const again = await run([...onboardArgs(hire), '--json']);
      assert.equal(again.code, 0, again.stderr);
      const repeated = jsonOf<{ status: string; workflowId: string; externalID: string }>(again);
      assert.equal(repeated.status, 'already-running');
      assert.equal(repeated.workflowId, workflowId);

      await waitFor(
        () => handleOf(workflowId).query(onboardingStatusQuery),
        (status) => status.stage === 'awaiting-activation',
        { what: 'awaiting-activation' },
      );
      // Visibility is eventually consistent: wait until the stage is indexed, then ask the CLI.
      await waitFor(
        () => listRuns(stack.env.client, { lifecycle: 'onboarding', stage: 'awaiting-activation' }),
        (runs) => runs.some((r) => r.workflowId === workflowId),
        { what: 'the run in visibility' },
      );

      const [status, statusJson, list, listJson, otherStage] = await Promise.all([
        run(['status', hire.externalID]),
        run(['status', hire.externalID, '--json']),
        run(['list', '--stage', 'awaiting-activation']),
        run(['list', '--lifecycle', 'onboarding', '--stage', 'awaiting-activation', '--json']),
        run(['list', '--stage', 'on-hold', '--json']),
      ]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /onboarding {2}RUNNING {2}stage awaiting-activation/);
      assert.match(status.stdout, /offboarding none/);
      const person = jsonOf<{ onboarding: { status: { stage: string; staffbaseUserId?: string } } }>(
        statusJson,
      );
      assert.equal(person.onboarding.status.stage, 'awaiting-activation');
      assert.ok(person.onboarding.status.staffbaseUserId);

      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, new RegExp(`onboarding +${hire.externalID} +awaiting-activation +RUNNING`));
      assert.match(list.stdout, /Temporal UI .*LifecycleStage = 'awaiting-activation'/);
      const listed = jsonOf<{
        query: string;
        runs: { workflowId: string; externalID: string; stage: string }[];
      }>(listJson);
      assert.equal(
        listed.query,
        "WorkflowType = 'onboarding' AND LifecycleStage = 'awaiting-activation' AND ExecutionStatus = 'Running'",
      );
      assert.deepEqual(
        listed.runs.find((r) => r.workflowId === workflowId),
        listed.runs.find((r) => r.externalID === hire.externalID && r.stage === 'awaiting-activation'),
      );
      assert.ok(listed.runs.some((r) => r.workflowId === workflowId));
      assert.ok(
        !jsonOf<{ runs: { workflowId: string }[] }>(otherStage).runs.some((r) => r.workflowId === workflowId),
      );

      const cancel = await run(['cancel', hire.externalID, '--reason', 'offer withdrawn']);
      assert.equal(cancel.code, 0, cancel.stderr);
      assert.match(cancel.stdout, /Cancelled the onboarding/);
      // Each act writes its audit line on stderr, via the CLI, with the run and no name or email.
      for (const [output, event, outcome] of [
        [first, 'onboarding-started', 'started'],
        [again, 'onboarding-started', 'already-running'],
        [cancel, 'onboarding-cancelled', 'signalled'],
      ] as const) {
        const line = auditLineOf(output.stderr);
        assert.deepEqual(
          [line.event, line.externalID, line.workflowId, line.via, line.outcome],
          [event, hire.externalID, workflowId, 'cli', outcome],
        );
        assert.doesNotMatch(output.stderr, new RegExp(`${hire.lastName}|${hire.email}`));
      }
      const outcome = (await handleOf(workflowId).result()) as OnboardingOutcome;
      assert.equal(outcome.result, 'cancelled');
    });

    const [cancelAgain, finalStatus, unknown] = await Promise.all([
      run(['cancel', hire.externalID, '--json']),
      run(['status', hire.externalID, '--json']),
      run(['status', 'nobody-here']),
    ]);
    assert.equal(cancelAgain.code, 3);
    assert.equal(jsonOf<{ error: { kind: string } }>(cancelAgain).error.kind, 'not-found');
    assert.equal(finalStatus.code, 0);
    const state = jsonOf<{ onboarding: { runStatus: string; outcome: { result: string } } }>(finalStatus);
    assert.equal(state.onboarding.runStatus, 'COMPLETED');
    assert.equal(state.onboarding.outcome.result, 'cancelled');
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /No onboarding or offboarding run for externalID "nobody-here"/);
  });

  it('offboards sooner than the policy (the CLI holds the admin role) and audits it', async () => {
    const externalID = newHire().externalID;
    const workflowId = lifecycleWorkflowId('offboarding', externalID);
    stack.track({ workflowId });
    const lastWorkingDay = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const started = await run([
      'offboard',
      externalID,
      '--last-working-day',
      lastWorkingDay,
      '--retention-days',
      '0',
      '--requested-by',
      'grace.support',
    ]);
    assert.equal(started.code, 0, started.stderr);
    const audit = JSON.parse(started.stderr.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    assert.equal(audit.event, 'retention-shortened');
    assert.equal(audit.outcome, 'started');
    assert.equal(audit.via, 'cli');
    assert.equal(audit.workflowId, workflowId);
    assert.match(String(audit.reason), /retentionDays sooner than the policy/);
  });

  it('offboards, holds (delete-now refused: exit 4), releases, and deletes now', async () => {
    const leaver = newHire();
    await stack.control.seedUser({
      externalID: leaver.externalID,
      userName: leaver.userName,
      firstName: leaver.firstName,
      lastName: leaver.lastName,
      emails: [{ value: leaver.email, primary: true }],
      status: 'activated',
    });
    const workflowId = lifecycleWorkflowId('offboarding', leaver.externalID);
    await stack.runWorkers(async () => {
      const started = await run(['offboard', leaver.externalID, '--retention-days', '30', '--json']);
      assert.equal(started.code, 0, started.stderr);
      assert.equal(jsonOf<{ status: string }>(started).status, 'started');
      stack.track({ workflowId });
      await waitFor(
        () => handleOf(workflowId).query(offboardingStatusQuery),
        (status) => status.stage === 'retention',
        { what: 'retention' },
      );

      const hold = await run(['hold', leaver.externalID, '--reason', 'case 2027-7']);
      assert.equal(hold.code, 0, hold.stderr);
      assert.match(hold.stdout, /Offboarding of .*LEGAL HOLD since .*: case 2027-7/);

      const refused = await run(['delete-now', leaver.externalID, '--json']);
      assert.equal(refused.code, 4, refused.stderr);
      assert.equal(jsonOf<{ error: { kind: string } }>(refused).error.kind, 'refused');

      const release = await run(['release', leaver.externalID, '--json']);
      assert.equal(release.code, 0, release.stderr);
      assert.equal(jsonOf<{ legalHold?: unknown }>(release).legalHold, undefined);

      const deleted = await run(['delete-now', leaver.externalID, '--requested-by', 'grace.support']);
      assert.equal(deleted.code, 0, deleted.stderr);
      // One audit line on stderr: who asked and which account, no name or email.
      const audit = auditLineOf(deleted.stderr);
      assert.equal(audit.audit, true);
      assert.equal(audit.event, 'delete-now-requested');
      assert.equal(audit.via, 'cli');
      // --requested-by is what the operator says; the OS user is who ran it.
      assert.equal(audit.claimedBy, 'grace.support');
      assert.equal(audit.requestedBy, userInfo().username);
      assert.ok(typeof audit.at === 'string' && Date.parse(audit.at) > 0, 'the line says when');
      assert.equal(audit.externalID, leaver.externalID);
      assert.equal(audit.workflowId, `offboarding-${leaver.externalID}`);
      // And the row in the store, written before the command exited: who (cli + OS user), what, which run.
      const store = await openStore({ kind: 'sqlite', file: cliTestStoreFile });
      try {
        const { rows } = await store.audit.find({
          externalID: leaver.externalID,
          action: 'delete-now-requested',
        });
        assert.equal(rows.length, 1);
        assert.deepEqual(
          [rows[0]?.actor, rows[0]?.runId, rows[0]?.at],
          [{ kind: 'cli', user: userInfo().username }, workflowId, audit.at],
        );
        assert.match(String(rows[0]?.reason), /claimedBy: grace\.support/);
      } finally {
        await store.close();
      }
      const outcome = (await handleOf(workflowId).result()) as OffboardingOutcome;
      assert.equal(outcome.result, 'deleted');
    });
    assert.equal(await stack.control.user(leaver.externalID), undefined);
    const [status, holdAfter] = await Promise.all([
      run(['status', leaver.externalID]),
      run(['hold', leaver.externalID, '--reason', 'too late']),
    ]);
    assert.match(status.stdout, /offboarding COMPLETED .*\n.*result deleted/);
    assert.equal(holdAfter.code, 3);
  });

  it('starts support operations: logout with --wait, and rejects a change without changes', async () => {
    const person = newHire();
    await stack.control.seedUser({
      externalID: person.externalID,
      userName: person.userName,
      emails: [{ value: person.email, primary: true }],
      status: 'activated',
      sessions: 2,
    });
    await stack.runWorkers(async () => {
      const [logout, change, both] = await Promise.all([
        run(['logout', person.externalID, '--wait', '--json']),
        run(['change', person.externalID]),
        run(['logout', person.externalID, '--group', 'g1']),
      ]);
      assert.equal(logout.code, 0, logout.stderr);
      assert.equal(jsonOf<{ outcome: { result: string } }>(logout).outcome.result, 'logged-out');
      assert.equal(change.code, 2);
      assert.match(change.stderr, /give at least one change/);
      assert.equal(both.code, 2);
    });
  });

  it('confirm: the worker’s threshold pauses a logout the CLI started; confirm lets it go on, exit 4 once it is over', async () => {
    const group = `cli-confirm-${process.pid}`;
    for (let i = 0; i < 3; i += 1) {
      const person = newHire();
      await stack.control.seedUser({
        externalID: person.externalID,
        userName: person.userName,
        emails: [{ value: person.email, primary: true }],
        status: 'activated',
        groupIDs: [group],
        sessions: 1,
      });
    }
    await stack.runWorkers(async () => {
      const started = await run(['logout', '--group', group, '--json']);
      assert.equal(started.code, 0, started.stderr);
      const { workflowId } = jsonOf<{ workflowId: string }>(started);
      const waiting = await waitFor(
        () => handleOf(workflowId).query(bulkProgressQuery),
        (progress: BulkProgress) => progress.phase === 'awaiting-confirmation',
        { what: 'the confirmation pause', timeoutMs: 30_000 },
      );
      assert.equal(waiting.confirmAbove, 2, 'the worker’s LOGOUT_CONFIRM_ABOVE, although the CLI sent none');

      const confirmed = await run(['confirm', workflowId, '--json', '--requested-by', 'ops-lead']);
      assert.equal(confirmed.code, 0, confirmed.stderr);
      assert.equal(jsonOf<{ progress: BulkProgress }>(confirmed).progress.confirmed, true);
      const audit = JSON.parse(confirmed.stderr.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      assert.equal(audit.event, 'population-logout-confirmed');
      assert.equal(audit.via, 'cli');
      const outcome = (await handleOf(workflowId).result()) as BulkOutcome;
      assert.equal(outcome.done, 3);

      const late = await run(['confirm', workflowId, '--json']);
      assert.equal(late.code, 4, late.stdout);
      const { error } = jsonOf<{ error: { kind: string; reasonCode?: string; message: string } }>(late);
      assert.equal(error.kind, 'refused');
      assert.equal(error.reasonCode, 'not-awaiting-confirmation');
      assert.match(error.message, /not awaiting a confirmation \(phase completed\)/);
      assert.match(late.stderr, /not awaiting a confirmation/);

      const unknown = await run(['confirm', 'cleanup-deactivated-users']);
      assert.equal(unknown.code, 3, unknown.stderr);
      const notBulk = await cliInProcess(['confirm', 'onboarding-emp-1']);
      assert.equal(notBulk.code, 2);
      assert.match(notBulk.stderr, /workflowId: must be the ID of a population logout or clean-up run/);
    });
  });
});

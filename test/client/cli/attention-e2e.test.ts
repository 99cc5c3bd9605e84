/**
 * needs-attention from HR's side (#14), end to end: the CLI (spawned processes) and the HTTP API
 * against the dev server, real workers and the simulator. A taken userName parks an onboarding;
 * `correct` (CLI and HTTP) makes it create exactly one account and go on; a rotated token parks
 * runs, and `retry` of one person, `retry --all --code auth` and `POST /v1/retries` resume them once
 * the token is back, none failed. A failed run shows its innermost cause.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { listWaitingRuns } from '../../../client/attention-actions';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { type PersonState } from '../../../client/person-state';
import { startOffboarding } from '../../../client/lifecycle-runs';
import { type AttentionAnswer, type AttentionCode } from '../../../lifecycle/attention';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { offboardingStatusQuery } from '../../../workflows/offboarding-messages';
import { onboardingStatusQuery } from '../../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../../helpers/people';
import { TEST_TOKEN } from '../../helpers/simulator';
import { waitFor } from '../../helpers/waiting';
import { cli, jsonOf } from './run-cli';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = `hr-key-${randomBytes(16).toString('hex')}`;
const ADMIN_KEY = `support-key-${randomBytes(16).toString('hex')}`;

describe('needs-attention: correct and retry through the CLI and the HTTP API', () => {
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  useLifecycleTestStack(
    { server: 'dev-server', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );
  before(async () => {
    api = await startHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      adminApiKey: ADMIN_KEY,
      port: 0,
    });
  });
  after(async () => {
    await api?.close();
  });

  const run = (args: string[]) => cli(args, { address: stack.env.address });
  const handleOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);
  const onboardingOf = (externalID: string) =>
    handleOf(lifecycleWorkflowId('onboarding', externalID)).query(onboardingStatusQuery);
  const offboardingOf = (externalID: string) =>
    handleOf(lifecycleWorkflowId('offboarding', externalID)).query(offboardingStatusQuery);
  const parked = (status: () => Promise<{ stage: string; attention?: { code: string } }>, what: string) =>
    waitFor(status, (current) => current.stage === 'needs-attention', { what, timeoutMs: 60_000 });
  /** The runs visibility finds waiting on `code` (the search attribute may lag the status query). */
  const foundWaiting = (code: AttentionCode, externalIDs: string[]) =>
    waitFor(
      () => listWaitingRuns(stack.env.client, { code }),
      (runs) => externalIDs.every((id) => runs.some((found) => found.externalID === id)),
      { what: `${externalIDs.join(', ')} listed as waiting on ${code}`, timeoutMs: 30_000 },
    );
  const accountsOf = async (externalID: string) =>
    (await stack.control.effects()).filter(
      (effect) => effect.kind === 'created' && effect.externalID === externalID,
    ).length;

  async function http<T>(method: 'GET' | 'POST', path: string, body?: unknown, key = KEY) {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function seedTaken(userName: string): Promise<void> {
    await stack.control.seedUser({
      externalID: `someone-else-${uniqueSuffix()}`,
      userName,
      firstName: 'Other',
      lastName: 'Person',
      emails: [{ value: `${userName}@other.example.test`, primary: true }],
    });
  }

  it('CLI: a taken userName waits in needs-attention; `correct` creates exactly one account', async () => {
    const id = uniqueSuffix();
    await seedTaken(`taken.${id}`);
    const hire = newHire({ userName: `taken.${id}` });
    const started = await run([
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
    ]);
    assert.equal(started.code, 0, started.stderr);
    stack.track({ workflowId: lifecycleWorkflowId('onboarding', hire.externalID) });
    const waiting = await parked(() => onboardingOf(hire.externalID), 'onboarding parked');
    assert.equal(waiting.attention?.code, 'conflict');

    const status = await run(['status', hire.externalID]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /stage needs-attention/);
    assert.match(status.stdout, /NEEDS ATTENTION since .*: conflict on userName at step create-account/);
    assert.match(status.stdout, new RegExp(`^${hire.externalID} \\(Ada Lovelace\\)`), 'the name, decrypted');
    await foundWaiting('conflict', [hire.externalID]);
    const list = jsonOf<{ runs: { externalID: string }[] }>(
      await run(['list', '--stage', 'needs-attention', '--json']),
    );
    assert.ok(list.runs.some((listed) => listed.externalID === hire.externalID));

    // Bad input: exit 2, nothing sent, the run keeps waiting.
    const bad = await run(['correct', hire.externalID, '--email', 'not-an-email']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /email \(--email\): must be an email address/);
    assert.equal((await onboardingOf(hire.externalID)).stage, 'needs-attention');

    const corrected = await run(['correct', hire.externalID, '--user-name', `free.${id}`, '--json']);
    assert.equal(corrected.code, 0, corrected.stderr);
    const answer = jsonOf<AttentionAnswer & { action: string }>(corrected);
    assert.equal(answer.result, 'resolved');
    assert.equal(answer.stage, 'awaiting-activation');
    assert.equal(await accountsOf(hire.externalID), 1, 'exactly one account created');
    assert.equal((await stack.control.user(hire.externalID))?.userName, `free.${id}`);

    // Nothing waits any more: a second correction or a retry is refused (exit 4), changing nothing.
    const again = await run(['correct', hire.externalID, '--user-name', `other.${id}`]);
    assert.equal(again.code, 4, again.stderr);
    const retry = await run(['retry', hire.externalID, '--json']);
    assert.equal(retry.code, 4, retry.stdout);
    assert.equal(jsonOf<{ error: { reasonCode: string } }>(retry).error.reasonCode, 'NotNeedingAttention');
    assert.equal((await stack.control.user(hire.externalID))?.userName, `free.${id}`);
  });

  it('HTTP: the person shows the reason; a correction still taken says so, a free one resolves', async () => {
    const id = uniqueSuffix();
    await seedTaken(`taken.${id}`);
    await seedTaken(`also-taken.${id}`);
    const hire = newHire({ userName: `taken.${id}` });
    const started = await http<{ workflowId: string }>('POST', '/v1/onboardings', hire);
    assert.equal(started.status, 202);
    stack.track(started.body);
    await parked(() => onboardingOf(hire.externalID), 'onboarding parked');

    const person = await http<PersonState>('GET', `/v1/people/${hire.externalID}`);
    assert.equal(person.status, 200);
    assert.equal(person.body.name, 'Ada Lovelace');
    assert.equal(person.body.onboarding?.status?.stage, 'needs-attention');
    assert.equal(person.body.onboarding?.status?.attention?.field, 'userName');

    const invalid = await http<{ problems: { field: string }[] }>(
      'POST',
      `/v1/onboardings/${hire.externalID}/correction`,
      { userName: '' },
    );
    assert.equal(invalid.status, 400);
    assert.deepEqual(
      invalid.body.problems.map((problem) => problem.field),
      ['userName'],
    );

    const stillTaken = await http<AttentionAnswer>('POST', `/v1/onboardings/${hire.externalID}/correction`, {
      userName: `also-taken.${id}`,
    });
    assert.equal(stillTaken.status, 200);
    assert.equal(stillTaken.body.result, 'still-needs-attention');
    assert.equal(stillTaken.body.attention?.field, 'userName');
    assert.equal(await accountsOf(hire.externalID), 0);

    const resolved = await http<AttentionAnswer>('POST', `/v1/onboardings/${hire.externalID}/correction`, {
      userName: `free.${id}`,
    });
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.result, 'resolved');
    assert.equal(await accountsOf(hire.externalID), 1, 'exactly one account created');

    const refused = await http<{ error: string; reason: string }>(
      'POST',
      `/v1/people/${hire.externalID}/retry`,
      {},
    );
    assert.equal(refused.status, 409);
    assert.equal(refused.body.reason, 'NotNeedingAttention');
    const unknown = await http<{ error: string }>('POST', `/v1/people/nobody-${id}/retry`, {});
    assert.equal(unknown.status, 404);
  });

  it('a rotated token parks runs; once it is back, retry (one person, --all --code auth, HTTP) resumes all', async () => {
    const id = uniqueSuffix();
    const leaver = `leaver-${id}`;
    await stack.control.seedUser({
      externalID: leaver,
      userName: `leaver.${id}`,
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ value: `leaver.${id}@example.test`, primary: true }],
      status: 'activated',
      sessions: 1,
    });
    // One run waits on something else: a userName taken by another account.
    await seedTaken(`taken.${id}`);
    const conflicted = newHire({ userName: `taken.${id}` });
    stack.track((await http<{ workflowId: string }>('POST', '/v1/onboardings', conflicted)).body);
    await parked(() => onboardingOf(conflicted.externalID), 'conflicted onboarding parked');
    await stack.control.setAcceptedToken(`rotated-${id}`);
    const deleteAt = new Date(Date.now() + 24 * 3600_000).toISOString();
    stack.track(
      await startOffboarding(stack.env.client, { externalID: leaver, deleteAt }, offboardingPolicy()),
    );
    const joiners = [newHire(), newHire(), newHire()];
    for (const joiner of joiners) {
      const started = await http<{ workflowId: string }>('POST', '/v1/onboardings', joiner);
      assert.equal(started.status, 202);
      stack.track(started.body);
    }
    await parked(() => offboardingOf(leaver), 'offboarding parked');
    for (const joiner of joiners) await parked(() => onboardingOf(joiner.externalID), 'onboarding parked');
    const everyone = [leaver, ...joiners.map((joiner) => joiner.externalID)];
    await foundWaiting('auth', everyone);

    // A dry run lists them and retries nothing.
    const dry = await run(['retry', '--all', '--code', 'auth', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    const dryRun = jsonOf<{ dryRun: boolean; found: number; runs: { externalID: string; result: string }[] }>(
      dry,
    );
    assert.equal(dryRun.dryRun, true);
    for (const externalID of everyone) {
      assert.equal(dryRun.runs.find((listed) => listed.externalID === externalID)?.result, 'would-retry');
    }
    // Still refused while the token is wrong: the answer says so, exit 4, and the run waits on.
    const early = await run(['retry', joiners[0]?.externalID ?? '', '--json']);
    assert.equal(early.code, 4, early.stderr);
    const earlyAnswer = jsonOf<{ retried: { answer: AttentionAnswer }[] }>(early);
    assert.equal(earlyAnswer.retried[0]?.answer.result, 'still-needs-attention');
    assert.equal(earlyAnswer.retried[0]?.answer.attention?.code, 'auth');
    // The bulk route is for the support key only.
    assert.equal((await http('POST', '/v1/retries', { code: 'auth' })).status, 403);

    await stack.control.setAcceptedToken(TEST_TOKEN);
    // One person over HTTP (whichever of their runs waits) …
    const one = await http<{ retried: (AttentionAnswer & { lifecycle: string })[] }>(
      'POST',
      `/v1/people/${joiners[2]?.externalID}/retry`,
    );
    assert.equal(one.status, 200);
    assert.deepEqual(
      one.body.retried.map((retried) => [retried.lifecycle, retried.result]),
      [['onboarding', 'resolved']],
    );
    // … one in bulk over HTTP …
    const viaApi = await http<{
      found: number;
      resolved: number;
      runs: { externalID: string; result: string }[];
    }>('POST', '/v1/retries', { code: 'auth', dryRun: true }, ADMIN_KEY);
    assert.equal(viaApi.status, 200);
    assert.ok(viaApi.body.runs.every((listed) => listed.result === 'would-retry'));
    // … and the rest in one command, with progress and a summary; the conflict is not touched.
    const bulk = await run(['retry', '--all', '--code', 'auth']);
    assert.equal(bulk.code, 0, bulk.stderr);
    assert.match(bulk.stdout, /Found \d+ run\(s\) waiting in needs-attention; retrying/);
    assert.match(bulk.stdout, /\[1\/\d+\] /);
    assert.match(bulk.stdout, /retried \d+: resolved \d+, still waiting 0, no longer waiting \d+, failed 0/);
    assert.ok(!bulk.stdout.includes(conflicted.externalID), 'the conflict was not retried by --code auth');
    assert.equal((await onboardingOf(conflicted.externalID)).attention?.code, 'conflict');
    // Every code over HTTP: the conflict is retried, and still waits (the userName is still taken).
    await foundWaiting('conflict', [conflicted.externalID]);
    const all = await http<{
      found: number;
      stillWaiting: number;
      failed: number;
      runs: { externalID: string; result: string }[];
    }>('POST', '/v1/retries', {}, ADMIN_KEY);
    assert.equal(all.status, 200);
    assert.equal(all.body.failed, 0);
    assert.equal(
      all.body.runs.find((listed) => listed.externalID === conflicted.externalID)?.result,
      'still-needs-attention',
    );
    assert.equal(await accountsOf(conflicted.externalID), 0);
    for (const joiner of joiners) {
      assert.equal((await onboardingOf(joiner.externalID)).stage, 'awaiting-activation');
    }
    await waitFor(
      () => offboardingOf(leaver),
      (status) => status.stage === 'retention',
      { what: 'offboarding in retention', timeoutMs: 60_000 },
    );
    for (const externalID of everyone) {
      const state = await http<PersonState>('GET', `/v1/people/${externalID}`);
      const runs = [state.body.onboarding, state.body.offboarding].filter((found) => found !== undefined);
      assert.ok(
        runs.length > 0 && runs.every((found) => found?.runStatus === 'RUNNING'),
        `${externalID}: none failed`,
      );
    }
    // Nothing waits on auth any more: the bulk route finds nothing to do.
    await waitFor(
      () => listWaitingRuns(stack.env.client, { code: 'auth' }),
      (runs) => runs.every((found) => !everyone.includes(found.externalID)),
      { what: 'AttentionCode cleared', timeoutMs: 30_000 },
    );
  });

  it('a run that failed shows its innermost cause, in the CLI and over HTTP', async () => {
    const hire = newHire({ startDate: '2099-01-15' });
    const started = await http<{ workflowId: string }>('POST', '/v1/onboardings', hire);
    assert.equal(started.status, 202);
    await handleOf(started.body.workflowId).terminate('stuck run, case 42');
    const person = await http<PersonState>('GET', `/v1/people/${hire.externalID}`);
    assert.equal(person.body.onboarding?.runStatus, 'TERMINATED');
    assert.equal(person.body.onboarding?.failure, 'stuck run, case 42');
    const status = await run(['status', hire.externalID]);
    assert.match(status.stdout, /failure: stuck run, case 42/);
  });
});

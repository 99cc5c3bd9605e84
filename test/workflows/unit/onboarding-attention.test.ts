/**
 * Onboarding unit tests, needs-attention: a refusal a person can fix parks the run, and a correction,
 * a retry, the expiry or a cancel ends the wait. The real workflow on the time-skipping server with
 * STUBBED activities (stubbed-workers.ts); the refusals are the ApplicationFailures the real activities
 * throw. test/workflows/needs-attention.test.ts runs the same against the simulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { OnboardingRequest } from '../../../lifecycle/onboarding-request';
import { correctOnboardingUpdate, retryStepUpdate } from '../../../workflows/attention-messages';
import {
  cancelOnboardingSignal,
  onboardingActivatedSignal,
  onboardingStatusQuery,
} from '../../../workflows/onboarding-messages';
import { account, newAccountStubs, startOnboarding } from './onboarding-fixtures';
import { type StubbedRun, type Stubs, type UnitTestBed, refusal, useStubbedWorkers } from './stubbed-workers';

/** The update was refused by its validator with this failure type. */
const refusedAs = (type: string) => (error: unknown) => {
  assert.ok(error instanceof WorkflowUpdateFailedError, String(error));
  assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
  assert.equal(error.cause.type, type);
  return true;
};

/** The create meets a 409 for a taken userName, and nobody carries the externalID. */
const takenUserName: Stubs = {
  ...newAccountStubs,
  createAccount: (request: OnboardingRequest) =>
    request.userName === 'taken'
      ? { result: 'look-up', why: 'conflict', message: 'HTTP 409: userName taken', field: 'userName' }
      : { result: 'created', account: account('pending') },
  findAccountByExternalId: () => ({ result: 'gone' }),
  notifyNeedsAttention: () => 'sent',
};

/** A rotated API token: every create is refused until `back` says the token is valid again. */
const rotatedToken = (token: { back: boolean }): Stubs => ({
  ...newAccountStubs,
  createAccount: () => {
    if (!token.back) throw refusal('StaffbaseAuthError', 'HTTP 401', { kind: 'auth' });
    return { result: 'created', account: account('pending') };
  },
  notifyNeedsAttention: () => 'sent',
});

describe('onboarding, needs-attention (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  const parked = (run: StubbedRun<unknown>) =>
    bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'needs-attention',
      'needs-attention',
    );

  it('parks on a taken userName, HR corrects it: the create goes through with the new name', async () => {
    const run = await startOnboarding(bed, takenUserName, {}, { userName: 'taken' });
    const status = await parked(run);
    assert.equal(status.attention?.code, 'conflict');
    assert.equal(status.attention?.field, 'userName');
    assert.equal(status.attention?.step, 'create-account');
    assert.equal(
      run.names().filter((name) => name === 'createAccount').length,
      3,
      'three creates, then parked',
    );

    await assert.rejects(
      run.handle.executeUpdate(correctOnboardingUpdate, { args: [{}] }),
      refusedAs('InvalidArgument'),
    );
    const answer = await run.handle.executeUpdate(correctOnboardingUpdate, { args: [{ userName: 'free' }] });
    assert.equal(answer.result, 'resolved');
    const creates = run.calls.filter((call) => call.name === 'createAccount');
    assert.equal((creates.at(-1)?.args[0] as OnboardingRequest).userName, 'free');

    await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (now) => now.stage === 'awaiting-activation',
      'awaiting-activation',
    );
    await run.handle.signal(onboardingActivatedSignal, {});
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'signal');
    assert.equal(run.names().filter((name) => name === 'notifyNeedsAttention').length, 1, 'HR told once');
  });

  it('parks on a rotated token; a retry before it is back still waits, one after it resolves', async () => {
    const token = { back: false };
    const run = await startOnboarding(bed, rotatedToken(token));
    const status = await parked(run);
    assert.equal(status.attention?.code, 'auth');
    assert.equal(status.attention?.step, 'create-account');

    const early = await run.handle.executeUpdate(retryStepUpdate);
    assert.equal(early.result, 'still-needs-attention');
    assert.equal(early.attention?.code, 'auth');
    assert.equal(early.stage, 'needs-attention');

    token.back = true;
    const answer = await run.handle.executeUpdate(retryStepUpdate);
    assert.equal(answer.result, 'resolved');
    const waiting = await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (now) => now.stage === 'awaiting-activation',
      'awaiting-activation',
    );
    assert.equal(waiting.attention, undefined);
    await assert.rejects(run.handle.executeUpdate(retryStepUpdate), refusedAs('NotNeedingAttention'));

    await run.handle.signal(onboardingActivatedSignal, {});
    assert.equal((await run.result()).result, 'activated');
    assert.equal(run.names().filter((name) => name === 'createAccount').length, 3);
    assert.equal(
      run.names().filter((name) => name === 'notifyNeedsAttention').length,
      1,
      'one notice per code',
    );
  });

  it('expires while parked when nobody fixes it: no account, HR was told', async () => {
    const run = await startOnboarding(bed, rotatedToken({ back: false }));
    await parked(run);
    const outcome = await run.result();
    assert.equal(outcome.result, 'expired');
    assert.equal(outcome.accountAction, 'never-created');
    assert.match(outcome.reason ?? '', /nobody corrected it/);
    assert.equal(run.names().filter((name) => name === 'notifyNeedsAttention').length, 1);
  });

  it('is cancelled while parked: no account, and no further create', async () => {
    const run = await startOnboarding(bed, rotatedToken({ back: false }));
    await parked(run);
    const createsBefore = run.names().filter((name) => name === 'createAccount').length;
    await run.handle.signal(cancelOnboardingSignal, { reason: 'offer withdrawn' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.accountAction, 'never-created');
    assert.equal(run.names().filter((name) => name === 'createAccount').length, createsBefore);
  });

  it('a refused status check parks; it takes no correction, and the activated signal ends the wait', async () => {
    const run = await startOnboarding(bed, {
      ...newAccountStubs,
      readAccount: () => {
        throw refusal('StaffbaseAuthError', 'HTTP 403', { kind: 'auth' });
      },
      notifyNeedsAttention: () => 'sent',
    });
    await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (now) => now.stage === 'awaiting-activation',
      'awaiting-activation',
    );
    await bed.env.sleep('25 hours'); // past the daily status check
    const status = await parked(run);
    assert.equal(status.attention?.step, 'check-status');
    await assert.rejects(
      run.handle.executeUpdate(correctOnboardingUpdate, { args: [{ userName: 'other' }] }),
      refusedAs('NothingToCorrect'),
    );
    await run.handle.signal(onboardingActivatedSignal, {});
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'signal');
  });
});

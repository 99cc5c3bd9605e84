/**
 * The interleavings checks' verdicts on tenant records whose right answer is known (no servers): a
 * DELETE of an activated account fails, a replaced account no run deleted fails, repeats are counted,
 * and an account orphaned by a lost create answer and a deletion by hand is told apart from a replaced one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallRecord, EffectRecord } from '../../simulator/control-client';
import { checkDeletions, READ_TO_DELETE_BOUND_MS } from './deletion-checks';
import { accountEffects, createdByLostAnswers, type RunFacts } from './effect-accounting';
import type { ManualAction, StoryEvent } from './model';

const t0 = Date.parse('2026-12-07T06:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();

function effect(kind: EffectRecord['kind'], ms: number, extra: Partial<EffectRecord> = {}): EffectRecord {
  return {
    kind,
    userId: 'A',
    externalID: 'p',
    statusBefore: 'deactivated',
    via: 'api',
    time: at(ms),
    ...extra,
  };
}

function read(ms: number, userId = 'A'): CallRecord {
  const path = `/api/users/${userId}`;
  return {
    method: 'GET',
    path,
    query: '',
    routeKey: 'GET /users/:id',
    status: 200,
    time: at(ms),
    durationMs: 1,
  };
}

const instruction = (name: Extract<StoryEvent, { type: 'instruction' }>['instruction']): StoryEvent => ({
  type: 'instruction',
  instruction: name,
});

const byHand = (action: ManualAction): StoryEvent => ({ type: 'manual', action });

const offboarding = (outcome: Partial<NonNullable<RunFacts['offboarding']>>, userId = 'A'): RunFacts => ({
  lifecycle: 'offboarding',
  runId: 'run-offboarding',
  status: 'COMPLETED',
  staffbaseUserId: userId,
  offboarding: { result: 'deleted', externalID: 'p', staffbaseUserId: userId, ...outcome },
  logoutAttempts: 1,
});

describe('interleavings checks: deletions (invariant 1)', () => {
  it('passes a DELETE of a deactivated account right after its read', () => {
    const verdict = checkDeletions('p', [effect('deleted', 100)], [read(40)]);
    assert.deepEqual(verdict.problems, []);
    assert.deepEqual(verdict.deletions, [{ externalID: 'p', userId: 'A', readToDeleteMs: 60 }]);
  });

  it('fails a DELETE that found the account activated, naming the account', () => {
    const mine = [
      effect('reactivated', 0, { via: 'studio' }),
      effect('deleted', 300, { statusBefore: 'activated' }),
    ];
    const verdict = checkDeletions('p', mine, [read(100)]);
    assert.equal(verdict.windowHits.length, 0, 'read after the reactivation: the DELETE could see it');
    assert.match(verdict.problems[0] ?? '', /account A was activated when its DELETE arrived/);
  });

  it('counts an activation after the read as a window hit instead', () => {
    const mine = [
      effect('reactivated', 150, { via: 'studio' }),
      effect('deleted', 200, { statusBefore: 'activated' }),
    ];
    const verdict = checkDeletions('p', mine, [read(100)]);
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.windowHits.length, 1);
    assert.equal(verdict.windowHits[0]?.changeToDeleteMs, 50);
  });

  it('fails a DELETE on an old read, or on no read of that account', () => {
    const old = checkDeletions('p', [effect('deleted', READ_TO_DELETE_BOUND_MS + 1)], [read(0)]);
    assert.match(old.problems[0] ?? '', /last read 2501 ms before/);
    const otherAccount = checkDeletions('p', [effect('deleted', 100)], [read(50, 'B')]);
    assert.match(otherAccount.problems[0] ?? '', /account A was deleted on no read of it/);
  });
});

describe('interleavings checks: effects against runs and the story (invariant 5)', () => {
  it('accepts a leaver logged out, deactivated and deleted once each by their offboarding', () => {
    const mine = [effect('logged-out', 0), effect('deactivated', 10), effect('deleted', 5_000)];
    const verdict = accountEffects('p', [instruction('offboard')], mine, [offboarding({})], new Set());
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.counts.deleted, 1);
  });

  it('fails a rehire whose old account was deleted and replaced while the offboarding says it stopped', () => {
    const story = [instruction('offboard'), instruction('onboard-now')];
    const mine = [
      effect('deactivated', 0),
      effect('deleted', 5_000),
      effect('created', 5_100, { userId: 'B' }),
    ];
    const onboarding: RunFacts = {
      lifecycle: 'onboarding',
      runId: 'run-onboarding',
      status: 'RUNNING',
      staffbaseUserId: 'B',
      logoutAttempts: 0,
    };
    const runs = [offboarding({ result: 'cancelled-by-rehire' }), onboarding];
    const verdict = accountEffects('p', story, mine, runs, new Set());
    assert.equal(verdict.problems.length, 1, verdict.problems.join('\n'));
    assert.match(
      verdict.problems[0] ?? '',
      /account A of p was deleted .* no run of p says it deleted that account/,
    );
  });

  it('accepts a reactivation the run names as vanished (deleted by hand meanwhile), and fails it unnamed', () => {
    const story = [instruction('onboard-now'), byHand('manual-delete')];
    const mine = [
      effect('reactivated', 0, { statusBefore: 'deactivated' }),
      effect('deleted', 217, { statusBefore: 'activated', via: 'studio' }),
      effect('created', 1_087, { userId: 'B', statusBefore: null }),
    ];
    const onboarding = (vanishedWhileReactivating?: string[]): RunFacts => ({
      lifecycle: 'onboarding',
      runId: 'run-onboarding',
      status: 'RUNNING',
      staffbaseUserId: 'B',
      logoutAttempts: 0,
      vanishedWhileReactivating,
    });
    assert.deepEqual(accountEffects('p', story, mine, [onboarding(['A'])], new Set()).problems, []);
    const unnamed = accountEffects('p', story, mine, [onboarding()], new Set()).problems;
    assert.match(unnamed.join('\n'), /account A of p was reactivated .* no run of p says it reactivated/);
  });

  it('accepts a second account after a create whose answer was lost and whose account was deleted by hand', () => {
    const story = [instruction('onboard-now'), byHand('manual-delete')];
    const mine = [
      effect('created', 0, { statusBefore: null }),
      effect('deleted', 250, { statusBefore: 'pending', via: 'studio' }),
      effect('created', 1_000, { userId: 'B', statusBefore: null }),
    ];
    const onboarding: RunFacts = {
      lifecycle: 'onboarding',
      runId: 'run-onboarding',
      status: 'RUNNING',
      staffbaseUserId: 'B',
      logoutAttempts: 0,
    };
    const lostCreate: CallRecord = {
      method: 'POST',
      path: '/api/users',
      query: '',
      routeKey: 'POST /users',
      status: 500,
      time: at(-5),
      durationMs: 10,
      outcome: 'reply-lost',
    };
    const lost = createdByLostAnswers(mine, [lostCreate]);
    assert.deepEqual([...lost], ['A']);
    assert.deepEqual(accountEffects('p', story, mine, [onboarding], new Set(), lost).problems, []);
    // The same effects with the first answer delivered: the run knew A and replaced it.
    const known = accountEffects('p', story, mine, [onboarding], new Set(), new Set()).problems;
    assert.match(known.join('\n'), /created p's accounts 2 times; the story allows at most 1/);
    assert.match(known.join('\n'), /account A of p was created .* no run of p says it created that account/);
  });

  it('fails an effect repeated beyond the story, and logouts beyond their attempts', () => {
    const mine = [
      effect('deactivated', 0),
      effect('deactivated', 10),
      effect('logged-out', 0),
      effect('logged-out', 5),
    ];
    const verdict = accountEffects('p', [instruction('offboard')], mine, [offboarding({})], new Set());
    assert.ok(
      verdict.problems.some((problem) =>
        /deactivated p's accounts 2 times; the story allows at most 1/.test(problem),
      ),
    );
    assert.ok(
      verdict.problems.some((problem) =>
        /2 logouts of p at the tenant, but only 1 logout attempts/.test(problem),
      ),
    );
  });
});

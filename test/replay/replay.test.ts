import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { testMigrateDataConverter } from '../helpers/encryption';
import { workflowBundle } from '../helpers/temporal';
import { historyFromJson } from './history-json';

/**
 * The determinism guard: every recorded history (test/replay/histories, written by
 * tooling/record-histories.ts) must replay against the CURRENT workflow code. A workflow change that
 * would break runs already in flight fails here — make it with `patched()` instead (README.md).
 */
/**
 * Histories recorded since payload encryption (#15) hold ciphertext; the test key decodes them, and
 * the older fixtures' plain payloads pass through the codec untouched, as in a deployment with
 * LIFECYCLE_ENCRYPTION=migrate (a strict codec would refuse them: test/worker/strict-codec.test.ts).
 */
const dataConverter = testMigrateDataConverter;
const historiesDir = path.join(__dirname, 'histories');
const fixtures = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    name: path.basename(file, '.json'),
    history: historyFromJson(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))),
  }));

const workflowTypeOf = (fixture: (typeof fixtures)[number]) =>
  fixture.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

describe('replay of recorded histories', () => {
  it('has fixtures for every workflow in workflows/index.ts', () => {
    const types = new Set(fixtures.map(workflowTypeOf));
    assert.ok(fixtures.length >= 5, `${fixtures.length} fixtures`);
    assert.deepEqual([...types].sort(), [
      'accountCleanup',
      'activationSweep',
      'directoryLookup',
      'groupMembersLookup',
      'leave',
      'lifecycleEventDispatcher',
      'mover',
      'offboarding',
      'offboardingLookupBatcher',
      'onboarding',
      'populationLogout',
      'reconcile',
      'reconcileErase',
      'recoveryCode',
      'staffbaseEvent',
      'storeErase',
      'userLogout',
      'userLookup',
    ]);
  });

  it('replays every recorded history against the current workflow code without nondeterminism', async () => {
    const bundle = await workflowBundle(require.resolve('../../workflows'));
    const results = Worker.runReplayHistories(
      { workflowBundle: bundle, replayName: 'current-workflows', dataConverter },
      fixtures.map(({ name, history }) => ({ workflowId: name, history })),
    );
    const replayed: string[] = [];
    const failures: string[] = [];
    for await (const result of results) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(replayed.sort(), fixtures.map((fixture) => fixture.name).sort());
  });

  describe('the guard itself', () => {
    const fixture = fixtures.find((candidate) => candidate.name === 'onboarding-activated-by-signal');

    it('fails with a DeterminismViolationError when onboarding changes without patched()', async () => {
      assert.ok(fixture);
      const changed = await workflowBundle(require.resolve('./changed-workflows/unguarded'));
      // runReplayHistories (the main test's path) reports it for every onboarding fixture …
      const onboardingFixtures = fixtures.filter((candidate) => workflowTypeOf(candidate) === 'onboarding');
      const results = Worker.runReplayHistories(
        { workflowBundle: changed, replayName: 'unguarded-all', dataConverter },
        onboardingFixtures.map(({ name, history }) => ({ workflowId: name, history })),
      );
      const verdicts: [string, boolean][] = [];
      for await (const result of results) {
        verdicts.push([result.workflowId, result.error instanceof DeterminismViolationError]);
      }
      assert.deepEqual(
        verdicts.sort(),
        onboardingFixtures.map((candidate): [string, boolean] => [candidate.name, true]).sort(),
      );
      // … and runReplayHistory throws it.
      await assert.rejects(
        () =>
          Worker.runReplayHistory(
            { workflowBundle: changed, replayName: 'unguarded', dataConverter },
            fixture.history,
          ),
        (error: unknown) => {
          assert.ok(error instanceof DeterminismViolationError, `got ${String(error)}`);
          return true;
        },
      );
    });

    it('replays the same change when it is behind patched()', async () => {
      assert.ok(fixture);
      const guarded = await workflowBundle(require.resolve('./changed-workflows/guarded'));
      await Worker.runReplayHistory(
        { workflowBundle: guarded, replayName: 'guarded', dataConverter },
        fixture.history,
      );
    });
  });
});

/**
 * The reconciliation's drop folder (RECONCILE_DROP_DIR, issue 30) on the dev server with the production
 * workers, the simulator and a real SQLite store: a snapshot file is taken once it stopped changing, its
 * plan is made and applied like an upload's, and the file moves to done/ with its reason; the same
 * content again (another name) starts nothing and names the first plan; a file that cannot be read goes
 * to failed/ with the problem; the watch loop does the same by itself. And the setting's parsing.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultImportLimits } from '../../config/import-limits';
import { ConfigError } from '../../config/config-error';
import { reconcileDropConfigFromEnv } from '../../config/reconcile-drop';
import {
  dropSourceOf,
  reconcileDropFolder,
  startReconcileDropFolder,
} from '../../client/reconcile-drop-folder';
import { testDataConverter } from '../helpers/encryption';
import { waitForSettledPlan } from '../../client/reconcile-plans';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { type TempStore, openTempStore } from '../helpers/temp-store';
import { waitFor } from '../helpers/waiting';

const policies = { onboarding: onboardingPolicy(), offboarding: offboardingPolicy() };

describe('reconciliation drop folder (dev server, workers, simulator, SQLite store)', () => {
  let store: TempStore;
  let stack: LifecycleTestStack;
  let dir: string;

  before(async () => {
    store = await openTempStore();
    stack = await startLifecycleTestStack({ server: 'dev-server', store });
    await stack.startWorkers();
    dir = mkdtempSync(path.join(tmpdir(), 'reconcile-drop-'));
  });
  after(async () => {
    await stack?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const folder = () =>
    reconcileDropFolder({
      dir,
      client: stack.env.client,
      store,
      policies,
      importLimits: defaultImportLimits,
    });
  /** Leavers without an account: `in-sync`, so applying starts nothing in Staffbase. */
  const snapshot = (ids: string[]) =>
    ['externalID,status,lastWorkingDay', ...ids.map((id) => `${id},terminated,2026-01-02`)].join('\n') + '\n';
  const reasonOf = (file: string) => readFileSync(`${file}.reason.txt`, 'utf8');

  it('takes a file once it stopped changing, plans and applies it, and moves it to done/ with the plan', async () => {
    const drop = folder();
    const id = `drop-${uniqueSuffix()}`;
    writeFileSync(path.join(dir, 'hr-export.csv'), snapshot([`${id}-1`]));
    assert.deepEqual(await drop.scanOnce(), [], 'first look: remembered, not taken');
    appendFileSync(path.join(dir, 'hr-export.csv'), `${id}-2,terminated,2026-01-02\n`);
    assert.deepEqual(await drop.scanOnce(), [], 'changed since the last look: still being written');
    const [outcome, ...others] = await drop.scanOnce();
    assert.equal(others.length, 0);
    assert.equal(outcome?.result, 'started');
    assert.equal(outcome.movedTo, path.join(dir, 'done', 'hr-export.csv'));
    assert.deepEqual(readdirSync(dir).sort(), ['done', 'failed', 'processing']);
    assert.match(
      reasonOf(outcome.movedTo),
      new RegExp(`^plan ${outcome.planId} started \\(sha256 [0-9a-f]{64}\\)`),
    );

    const plan = await waitForSettledPlan(stack.env.client, store, outcome.planId ?? '', 60_000);
    assert.equal(plan.status, 'applied');
    assert.equal(plan.counts?.['in-sync'], 2);
    assert.deepEqual(plan.requestedBy, { kind: 'drop-folder', user: null });
    assert.equal(plan.absent, 'ignore');
  });

  it('the same content again, under another name, starts nothing and names the first plan', async () => {
    const drop = folder();
    const id = `drop-${uniqueSuffix()}`;
    const content = snapshot([id]);
    writeFileSync(path.join(dir, 'monday.csv'), content);
    await drop.scanOnce();
    const [first] = await drop.scanOnce();
    assert.equal(first?.result, 'started');
    const plansBefore = (await store.reconcile.recentPlans(100)).length;

    writeFileSync(path.join(dir, 'monday-copy.csv'), content);
    // And the first name again: done/ already has it, so the copy gets the content's hash in front.
    writeFileSync(path.join(dir, 'monday.csv'), content);
    await drop.scanOnce();
    const again = await drop.scanOnce();
    assert.deepEqual(again.map((outcome) => [outcome.file, outcome.result, outcome.planId]).sort(), [
      ['monday-copy.csv', 'already-reconciled', first.planId],
      ['monday.csv', 'already-reconciled', first.planId],
    ]);
    const renamed = again.find((outcome) => outcome.file === 'monday.csv');
    assert.match(path.basename(renamed?.movedTo ?? ''), /^[0-9a-f]{12}-monday\.csv$/);
    assert.match(reasonOf(renamed?.movedTo ?? ''), new RegExp(`^already reconciled as ${first.planId} `));
    assert.equal((await store.reconcile.recentPlans(100)).length, plansBefore, 'no new plan');
    assert.equal(
      await store.reconcile.planIdOfSource(
        dropSourceOf(/sha256 ([0-9a-f]{64})/.exec(first.reason)?.[1] ?? ''),
      ),
      first.planId,
    );
  });

  it('a file that cannot be read goes to failed/ with the problem, and starts nothing', async () => {
    const drop = folder();
    const plansBefore = (await store.reconcile.recentPlans(100)).length;
    writeFileSync(path.join(dir, 'broken.csv'), 'Name,Shoe Size\nAda,38\n');
    await drop.scanOnce();
    const [outcome] = await drop.scanOnce();
    assert.equal(outcome?.result, 'failed');
    assert.equal(outcome.movedTo, path.join(dir, 'failed', 'broken.csv'));
    assert.match(reasonOf(outcome.movedTo), /externalID|Shoe Size/);
    assert.equal((await store.reconcile.recentPlans(100)).length, plansBefore);
  });

  it('watches by itself every interval until stopped', async () => {
    const watching = folder().watch(100);
    try {
      writeFileSync(path.join(dir, 'watched.csv'), snapshot([`drop-${uniqueSuffix()}`]));
      await waitFor(
        () => Promise.resolve(readdirSync(path.join(dir, 'done'))),
        (names) => names.includes('watched.csv') && names.includes('watched.csv.reason.txt'),
        { timeoutMs: 30_000, intervalMs: 100, what: 'watched.csv in done/' },
      );
      assert.match(reasonOf(path.join(dir, 'done', 'watched.csv')), /^plan plan-[0-9a-f-]{36} started/);
    } finally {
      await watching.stop();
    }
  });

  it('the worker process’s own watcher (its Temporal client and store handle) plans a dropped file', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'reconcile-drop-worker-'));
    const logged: string[] = [];
    const logger = {
      info: (message: string) => logged.push(message),
      warn: (message: string) => logged.push(message),
    };
    const watcher = await startReconcileDropFolder(
      {
        temporal: { address: stack.env.address, namespace: 'default', tls: false },
        dataConverter: testDataConverter,
        storeConfig: { kind: 'sqlite', file: store.file },
        drop: { dir: own, intervalMs: 100, policies, importLimits: defaultImportLimits },
      },
      logger,
    );
    try {
      writeFileSync(
        path.join(own, 'nightly.json'),
        JSON.stringify([{ externalID: `drop-${uniqueSuffix()}`, status: 'terminated' }]),
      );
      await waitFor(
        () => Promise.resolve(readdirSync(path.join(own, 'done'))),
        (names) => names.includes('nightly.json'),
        { timeoutMs: 30_000, intervalMs: 100, what: 'nightly.json in done/' },
      );
      const planId = /^plan (plan-[0-9a-f-]{36}) started/.exec(
        reasonOf(path.join(own, 'done', 'nightly.json')),
      )?.[1];
      assert.ok(planId);
      assert.equal((await waitForSettledPlan(stack.env.client, store, planId, 60_000)).status, 'applied');
      assert.ok(
        logged.some((line) => line.startsWith('Reconcile drop folder: nightly.json → done/')),
        logged.join('\n'),
      );
    } finally {
      await watcher.stop();
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('reads RECONCILE_DROP_DIR (unset: no folder) and RECONCILE_DROP_INTERVAL_SECONDS (default 30)', () => {
    assert.equal(reconcileDropConfigFromEnv({}), undefined);
    assert.equal(reconcileDropConfigFromEnv({ RECONCILE_DROP_DIR: ' ' }), undefined);
    const config = reconcileDropConfigFromEnv({ RECONCILE_DROP_DIR: 'drop' });
    assert.equal(config?.dir, path.resolve('drop'));
    assert.equal(config?.intervalMs, 30_000);
    assert.equal(
      reconcileDropConfigFromEnv({ RECONCILE_DROP_DIR: '/x', RECONCILE_DROP_INTERVAL_SECONDS: '5' })
        ?.intervalMs,
      5_000,
    );
    assert.throws(
      () => reconcileDropConfigFromEnv({ RECONCILE_DROP_DIR: '/x', RECONCILE_DROP_INTERVAL_SECONDS: '0' }),
      (error: unknown) =>
        error instanceof ConfigError && error.variables.includes('RECONCILE_DROP_INTERVAL_SECONDS'),
    );
  });
});

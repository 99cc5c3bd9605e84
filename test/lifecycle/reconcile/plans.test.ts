/**
 * Reconciliation plans end to end (issue 30): the dev server, the simulator's directory, a real SQLite
 * store and the production workers. The reconcile run reads the directory page by page, classifies in an
 * activity, stores the plan, holds it or applies it through the lifecycles' own start functions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHttpApi } from '../../../client/http/app';
import { startOnboarding } from '../../../client/lifecycle-runs';
import {
  decideReconcilePlan,
  planView,
  startReconcilePlan,
  waitForSettledPlan,
} from '../../../client/reconcile-plans';
import { ActionRefusedError } from '../../../client/action-errors';
import type { ReconcileAccount } from '../../../lifecycle/reconcile/accounts';
import { type Situation, situations } from '../../../lifecycle/reconcile/situations';
import type { SnapshotRow } from '../../../lifecycle/reconcile/snapshot-row';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { reconcileWorkflowId } from '../../../workflows/reconcile-messages';
import type { ReconcileResult } from '../../../workflows/reconcile';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../../helpers/people';
import { type TempStore, openTempStore } from '../../helpers/temp-store';
import { cli } from '../../client/cli/run-cli';
import { account, builders, personRow, today } from './drift-corpus';

const policies = { onboarding: onboardingPolicy(), offboarding: offboardingPolicy() };
const admin = { kind: 'cli', user: 'test-admin' };

describe('reconciliation plans (dev server, simulator, SQLite store)', () => {
  let stack: LifecycleTestStack;
  let store: TempStore;

  before(async () => {
    store = await openTempStore();
    stack = await startLifecycleTestStack({ server: 'dev-server', store });
    await stack.startWorkers();
  });
  after(async () => {
    await stack?.close();
    await store?.close();
  });

  /** The simulator's ids are 24 hex digits, the corpus's short numbers. */
  const simulatorId = (id: string) => id.padStart(24, '0');
  const seedAccount = (account: ReconcileAccount) =>
    stack.control.seedUser({
      id: simulatorId(account.id),
      externalID: account.externalID,
      userName: account.userName,
      firstName: account.firstName,
      lastName: account.lastName,
      emails: account.emails.map((email) => ({ value: email.value, primary: email.primary ?? false })),
      status: account.status,
      groupIDs: [...(account.groupIDs ?? [])],
      profile: { ...(account.profile ?? {}) },
      locale: account.locale,
    });

  const plan = async (
    rows: SnapshotRow[],
    options: { dryRun?: boolean; absent?: 'ignore' | 'leaver'; asOf?: string },
  ) => {
    const started = await startReconcilePlan(stack.env.client, store, {
      rows,
      source: 'test',
      dryRun: options.dryRun ?? false,
      absent: options.absent ?? 'ignore',
      requestedBy: admin,
      policies,
      ...(options.asOf !== undefined && { asOf: options.asOf }),
    });
    return waitForSettledPlan(stack.env.client, store, started.planId, 60_000);
  };

  const runResult = (planId: string) =>
    stack.env.client.workflow.getHandle(reconcileWorkflowId(planId)).result() as Promise<ReconcileResult>;

  const openRun = async (workflowId: string) => {
    try {
      return (await stack.env.client.workflow.getHandle(workflowId).describe()).status.name;
    } catch {
      return undefined;
    }
  };

  it('a seeded drift corpus: every situation classified exactly, one request per directory page', async () => {
    await stack.control.reset();
    const rows: SnapshotRow[] = [];
    const accounts: ReconcileAccount[] = [];
    const truth = new Map<string, { situation: Situation; action: string }>();
    let n = 0;
    for (const [name, build] of Object.entries(builders)) {
      const id = `C${String((n += 1)).padStart(4, '0')}`;
      const built = build(id);
      // Open runs are real runs here (one below); the classifier's own tests cover the corpus's others.
      if (built.runs.length > 0) continue;
      // The simulator, like Staffbase, refuses two accounts with one userName, email or externalID.
      if (!representable([...built.accounts, ...(built.others ?? []).map((other) => other.account)]))
        continue;
      rows.push(...built.rows);
      accounts.push(...built.accounts);
      if (name === 'unmanaged') {
        const lone = account(null, 'activated');
        accounts.push(lone);
        truth.set(`staffbase:${simulatorId(lone.id)}`, { situation: 'unmanaged', action: 'report' });
        continue;
      }
      truth.set(built.key ?? id, { situation: built.situation, action: built.action });
      for (const other of built.others ?? []) {
        accounts.push(other.account);
        truth.set(other.account.externalID ?? `staffbase:${simulatorId(other.account.id)}`, {
          situation: other.situation,
          action: other.action,
        });
      }
    }
    // in-progress: a real onboarding already runs for this joiner (start date years ahead: it waits).
    const running = `C-running-${uniqueSuffix()}`;
    rows.push(
      personRow({
        externalID: running,
        status: 'active',
        userName: `user-${running}`,
        firstName: 'Alex',
        lastName: 'Running',
        email: `${running.toLowerCase()}@example.com`,
      }),
    );
    await startOnboarding(
      stack.env.client,
      {
        externalID: running,
        userName: `user-${running}`,
        firstName: 'Alex',
        lastName: 'Running',
        email: `${running.toLowerCase()}@example.com`,
        startDate: '2031-01-15',
      },
      policies.onboarding,
    );
    stack.track({ workflowId: lifecycleWorkflowId('onboarding', running) });
    truth.set(running, { situation: 'in-progress', action: 'none' });
    for (const account of accounts) await seedAccount(account);
    // Visibility lists the open onboarding before the plan reads it.
    await waitForVisibility(stack, running);

    const callsBefore = await stack.control.callCount();
    const made = await plan(rows, { dryRun: true, asOf: today });
    assert.equal(made.status, 'dry-run');
    const result = await runResult(made.planId);
    const pages = Math.ceil(accounts.length / 100);
    assert.equal(result.requests, Math.max(1, pages), 'one Staffbase request per directory page');
    assert.equal((await stack.control.callCount()) - callsBefore, Math.max(1, pages));

    const view = await planView(store, made.planId);
    const stored = await store.reconcile.entries(made.planId, { limit: 1000 });
    assert.equal(stored.entries.length, view.entries.length);
    const got = new Map(
      stored.entries.map((entry) => [
        entry.externalID ??
          (entry.staffbaseId !== undefined ? `staffbase:${entry.staffbaseId}` : `row:${entry.row ?? '?'}`),
        { situation: entry.situation, action: entry.action },
      ]),
    );
    assert.deepEqual(Object.fromEntries(got), Object.fromEntries(truth));
    const seen = new Set([...truth.values()].map((expected) => expected.situation));
    assert.deepEqual(
      [...situations].filter((situation) => !seen.has(situation)),
      [],
      'every situation seeded',
    );
    for (const situation of situations) {
      const expected = [...truth.values()].filter((entry) => entry.situation === situation).length;
      assert.equal(view.counts[situation], expected, situation);
    }
    // A dry run starts nothing: no leaver's offboarding, no joiner's onboarding.
    for (const [key, expected] of truth) {
      if (expected.action === 'start-offboarding')
        assert.equal(await openRun(lifecycleWorkflowId('offboarding', key)), undefined, key);
      if (expected.action === 'start-onboarding')
        assert.equal(await openRun(lifecycleWorkflowId('onboarding', key)), undefined, key);
    }
    // The directory read for the plan is gone from the store once classified.
    assert.equal((await store.reconcile.directoryAccounts(made.planId, '', 10)).length, 0);
  });

  it('applying twice starts nothing the second time', async () => {
    await stack.control.reset();
    const suffix = uniqueSuffix();
    const joiners = [1, 2].map((i) => ({
      externalID: `J${i}-${suffix}`,
      status: 'active',
      userName: `user-j${i}-${suffix}`,
      firstName: 'Alex',
      lastName: `Joiner${i}`,
      email: `j${i}-${suffix}@example.com`,
      startDate: '2031-02-01',
    }));
    const leaver = { externalID: `L-${suffix}`, status: 'terminated', lastWorkingDay: '2031-03-31' };
    await stack.control.seedUser({
      externalID: leaver.externalID,
      userName: `user-l-${suffix}`,
      firstName: 'Alex',
      lastName: 'Leaver',
      emails: [{ value: `l-${suffix}@example.com`, primary: true }],
      status: 'activated',
    });
    const rows = () => [...joiners, leaver].map((person) => personRow(person));

    const first = await plan(rows(), {});
    assert.equal(first.status, 'applied');
    assert.equal((await runResult(first.planId)).started, 3);
    for (const joiner of joiners) {
      const workflowId = lifecycleWorkflowId('onboarding', joiner.externalID);
      stack.track({ workflowId });
      assert.equal(await openRun(workflowId), 'RUNNING');
    }
    stack.track({ workflowId: lifecycleWorkflowId('offboarding', leaver.externalID) });
    assert.equal(await openRun(lifecycleWorkflowId('offboarding', leaver.externalID)), 'RUNNING');
    const applied = await planView(store, first.planId);
    assert.deepEqual(applied.entries.map((entry) => entry.action).sort(), [
      'schedule-offboarding',
      'schedule-onboarding',
      'schedule-onboarding',
    ]);
    assert.ok(
      (await store.reconcile.entries(first.planId)).entries.every((entry) => entry.applied === 'started'),
    );

    for (const joiner of joiners) await waitForVisibility(stack, joiner.externalID);
    await waitForVisibility(stack, leaver.externalID);
    const second = await plan(rows(), {});
    assert.equal(second.status, 'applied');
    assert.equal((await runResult(second.planId)).started, 0);
    assert.equal(second.counts?.['in-progress'], 3);
  });
  it('a truncated snapshot with --absent leaver is held and starts nothing; discard and approval are audited', async () => {
    await stack.control.reset();
    const suffix = uniqueSuffix();
    const people = Array.from({ length: 10 }, (_, i) => ({
      externalID: `T${i}-${suffix}`,
      status: 'active',
      userName: `user-t${i}-${suffix}`,
      firstName: 'Alex',
      lastName: `Person${i}`,
      email: `t${i}-${suffix}@example.com`,
    }));
    for (const person of people) {
      await stack.control.seedUser({
        externalID: person.externalID,
        userName: person.userName,
        firstName: person.firstName,
        lastName: person.lastName,
        emails: [{ value: person.email, primary: true }],
        status: 'activated',
      });
    }
    const full = await plan(
      people.map((person) => personRow(person)),
      {},
    );
    assert.equal(full.status, 'applied', 'every person in sync: applied, nothing to start');
    assert.equal(full.counts?.['in-sync'], 10);

    const truncated = await plan(
      people.slice(0, 5).map((person) => personRow(person)),
      { absent: 'leaver' },
    );
    assert.equal(truncated.status, 'held-for-approval');
    assert.equal(truncated.counts?.absent, 5);
    assert.ok(
      truncated.safetyReasons.some((reason) => reason.includes('truncated')),
      truncated.safetyReasons.join('; '),
    );
    const held = await planView(store, truncated.planId, { situation: 'absent' });
    assert.deepEqual(
      held.entries.map((entry) => entry.action),
      Array(5).fill('start-offboarding'),
    );
    for (const person of people.slice(5))
      assert.equal(await openRun(lifecycleWorkflowId('offboarding', person.externalID)), undefined);

    const discarded = await decideReconcilePlan(stack.env.client, store, truncated.planId, {
      decision: 'discard',
      by: admin,
      reason: 'HR export was cut short',
    });
    assert.equal(discarded.status, 'discarded');
    assert.deepEqual(discarded.decision?.by, { kind: 'cli', user: 'test-admin' });
    assert.equal((await runResult(truncated.planId)).started, 0);
    for (const person of people.slice(5))
      assert.equal(await openRun(lifecycleWorkflowId('offboarding', person.externalID)), undefined);
    const audit = await store.audit.rows({ limit: 500 });
    assert.ok(
      audit.some(
        (row) =>
          row.action === 'reconcile-discard' &&
          row.runId === truncated.planId &&
          row.actor.user === 'test-admin',
      ),
    );
    await assert.rejects(
      decideReconcilePlan(stack.env.client, store, truncated.planId, { decision: 'approve', by: admin }),
      ActionRefusedError,
    );

    // The same snapshot again is held again; approved, it offboards the five absent accounts once.
    const again = await plan(
      people.slice(0, 5).map((person) => personRow(person)),
      { absent: 'leaver' },
    );
    assert.equal(again.status, 'held-for-approval');
    await decideReconcilePlan(stack.env.client, store, again.planId, {
      decision: 'approve',
      by: admin,
      reason: 'the five left',
    });
    const approved = await waitForSettledPlan(stack.env.client, store, again.planId, 60_000);
    assert.equal(approved.status, 'applied');
    assert.equal(approved.decision?.reason, 'the five left');
    assert.equal((await runResult(again.planId)).started, 5);
    for (const person of people.slice(5)) {
      const workflowId = lifecycleWorkflowId('offboarding', person.externalID);
      stack.track({ workflowId });
      assert.notEqual(await openRun(workflowId), undefined, person.externalID);
    }
    for (const person of people.slice(0, 5))
      assert.equal(await openRun(lifecycleWorkflowId('offboarding', person.externalID)), undefined);
  });

  it('HTTP: POST /v1/reconciliations (base64 snapshot), GET the plan and its entries, decisions need a held plan', async () => {
    await stack.control.reset();
    const suffix = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `H-gone-${suffix}`,
      userName: `user-h-gone-${suffix}`,
      firstName: 'Alex',
      lastName: 'Gone',
      emails: [{ value: `h-gone-${suffix}@example.com`, primary: true }],
      status: 'activated',
    });
    const csv = [
      'Employee ID,Employment Status,Username,First Name,Last Name,Work Email,Hire Date',
      `H1-${suffix},Active,user-h1-${suffix},Alex,One,h1-${suffix}@example.com,2031-01-05`,
      `H2-${suffix},Active,user-h2-${suffix},Alex,Two,not-an-email,`,
    ].join('\n');
    const app = buildHttpApi({
      temporalClient: stack.env.client,
      store,
      policies,
      apiKey: 'hr-key-for-tests-0123456789',
      adminApiKey: 'admin-key-for-tests-0123456789',
    });
    try {
      const call = (method: 'GET' | 'POST', url: string, key: string, body?: unknown) =>
        app.inject({
          method,
          url,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(body !== undefined && { payload: JSON.stringify(body) }),
        });
      const content = Buffer.from(csv).toString('base64');
      const plansBefore = (await store.reconcile.recentPlans(50)).length;
      const refused = await call('POST', '/v1/reconciliations?absent=leaver', 'hr-key-for-tests-0123456789', {
        content,
      });
      assert.equal(refused.statusCode, 403);
      assert.equal(
        (await store.reconcile.recentPlans(50)).length,
        plansBefore,
        'a refused request stores nothing',
      );
      const bad = await call('POST', '/v1/reconciliations', 'hr-key-for-tests-0123456789', { content: '%%' });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ problems: { field: string }[] }>().problems[0]?.field, 'content');

      const made = await call(
        'POST',
        '/v1/reconciliations?dryRun=true&absent=leaver',
        'admin-key-for-tests-0123456789',
        {
          content,
        },
      );
      assert.equal(made.statusCode, 200, made.body);
      const summary = made.json<{ planId: string; status: string; counts: Record<string, number> }>();
      assert.equal(summary.status, 'dry-run');
      assert.equal(summary.counts['future-joiner'], 1);
      assert.equal(summary.counts.invalid, 1);
      assert.equal(summary.counts.absent, 1);

      const shown = await call(
        'GET',
        `/v1/reconciliations/${summary.planId}?situation=absent`,
        'hr-key-for-tests-0123456789',
      );
      assert.equal(shown.statusCode, 200);
      assert.deepEqual(shown.json<{ entries: unknown[] }>().entries, [
        {
          externalID: `H-gone-${suffix}`,
          situation: 'absent',
          action: 'start-offboarding',
          reason: shown.json<{ entries: { reason: string }[] }>().entries[0]?.reason,
        },
      ]);
      const paged = await call(
        'GET',
        `/v1/reconciliations/${summary.planId}?limit=1`,
        'hr-key-for-tests-0123456789',
      );
      assert.equal(paged.json<{ entries: unknown[] }>().entries.length, 1);
      assert.equal(paged.json<{ nextAfterSeq?: number }>().nextAfterSeq, 1);
      const list = await call('GET', '/v1/reconciliations', 'hr-key-for-tests-0123456789');
      assert.ok(
        list.json<{ plans: { planId: string }[] }>().plans.some((plan) => plan.planId === summary.planId),
      );

      const byHrKey = await call(
        'POST',
        `/v1/reconciliations/${summary.planId}/approve`,
        'hr-key-for-tests-0123456789',
        {},
      );
      assert.equal(byHrKey.statusCode, 403);
      const notHeld = await call(
        'POST',
        `/v1/reconciliations/${summary.planId}/approve`,
        'admin-key-for-tests-0123456789',
        {},
      );
      assert.equal(notHeld.statusCode, 409);
      const missing = await call(
        'GET',
        '/v1/reconciliations/plan-00000000-0000-0000-0000-000000000000',
        'hr-key-for-tests-0123456789',
      );
      assert.equal(missing.statusCode, 404);
      assert.equal(await openRun(lifecycleWorkflowId('offboarding', `H-gone-${suffix}`)), undefined);
    } finally {
      await app.close();
    }
  });

  it('CLI: reconcile <file> --dry-run --json prints the exact shape; show, approve and a missing plan', async () => {
    await stack.control.reset();
    const suffix = uniqueSuffix();
    const lone = await stack.control.seedUser({
      externalID: null,
      userName: `user-lone-${suffix}`,
      firstName: 'Alex',
      lastName: 'Lone',
      emails: [{ value: `lone-${suffix}@example.com`, primary: true }],
      status: 'activated',
    });
    const csv = [
      'Employee ID,Employment Status,Username,First Name,Last Name,Work Email',
      `K1-${suffix},Active,user-k1-${suffix},Alex,One,k1-${suffix}@example.com`,
    ].join('\n');
    const options = { address: stack.env.address, env: { LIFECYCLE_STORE_URL: `sqlite:${store.file}` } };
    const made = await cli(['reconcile', '-', '--dry-run', '--json'], { ...options, stdin: csv });
    assert.equal(made.code, 0, made.stderr);
    const printed = JSON.parse(made.stdout) as {
      planId: string;
      status: string;
      counts: Record<string, number>;
      entries: Record<string, unknown>[];
    };
    assert.deepEqual(Object.keys(printed), ['planId', 'status', 'counts', 'entries']);
    assert.equal(printed.status, 'dry-run');
    assert.deepEqual(Object.keys(printed.counts).sort(), [...situations].sort());
    assert.deepEqual(printed.entries, [
      {
        externalID: `K1-${suffix}`,
        situation: 'joiner',
        action: 'start-onboarding',
        reason: printed.entries[0]?.reason,
      },
      {
        externalID: null,
        situation: 'unmanaged',
        action: 'report',
        reason: printed.entries[1]?.reason,
        staffbaseId: lone.id,
      },
    ]);
    assert.equal(await openRun(lifecycleWorkflowId('onboarding', `K1-${suffix}`)), undefined);

    const shown = await cli(['reconcile', 'show', printed.planId, '--json'], options);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(JSON.parse(shown.stdout), printed);
    const approve = await cli(['reconcile', 'approve', printed.planId], options);
    assert.equal(approve.code, 4, 'a dry run is not held: refused');
    const missing = await cli(['reconcile', 'show', 'plan-00000000-0000-0000-0000-000000000000'], options);
    assert.equal(missing.code, 3);
  });
});

/** Whether a real tenant could hold these accounts together (no shared userName, email or externalID). */
function representable(accounts: readonly ReconcileAccount[]): boolean {
  const names = accounts.flatMap((held) => [
    ...(held.userName !== null ? [`u:${held.userName.toLowerCase()}`] : []),
    ...held.emails.map((email) => `e:${email.value.toLowerCase()}`),
    ...(held.externalID !== null ? [`x:${held.externalID}`] : []),
  ]);
  return new Set(names).size === names.length;
}

/** Until visibility lists the person's open run (the classifier reads open runs from it). */
async function waitForVisibility(stack: LifecycleTestStack, externalID: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const listing = stack.env.client.workflow.list({
      query: `StaffbaseExternalId = '${externalID}' AND ExecutionStatus = 'Running'`,
    });
    for await (const execution of listing) if (execution.workflowId) return;
    if (Date.now() > deadline) throw new Error(`visibility never listed ${externalID}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

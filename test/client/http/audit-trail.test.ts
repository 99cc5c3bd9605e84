/**
 * The audit trail in the store, end to end (issue 29's "done when"): a delete-now through the real HR
 * API route, with the support key, the SSO proxy's trusted user header and a reason, becomes a row
 * with who and why (and the worker's deletion a row of its own); `audit verify` passes; a row deleted
 * by hand makes it fail, naming the row. Then `GET /v1/audit` (support key only, JSON and CSV pages),
 * and an act whose row cannot be written answering 503. Real HTTP, the time-skipping server, real
 * workers writing to the same SQLite store, and the simulator.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { type LifecycleStore, openStore } from '../../../store';
import { connectStore } from '../../../store/connection';
import { type OffboardingOutcome, offboardingStatusQuery } from '../../../workflows/offboarding-messages';
import { cli } from '../cli/run-cli';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { newHire, onboardingPolicy, uniqueSuffix } from '../../helpers/people';
import { waitFor } from '../../helpers/waiting';

const KEY = `hr-key-${randomBytes(16).toString('hex')}`;
const ADMIN_KEY = `support-key-${randomBytes(16).toString('hex')}`;
const OPERATOR = 'grace.hopper@sso';

interface AuditRowBody {
  seq: number;
  at: string;
  actorKind: string;
  actorUser: string | null;
  action: string;
  externalID: string | null;
  runId: string | null;
  outcome: string | null;
  reason: string | null;
}

describe('the audit trail in the store, end to end (HR API, workers, audit verify)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-trail-'));
  const file = path.join(dir, 'store.sqlite');
  let store: LifecycleStore;
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  let leaver: string;

  before(async () => {
    store = await openStore({ kind: 'sqlite', file });
    stack = await startLifecycleTestStack({ server: 'time-skipping', store });
    await stack.startWorkers();
    api = await startHttpApi({
      temporalClient: stack.env.client,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      adminApiKey: ADMIN_KEY,
      trustedUserHeader: 'X-Forwarded-User',
      port: 0,
      store,
    });
  });
  after(async () => {
    await api?.close();
    await stack?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function request(
    method: 'GET' | 'POST',
    route: string,
    options: { key?: string; body?: unknown; base?: RunningHttpApi } = {},
  ): Promise<Response> {
    return fetch(`${(options.base ?? api).url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${options.key ?? KEY}`,
        'x-forwarded-user': OPERATOR,
        'x-requested-by': 'Ada (HR)',
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
  }

  it('records a delete-now with who and why; audit verify passes, and fails naming a hand-deleted row', async () => {
    leaver = `audit-trail-${uniqueSuffix()}`;
    await stack.control.seedUser({
      externalID: leaver,
      userName: leaver,
      firstName: 'Katherine',
      lastName: 'Johnson',
      emails: [{ value: `${leaver}@example.test`, primary: true }],
      status: 'activated',
    });
    const workflowId = lifecycleWorkflowId('offboarding', leaver);
    const started = await request('POST', '/v1/offboardings', {
      body: { externalID: leaver, retentionDays: 30 },
    });
    assert.ok(started.ok, await started.clone().text());
    stack.track({ workflowId });
    const handle = stack.env.client.workflow.getHandle(workflowId);
    await waitFor(
      () => handle.query(offboardingStatusQuery),
      (status) => status.stage === 'retention',
      { what: 'in retention', timeoutMs: 60_000 },
    );
    const deleted = await request('POST', `/v1/offboardings/${leaver}/delete-now`, {
      key: ADMIN_KEY,
      body: { reason: 'ticket HR-4711' },
    });
    assert.ok(deleted.ok, await deleted.clone().text());
    assert.equal(((await handle.result()) as OffboardingOutcome).result, 'deleted');

    const { rows } = await store.audit.find({ externalID: leaver });
    const byAction = new Map(rows.map((row) => [row.action, row]));
    // Who: the support key and the operator the SSO proxy named; why: the reason, with the claim.
    const deleteNow = byAction.get('delete-now-requested');
    assert.deepEqual(
      [deleteNow?.actor, deleteNow?.runId],
      [{ kind: 'admin-key', user: OPERATOR }, workflowId],
    );
    assert.match(String(deleteNow?.reason), /^ticket HR-4711 \[claimedBy: Ada \(HR\)/);
    assert.deepEqual(byAction.get('offboarding-started')?.actor, { kind: 'lifecycle-key', user: OPERATOR });
    // The worker's own row of the deletion in Staffbase, after the request's.
    const accountDeleted = byAction.get('account-deleted');
    assert.deepEqual([accountDeleted?.actor.kind, accountDeleted?.runId], ['worker', workflowId]);
    assert.ok((accountDeleted?.seq ?? 0) > (deleteNow?.seq ?? Infinity));
    // Ids only: the person's name and email are in no row.
    const text = JSON.stringify(await store.audit.rows({ limit: 1000 }));
    assert.doesNotMatch(text, /Katherine|Johnson|example\.test/);

    const env = { LIFECYCLE_STORE_URL: `sqlite:${file}` };
    const intact = await cli(['audit', 'verify'], { env });
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(intact.stdout, /audit trail intact \(\d+ rows\)/);

    const raw = await connectStore({ kind: 'sqlite', file });
    try {
      await raw.db
        .deleteFrom('audit_trail')
        .where('seq', '=', deleteNow?.seq ?? 0)
        .execute();
    } finally {
      await raw.close();
    }
    const broken = await cli(['audit', 'verify'], { env });
    assert.equal(broken.code, 7, broken.stderr);
    assert.match(broken.stdout, new RegExp(`BROKEN at row ${deleteNow?.seq} \\(removed\\)`));
  });

  it('GET /v1/audit: support key only (403 for the HR key), JSON pages, CSV with a header row, bad filters named', async () => {
    const forbidden = await request('GET', '/v1/audit');
    assert.equal(forbidden.status, 403);
    assert.equal(((await forbidden.json()) as { error: string }).error, 'forbidden');

    // JSON, one row a page, over this person's rows: every row once, in order.
    const seen: AuditRowBody[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(
        'GET',
        `/v1/audit?externalID=${leaver}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { key: ADMIN_KEY },
      );
      assert.equal(page.status, 200);
      const body = (await page.json()) as { rows: AuditRowBody[]; nextCursor?: string };
      assert.ok(body.rows.length <= 1);
      seen.push(...body.rows);
      cursor = body.nextCursor;
    } while (cursor !== undefined);
    const actions = seen.map((row) => row.action);
    assert.ok(actions.includes('offboarding-started') && actions.includes('account-deleted'), actions.join());
    assert.deepEqual(
      seen.map((row) => row.seq),
      [...seen.map((row) => row.seq)].sort((a, b) => a - b),
    );

    const csv = await request('GET', `/v1/audit?externalID=${leaver}&action=account-deleted&format=csv`, {
      key: ADMIN_KEY,
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'seq,at,actorKind,actorUser,action,externalID,runId,outcome,reason,reasonHash,prevHash,hash',
    );
    assert.equal(lines.length, 2);
    assert.match(lines[1] ?? '', new RegExp(`,worker,,account-deleted,${leaver},offboarding-${leaver},`));

    const bad = await request('GET', '/v1/audit?limit=0&from=yesterday&format=xml', { key: ADMIN_KEY });
    assert.equal(bad.status, 400);
    const problems = ((await bad.json()) as { problems: { field: string }[] }).problems.map((p) => p.field);
    assert.deepEqual(problems.sort(), ['format', 'from', 'limit']);
    const foreign = await request('GET', '/v1/audit?cursor=abc', { key: ADMIN_KEY });
    assert.equal(foreign.status, 400);
    assert.deepEqual(
      ((await foreign.json()) as { problems: { field: string }[] }).problems.map((p) => p.field),
      ['cursor'],
    );
  });

  it('answers 503 audit_unavailable, never a success, when an act’s row cannot be written', async () => {
    const closed = await openStore({ kind: 'sqlite', file: path.join(dir, 'closed.sqlite') });
    await closed.close();
    const broken = await startHttpApi({
      temporalClient: stack.env.client,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      port: 0,
      store: closed,
    });
    try {
      const hire = newHire();
      const answer = await request('POST', '/v1/onboardings', { body: hire, base: broken });
      stack.track({ workflowId: lifecycleWorkflowId('onboarding', hire.externalID) });
      assert.equal(answer.status, 503);
      assert.equal(((await answer.json()) as { error: string }).error, 'audit_unavailable');
    } finally {
      await broken.close();
    }
  });
});

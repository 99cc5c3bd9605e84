// Long on purpose: one suite per API surface shares one HR API, dev server and simulator start-up.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type PersonState } from '../../../client/person-state';
import { type RunSummary } from '../../../client/run-list';
import { apiRoutes } from '../../../client/http/app';
import { createApiLogger } from '../../../client/http/logger';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { type FieldProblem } from '../../../lifecycle/validation';
import { type OffboardingOutcome, type OffboardingStatus } from '../../../workflows/offboarding-messages';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { newHire, onboardingPolicy } from '../../helpers/people';
import { waitFor } from '../../helpers/waiting';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

/** The HR API over real HTTP, against the Temporal dev server with real workers and the simulator. */

const KEY = `hr-key-${randomBytes(24).toString('hex')}`;
/** The support key: delete-now and a shorter retention need it. */
const ADMIN_KEY = `support-key-${randomBytes(24).toString('hex')}`;
const isoDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);
const inDays = (days: number) => isoDate(Date.now() + days * 86_400_000);

interface Answer<T = Body> {
  status: number;
  headers: Headers;
  body: T;
}

/** The fields the tests read, across the API's answers (each is optional: assertions check them). */
interface Body {
  error?: string;
  message?: string;
  reason?: string;
  problems?: FieldProblem[];
  status?: string;
  workflowId?: string;
  runId?: string;
  closedStatus?: string;
  links?: Record<string, string>;
  temporal?: { reachable: boolean };
  runs?: RunSummary[];
  query?: string;
  outcome?: OffboardingOutcome;
}
type PersonBody = Body & Omit<Partial<PersonState>, 'externalID'>;
type OffboardingActionBody = Body & { offboarding?: OffboardingStatus };

interface SchemaObject {
  type?: string;
  additionalProperties?: unknown;
  required?: string[];
  properties?: Record<string, { maxLength?: number; format?: string; maximum?: number }>;
}
interface Operation {
  security?: unknown[];
  parameters?: { name: string }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, unknown>;
}
interface OpenApiDocument {
  openapi: string;
  security: unknown;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, SchemaObject>;
    securitySchemes: Record<string, { scheme: string }>;
  };
}

describe('HR HTTP API (real HTTP, dev server, real workers and simulator)', () => {
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  /** A second instance with a short Temporal deadline, for the 504 case. */
  let impatientApi: RunningHttpApi;
  const logLines: string[] = [];
  /** Every response (status line, headers, body) seen by the tests: the key must be in none. */
  const seen: string[] = [];

  before(async () => {
    stack = await startLifecycleTestStack({ server: 'dev-server' });
    const common = {
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      adminApiKey: ADMIN_KEY,
      port: 0,
      // No secrets to redact on purpose: the key must never reach the logger in the first place.
      logger: createApiLogger({ format: 'json', level: 'DEBUG', write: (line) => logLines.push(line) }),
    };
    api = await startHttpApi(common);
    impatientApi = await startHttpApi({ ...common, temporalTimeoutMs: 1_500 });
  });
  after(async () => {
    await api?.close();
    await impatientApi?.close();
    await stack?.close();
  });
  afterEach(async () => {
    await stack.terminateLeftoverRuns();
  });

  async function call<T = Body>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      rawBody?: string;
      key?: string | null;
      authorization?: string;
      contentType?: string;
      base?: RunningHttpApi;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const key = options.key === undefined ? KEY : options.key;
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    else if (key !== null) headers.authorization = `Bearer ${key}`;
    const payload =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(`${(options.base ?? api).url}${path}`, { method, headers, body: payload });
    const text = await response.text();
    seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  const track = (externalID: string, lifecycle: 'onboarding' | 'offboarding') =>
    stack.track({ workflowId: `${lifecycle}-${externalID}` });
  const person = (externalID: string) =>
    call<PersonBody>('GET', `/v1/people/${encodeURIComponent(externalID)}`);
  const runCount = async (workflowId: string) => {
    let count = 0;
    for await (const _ of stack.env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      count += 1;
    return count;
  };
  const assertNothingStarted = async (workflowId: string) =>
    assert.rejects(stack.env.client.workflow.getHandle(workflowId).describe(), WorkflowNotFoundError);
  const fieldsOf = (answer: Answer) => new Set((answer.body.problems ?? []).map((problem) => problem.field));

  describe('authentication', () => {
    it('serves /health without a key, and says whether Temporal is reachable', async () => {
      const health = await call('GET', '/health', { key: null });
      assert.equal(health.status, 200);
      assert.deepEqual(
        { status: health.body.status, reachable: health.body.temporal?.reachable },
        { status: 'ok', reachable: true },
      );
    });

    it('answers 401 with WWW-Authenticate when the key is missing or wrong, and lets the right key in', async () => {
      const wrongKeys = [
        { key: null },
        { key: 'x'.repeat(KEY.length) },
        { key: `${KEY}x` },
        { key: KEY.slice(0, -1) },
        { authorization: `Basic ${KEY}` },
        { authorization: KEY },
        { authorization: 'Bearer' },
      ];
      for (const options of wrongKeys) {
        const answer = await call('GET', '/v1/runs', options);
        assert.equal(answer.status, 401, JSON.stringify(options));
        assert.equal(answer.body.error, 'unauthorized');
        assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer /);
      }
      assert.equal((await call('GET', '/v1/runs')).status, 200);
      assert.equal((await call('GET', '/v1/runs', { authorization: `bearer   ${KEY}` })).status, 200);
    });

    it('checks the key before anything else: no run starts, no body is judged', async () => {
      const hire = newHire();
      const answer = await call('POST', '/v1/onboardings', { body: hire, key: 'wrong-key-1234567890' });
      assert.equal(answer.status, 401);
      const invalid = await call('POST', '/v1/onboardings', { rawBody: '{oops', key: null });
      assert.equal(invalid.status, 401);
      const unknown = await call('GET', '/v1/nothing-here', { key: null });
      assert.equal(unknown.status, 401);
      await assertNothingStarted(`onboarding-${hire.externalID}`);
    });
  });

  describe('request validation', () => {
    it('names every bad field of an onboarding body and starts nothing', async () => {
      const answer = await call('POST', '/v1/onboardings', {
        body: {
          externalID: '   ',
          userName: 'x'.repeat(101),
          firstName: '',
          // lastName missing
          email: 'not-an-email',
          startDate: '2027-13-01',
          locale: 'english',
          groupIDs: [''],
          profile: { 'bad key': 'v' },
          contactEmail: 'nobody',
          reminderPolicy: { remindAfterDays: [7, 3], expireAfterDays: 0 },
          favouriteColour: 'blue',
        },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid_request');
      const fields = fieldsOf(answer);
      for (const field of [
        'externalID',
        'userName',
        'firstName',
        'lastName',
        'email',
        'startDate',
        'locale',
        'groupIDs.0',
        'profile.bad key',
        'contactEmail',
        'reminderPolicy.remindAfterDays',
        'reminderPolicy.expireAfterDays',
        '(input)',
      ]) {
        assert.ok(fields.has(field), `${field} is named in ${JSON.stringify(answer.body.problems)}`);
      }
      const unknown = (answer.body.problems as { field: string; message: string }[]).find(
        (problem) => problem.field === '(input)',
      );
      assert.match(unknown?.message ?? '', /favouriteColour/);
      assert.equal(
        (answer.body.problems as { field: string; message: string }[]).find((p) => p.field === 'lastName')
          ?.message,
        'is required',
      );

      // One bad field among good ones: still nothing starts.
      const hire = newHire({ email: 'still-not-an-email' });
      const one = await call('POST', '/v1/onboardings', { body: hire });
      assert.equal(one.status, 400);
      assert.deepEqual([...fieldsOf(one)], ['email']);
      await assertNothingStarted(`onboarding-${hire.externalID}`);
    });

    it('names every bad field of an offboarding body and starts nothing', async () => {
      const answer = await call('POST', '/v1/offboardings', {
        body: {
          externalID: 42,
          lastWorkingDay: 'next friday',
          retentionDays: -1,
          deleteAt: '2027-01-31',
          reason: 'r'.repeat(501),
          badge: 'returned',
        },
      });
      assert.equal(answer.status, 400);
      assert.deepEqual(
        fieldsOf(answer),
        new Set(['externalID', 'lastWorkingDay', 'retentionDays', 'deleteAt', 'reason', '(input)']),
      );

      const both = await call('POST', '/v1/offboardings', {
        body: { externalID: 'emp-both-ways', retentionDays: 5, deleteAt: '2027-01-31T17:00:00Z' },
      });
      assert.equal(both.status, 400);
      assert.deepEqual([...fieldsOf(both)], ['deleteAt']);
      await assertNothingStarted('offboarding-emp-both-ways');

      const empty = await call('POST', '/v1/offboardings', { rawBody: '' });
      assert.equal(empty.status, 400);
      assert.deepEqual([...fieldsOf(empty)], ['externalID']);
    });

    it('rejects a bad rerun flag together with the body problems', async () => {
      const answer = await call('POST', '/v1/onboardings?rerun=yes&force=1', { body: { externalID: 'e' } });
      assert.equal(answer.status, 400);
      const fields = fieldsOf(answer);
      for (const field of ['rerun', 'userName', 'firstName', 'lastName', 'email'])
        assert.ok(fields.has(field), field);
    });

    it('answers malformed JSON with 400, other media types with 415, a large body with 413, unknown routes with 404', async () => {
      const malformed = await call('POST', '/v1/onboardings', { rawBody: '{"externalID": "a",' });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error, 'malformed_json');

      const poisoned = await call('POST', '/v1/onboardings', { rawBody: '{"__proto__": {"admin": true}}' });
      assert.equal(poisoned.status, 400);

      const text = await call('POST', '/v1/onboardings', {
        rawBody: 'externalID=a',
        contentType: 'text/plain',
      });
      assert.equal(text.status, 415);
      assert.equal(text.body.error, 'unsupported_media_type');

      const hire = newHire({ profile: { notes: 'x'.repeat(1000) } });
      const huge = { ...hire, groupIDs: Array.from({ length: 100 }, () => 'g'.repeat(700)) };
      const tooLarge = await call('POST', '/v1/onboardings', { body: huge });
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.body.error, 'payload_too_large');
      await assertNothingStarted(`onboarding-${hire.externalID}`);

      const unknown = await call('GET', '/v1/nothing-here');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error, 'not_found');
      assert.equal((await call('DELETE', '/v1/onboardings')).status, 404);
    });

    it('checks path and query parameters', async () => {
      const longId = 'x'.repeat(256);
      const answer = await call('POST', `/v1/offboardings/${longId}/delete-now`, { key: ADMIN_KEY });
      assert.equal(answer.status, 400);
      assert.deepEqual([...fieldsOf(answer)], ['externalID']);

      const runs = await call('GET', '/v1/runs?lifecycle=hiring&limit=0&open=maybe&colour=red');
      assert.equal(runs.status, 400);
      assert.deepEqual(fieldsOf(runs), new Set(['lifecycle', 'limit', 'open', '(input)']));
    });
  });

  describe('starting runs', () => {
    it('starts one run per person: a repeat answers 200 with the same run, concurrent repeats too', async () => {
      const hire = newHire({ startDate: inDays(60) });
      track(hire.externalID, 'onboarding');
      const first = await call('POST', '/v1/onboardings', { body: hire });
      assert.equal(first.status, 202);
      assert.equal(first.body.status, 'started');
      assert.equal(first.body.workflowId, `onboarding-${hire.externalID}`);
      assert.ok(first.body.runId);
      assert.equal(first.headers.get('location'), `/v1/people/${hire.externalID}`);
      assert.equal(first.body.links?.cancel, `/v1/onboardings/${hire.externalID}/cancel`);

      const again = await call('POST', '/v1/onboardings', { body: hire });
      assert.equal(again.status, 200);
      assert.equal(again.body.status, 'already-running');
      assert.equal(again.body.runId, first.body.runId);

      const racing = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/onboardings', { body: hire })));
      assert.deepEqual(
        racing.map((answer) => [answer.status, answer.body.runId]),
        racing.map(() => [200, first.body.runId]),
      );
      await waitFor(
        () => runCount(String(first.body.workflowId)),
        (count) => count > 0,
        { what: 'visibility' },
      );
      assert.equal(await runCount(String(first.body.workflowId)), 1);

      // Two people at once: two runs, each started once.
      const [a, b] = [newHire(), newHire()];
      track(a.externalID, 'onboarding');
      track(b.externalID, 'onboarding');
      const both = await Promise.all([a, b, a, b].map((body) => call('POST', '/v1/onboardings', { body })));
      assert.deepEqual(both.map((answer) => answer.status).sort(), [200, 200, 202, 202]);
    });

    it('shows a running onboarding, lists it by stage, and shows its outcome once completed', async () => {
      const hire = newHire();
      track(hire.externalID, 'onboarding');
      await stack.runWorkers(async () => {
        const started = await call('POST', '/v1/onboardings', { body: hire });
        assert.equal(started.status, 202);

        const running = await waitFor(
          () => person(hire.externalID),
          (answer) => answer.body.onboarding?.status?.stage === 'awaiting-activation',
          { what: 'awaiting-activation' },
        );
        assert.equal(running.status, 200);
        assert.equal(running.body.onboarding?.runStatus, 'RUNNING');
        assert.equal(running.body.onboarding?.runId, started.body.runId);
        assert.equal(running.body.offboarding, undefined);

        const listed = await waitFor(
          () => call('GET', '/v1/runs?lifecycle=onboarding&stage=awaiting-activation&limit=1000'),
          (answer) =>
            (answer.body.runs as { externalID: string }[]).some((run) => run.externalID === hire.externalID),
          { what: 'the run in visibility' },
        );
        assert.match(listed.body.query ?? '', /LifecycleStage = 'awaiting-activation'/);

        const activated = await call('POST', `/v1/onboardings/${hire.externalID}/activated`, {
          body: { source: 'workday' },
        });
        assert.equal(activated.status, 202);
        assert.equal(activated.body.status, 'accepted');

        const done = await waitFor(
          () => person(hire.externalID),
          (answer) => answer.body.onboarding?.runStatus === 'COMPLETED',
          { what: 'completion' },
        );
        assert.equal(done.body.onboarding?.outcome?.result, 'activated');
        assert.equal(done.body.onboarding?.outcome?.activatedVia, 'signal');
      });

      const late = await call('POST', `/v1/onboardings/${hire.externalID}/activated`);
      assert.equal(late.status, 404);
      assert.equal(late.body.error, 'no_open_run');

      const repeat = await call('POST', '/v1/onboardings', { body: hire });
      assert.equal(repeat.status, 409);
      assert.equal(repeat.body.error, 'already_completed');
      assert.equal(repeat.body.closedStatus, 'COMPLETED');
      assert.match(repeat.body.message ?? '', /rerun=true/);

      const rerun = await call('POST', '/v1/onboardings?rerun=true', { body: hire });
      assert.equal(rerun.status, 202);
      assert.notEqual(rerun.body.runId, repeat.body.runId);
    });

    it('answers 404 for a person without runs', async () => {
      const answer = await person('emp-never-seen');
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error, 'not_found');
    });
  });

  describe('onboarding actions', () => {
    it('moves the start date and cancels a scheduled onboarding; 404 once it has ended', async () => {
      const hire = newHire({ startDate: inDays(40) });
      track(hire.externalID, 'onboarding');
      const id = hire.externalID;
      await stack.runWorkers(async () => {
        assert.equal((await call('POST', '/v1/onboardings', { body: hire })).status, 202);
        await waitFor(
          () => person(id),
          (answer) => answer.body.onboarding?.status?.stage === 'scheduled',
          { what: 'scheduled' },
        );

        const bad = await call('POST', `/v1/onboardings/${id}/start-date`, {
          body: { startDate: '31.12.2027' },
        });
        assert.equal(bad.status, 400);
        assert.deepEqual([...fieldsOf(bad)], ['startDate']);
        const missing = await call('POST', `/v1/onboardings/${id}/start-date`);
        assert.deepEqual([...fieldsOf(missing)], ['startDate']);

        const newDate = inDays(50);
        const moved = await call('POST', `/v1/onboardings/${id}/start-date`, {
          body: { startDate: newDate },
        });
        assert.equal(moved.status, 202);
        await waitFor(
          () => person(id),
          (answer) => answer.body.onboarding?.status?.startDate === newDate,
          { what: 'the new start date' },
        );

        const cancelled = await call('POST', `/v1/onboardings/${id}/cancel`, {
          body: { reason: 'offer withdrawn' },
        });
        assert.equal(cancelled.status, 202);
        const done = await waitFor(
          () => person(id),
          (answer) => answer.body.onboarding?.runStatus === 'COMPLETED',
          { what: 'cancelled' },
        );
        assert.equal(done.body.onboarding?.outcome?.result, 'cancelled');
      });
      for (const action of ['cancel', 'activated']) {
        const answer = await call('POST', `/v1/onboardings/${id}/${action}`);
        assert.equal(answer.status, 404, action);
        assert.equal(answer.body.error, 'no_open_run');
      }
      const never = await call('POST', '/v1/onboardings/emp-no-such-run/start-date', {
        body: { startDate: inDays(3) },
      });
      assert.equal(never.status, 404);
    });
  });

  describe('offboarding actions', () => {
    it('legal hold blocks delete-now (409), release and retention change answer with the status, delete-now deletes', async () => {
      const hire = newHire();
      const id = hire.externalID;
      await stack.control.seedUser({
        externalID: id,
        userName: hire.userName,
        firstName: hire.firstName,
        lastName: hire.lastName,
        emails: [{ value: hire.email, primary: true }],
        status: 'activated',
      });
      track(id, 'offboarding');
      await stack.runWorkers(async () => {
        const started = await call('POST', '/v1/offboardings', {
          body: { externalID: id, reason: 'resigned' },
        });
        assert.equal(started.status, 202);
        await waitFor(
          () => person(id),
          (answer) => answer.body.offboarding?.status?.stage === 'retention',
          { what: 'retention' },
        );
        assert.equal((await stack.control.user(id))?.status, 'deactivated');

        const noReason = await call('POST', `/v1/offboardings/${id}/legal-hold`, { body: { reason: '  ' } });
        assert.equal(noReason.status, 400);
        assert.deepEqual([...fieldsOf(noReason)], ['reason']);

        const hold = await call<OffboardingActionBody>('POST', `/v1/offboardings/${id}/legal-hold`, {
          body: { reason: 'litigation 17' },
        });
        assert.equal(hold.status, 200);
        assert.equal(hold.body.offboarding?.legalHold?.reason, 'litigation 17');

        const hrKey = await call('POST', `/v1/offboardings/${id}/delete-now`);
        assert.equal(hrKey.status, 403, 'delete-now needs the support key');
        assert.equal(hrKey.body.error, 'forbidden');
        const refused = await call('POST', `/v1/offboardings/${id}/delete-now`, {
          key: ADMIN_KEY,
          headers: { 'x-requested-by': 'grace.support' },
        });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.error, 'action_refused');
        assert.equal(refused.body.reason, 'LegalHold');
        assert.match(refused.body.message ?? '', /litigation 17/);

        const releaseByHr = await call('POST', `/v1/offboardings/${id}/legal-hold/release`);
        assert.equal(releaseByHr.status, 403, 'releasing a hold needs the support key');
        assert.equal(releaseByHr.body.error, 'forbidden');
        const released = await call<OffboardingActionBody>(
          'POST',
          `/v1/offboardings/${id}/legal-hold/release`,
          { key: ADMIN_KEY },
        );
        assert.equal(released.status, 200);
        assert.equal(released.body.offboarding?.legalHold, undefined);
        const releasedTwice = await call('POST', `/v1/offboardings/${id}/legal-hold/release`, {
          body: {},
          key: ADMIN_KEY,
        });
        assert.equal(releasedTwice.status, 409);
        assert.equal(releasedTwice.body.reason, 'NoLegalHold');

        const neither = await call('POST', `/v1/offboardings/${id}/retention`, { body: {} });
        assert.deepEqual([...fieldsOf(neither)], ['retentionDays']);
        const both = await call('POST', `/v1/offboardings/${id}/retention`, {
          body: { retentionDays: 3, deleteAt: '2030-01-01T00:00:00Z' },
        });
        assert.deepEqual([...fieldsOf(both)], ['deleteAt']);
        const badDays = await call('POST', `/v1/offboardings/${id}/retention`, {
          body: { retentionDays: 9999 },
        });
        assert.deepEqual([...fieldsOf(badDays)], ['retentionDays']);

        const deactivatedAt = Date.parse(String(hold.body.offboarding?.deactivatedAt));
        // Keeping the account longer is a correction HR systems may make; bringing the deletion
        // forward needs the support key.
        const longer = await call<OffboardingActionBody>('POST', `/v1/offboardings/${id}/retention`, {
          body: { retentionDays: 40 },
        });
        assert.equal(longer.status, 200);
        const shorterByHr = await call('POST', `/v1/offboardings/${id}/retention`, {
          body: { retentionDays: 10 },
        });
        assert.equal(shorterByHr.status, 403);
        assert.equal(shorterByHr.body.error, 'forbidden');
        assert.equal((shorterByHr.body as { rule?: string }).rule, 'early-deletion-needs-admin-key');
        const retention = await call<OffboardingActionBody>('POST', `/v1/offboardings/${id}/retention`, {
          body: { retentionDays: 10 },
          key: ADMIN_KEY,
        });
        assert.equal(retention.status, 200);
        assert.equal(
          Date.parse(String(retention.body.offboarding?.deleteAt)),
          deactivatedAt + 10 * 86_400_000,
        );

        const extra = await call('POST', `/v1/offboardings/${id}/delete-now`, {
          body: { force: true },
          key: ADMIN_KEY,
        });
        assert.equal(extra.status, 400);

        const deleted = await call('POST', `/v1/offboardings/${id}/delete-now`, {
          key: ADMIN_KEY,
          headers: { 'x-requested-by': 'grace.support' },
        });
        assert.equal(deleted.status, 200);
        const done = await waitFor(
          () => person(id),
          (answer) => answer.body.offboarding?.runStatus === 'COMPLETED',
          { what: 'deletion' },
        );
        assert.equal(done.body.offboarding?.outcome?.result, 'deleted');
      });
      assert.equal(await stack.control.user(id), undefined);
      // One audit line per act on the person: who asked (key; X-Requested-By as claimedBy), never a name or email.
      const audits = logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.audit === true && line.externalID === id);
      assert.deepEqual(
        audits.map((line) => line.event),
        [
          'offboarding-started',
          'legal-hold-placed',
          'legal-hold-released',
          'retention-changed',
          'retention-shortened',
          'delete-now-requested',
        ],
      );
      const deletion = audits.at(-1);
      assert.equal(deletion?.via, 'admin-key');
      assert.equal(deletion?.claimedBy, 'grace.support');
      assert.equal(deletion?.requestedBy, undefined, 'X-Requested-By is self-asserted: never requestedBy');
      assert.equal(deletion?.workflowId, `offboarding-${id}`);
      assert.ok(typeof deletion?.staffbaseUserId === 'string');
      for (const line of audits) {
        const text = JSON.stringify(line);
        for (const personal of [hire.email, hire.firstName, hire.lastName, hire.userName]) {
          assert.ok(!text.includes(personal), `no ${personal} in an audit line`);
        }
      }
      const late = await call('POST', `/v1/offboardings/${id}/cancel`);
      assert.equal(late.status, 404);
      assert.equal(late.body.error, 'no_open_run');

      const closed = await waitFor(
        () => call('GET', `/v1/runs?lifecycle=offboarding&open=false&limit=1000`),
        (answer) => (answer.body.runs as { externalID: string }[]).some((run) => run.externalID === id),
        { what: 'the closed run in visibility' },
      );
      assert.equal(closed.status, 200);
    });

    it('cancels a scheduled offboarding and answers with its outcome', async () => {
      const id = newHire().externalID;
      track(id, 'offboarding');
      await stack.runWorkers(async () => {
        const started = await call('POST', '/v1/offboardings', {
          body: { externalID: id, lastWorkingDay: inDays(20) },
        });
        assert.equal(started.status, 202);
        const cancelled = await call('POST', `/v1/offboardings/${id}/cancel`, {
          body: { reason: 'stays after all' },
        });
        assert.equal(cancelled.status, 200);
        assert.equal(cancelled.body.outcome?.result, 'cancelled');
        assert.equal(cancelled.body.outcome?.reactivated, false);
      });
      for (const action of ['cancel', 'delete-now', 'legal-hold/release']) {
        const answer = await call('POST', `/v1/offboardings/${id}/${action}`, { key: ADMIN_KEY });
        assert.equal(answer.status, 404, action);
      }
    });

    it('answers 504 when no worker takes an update in time', async () => {
      const id = newHire().externalID;
      track(id, 'offboarding');
      // No workers running: the update waits for one.
      const started = await call('POST', '/v1/offboardings', {
        body: { externalID: id, lastWorkingDay: inDays(20) },
        base: impatientApi,
      });
      assert.equal(started.status, 202);
      const answer = await call('POST', `/v1/offboardings/${id}/legal-hold`, {
        body: { reason: 'audit' },
        base: impatientApi,
      });
      assert.equal(answer.status, 504);
      assert.equal(answer.body.error, 'temporal_timeout');
    });
  });

  describe('OpenAPI document', () => {
    it('is OpenAPI 3.1 JSON with every route, its request schemas generated from the zod schemas', async () => {
      assert.equal((await call('GET', '/v1/openapi.json', { key: null })).status, 401);
      const answer = await call<OpenApiDocument>('GET', '/v1/openapi.json');
      assert.equal(answer.status, 200);
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
      const doc = answer.body;
      assert.equal(doc.openapi, '3.1.0');
      assert.deepEqual(doc.security, [{ lifecycleKey: [] }, { adminKey: [] }]);
      assert.equal(doc.components.securitySchemes.lifecycleKey?.scheme, 'bearer');
      assert.equal(doc.components.securitySchemes.adminKey?.scheme, 'bearer');
      // Which route needs which key: the support key alone for delete-now, support and codec routes.
      const keyOf = (path: string, method: string) =>
        (doc.paths[path]?.[method] as { 'x-required-key'?: string } | undefined)?.['x-required-key'];
      assert.equal(keyOf('/v1/onboardings', 'post'), 'lifecycle');
      assert.equal(keyOf('/v1/offboardings/{externalID}/delete-now', 'post'), 'admin');
      assert.deepEqual(doc.paths['/v1/offboardings/{externalID}/delete-now']?.post?.security, [
        { adminKey: [] },
      ]);
      assert.equal(keyOf('/v1/bulk/cleanups', 'post'), 'admin');
      assert.equal(keyOf('/v1/bulk/{workflowId}/confirm', 'post'), 'admin');
      assert.equal(keyOf('/codec/decode', 'post'), 'admin');
      assert.equal(keyOf('/health', 'get'), 'none');

      const expected = [
        'GET /health',
        'GET /v1/openapi.json',
        'POST /v1/onboardings',
        'POST /v1/offboardings',
        'GET /v1/people/{externalID}',
        'GET /v1/runs',
        'POST /v1/onboardings/{externalID}/activated',
        'POST /v1/onboardings/{externalID}/cancel',
        'POST /v1/onboardings/{externalID}/start-date',
        'POST /v1/offboardings/{externalID}/cancel',
        'POST /v1/offboardings/{externalID}/delete-now',
        'POST /v1/offboardings/{externalID}/legal-hold',
        'POST /v1/offboardings/{externalID}/legal-hold/release',
        'POST /v1/offboardings/{externalID}/retention',
      ];
      const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
      for (const route of expected) assert.ok(documented.includes(route), `${route} is documented`);
      // Every route the server registers is documented, and nothing else.
      assert.deepEqual(
        new Set(documented),
        new Set(apiRoutes.map((route) => `${route.method} ${route.path}`)),
      );
      assert.deepEqual(doc.paths['/health']?.get?.security, []);

      const onboarding = doc.components.schemas.OnboardingRequest ?? {};
      assert.equal(onboarding.type, 'object');
      assert.equal(onboarding.additionalProperties, false);
      assert.deepEqual(onboarding.required, ['externalID', 'userName', 'firstName', 'lastName', 'email']);
      assert.equal(onboarding.properties?.externalID?.maxLength, 255);
      assert.equal(onboarding.properties?.startDate?.format, 'date');
      const offboarding = doc.components.schemas.OffboardingRequest ?? {};
      assert.deepEqual(offboarding.required, ['externalID']);
      assert.equal(offboarding.properties?.retentionDays?.maximum, 3650);
      assert.equal(
        doc.paths['/v1/onboardings']?.post?.requestBody?.content['application/json']?.schema.$ref,
        '#/components/schemas/OnboardingRequest',
      );
      assert.ok(doc.paths['/v1/onboardings']?.post?.responses['202']);
      assert.ok(doc.paths['/v1/onboardings']?.post?.responses['401']);
      const runsParameters = (doc.paths['/v1/runs']?.get?.parameters ?? []).map((p) => p.name);
      assert.deepEqual(runsParameters, ['lifecycle', 'stage', 'open', 'limit', 'q']);

      // Every $ref points at a schema that exists.
      const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
      for (const ref of new Set(refs)) {
        assert.ok(doc.components.schemas[ref.split('/').at(-1) ?? ''], `${ref} exists`);
      }
    });
  });

  describe('secrets', () => {
    it('never shows the key in a response or a log line, and logs one line per request', () => {
      assert.ok(seen.length > 50, `${seen.length} responses checked`);
      for (const response of seen) assert.ok(!response.includes(KEY), 'no response carries the key');
      assert.ok(logLines.length >= seen.length, `${logLines.length} log lines for ${seen.length} requests`);
      for (const line of logLines) {
        assert.ok(!line.includes(KEY), 'no log line carries the key');
        assert.ok(!/authorization/i.test(line), `no header in ${line}`);
      }
      const requestLines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.ok(requestLines.some((line) => line.msg === 'request' && line.status === 401));
    });
  });
});

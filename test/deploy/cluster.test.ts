/**
 * `npm run test:cluster` (not part of `npm test`: it builds the image's contents and runs a real
 * cluster, a few minutes). The production topology of docker-compose.yml, run for real on this
 * machine: PostgreSQL, the Temporal server with SQL persistence and visibility, TWO worker processes
 * and the HR API from the image's file system, and the simulator as a rate-limited tenant.
 *
 * It proves what parsing the compose file cannot: the schema set-up, the search-attribute
 * registration, the worker's and the API's connection settings, the rate limit shared by two workers,
 * recovery from a killed worker, and a durable timer that outlives a server restart.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pinnedTemporalServerVersion, temporalServerParts } from '../../tooling/cluster-binaries';
import { lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import { imageTag } from '../helpers/cluster/compose-file';
import { type CallRecord } from '../../simulator/control-client';
import {
  type LifecycleCluster,
  TENANT_REQUESTS_PER_SECOND,
  type WorkerProcess,
  startLifecycleCluster,
} from '../helpers/cluster/lifecycle-cluster';
import {
  maxCallsInAnyWindow,
  activityIdentities,
  onboardThroughApi,
} from '../helpers/cluster/cluster-checks';
import { waitFor } from '../helpers/waiting';

const PEOPLE = 200;

describe('the production topology: PostgreSQL, Temporal server, two workers and the HR API', () => {
  let cluster: LifecycleCluster;
  let workDir: string;
  const people = Array.from(
    { length: PEOPLE },
    (_, index) => `cluster-${String(index + 1).padStart(3, '0')}`,
  );

  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'staffbase-lifecycle-cluster-'));
    cluster = await startLifecycleCluster(workDir);
  });

  after(async () => {
    await cluster?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('builds the image from the Dockerfile: compiled entry points, the workflow bundle, production dependencies only', (t) => {
    t.diagnostic(cluster.image.log.join('\n'));
    const app = cluster.image.runtime.dir;
    for (const file of [
      'dist/worker/main.js',
      'dist/worker/healthcheck.js',
      'dist/client/http/main.js',
      'dist/workflow-bundle.js',
    ]) {
      assert.ok(existsSync(path.join(app, file)), `the image lacks ${file}`);
    }
    for (const absent of [
      'node_modules/typescript',
      'node_modules/tsx',
      'dist/test',
      'dist/tooling',
      'test',
      '.env',
    ]) {
      assert.ok(!existsSync(path.join(app, absent)), `the image should not hold ${absent}`);
    }
    assert.equal(cluster.image.runtime.user, 'node');
    assert.match(cluster.image.runtime.baseImage, /^node:22\./);
  });

  it('runs the server version, database and settings that docker-compose.yml deploys', () => {
    const parts = temporalServerParts();
    const version = execFileSync(parts.server, ['--version'], { encoding: 'utf8' });
    // The server built from package.json's pin (test/deploy/compose.test.ts keeps that pin equal to
    // compose's image tag); here: the same minor release line as compose's image at least.
    assert.match(version, new RegExp(`\\b${pinnedTemporalServerVersion().replaceAll('.', '\\.')}\\b`));
    const composeMinor = imageTag(cluster.compose.services.temporal?.image)?.split('.').slice(0, 2).join('.');
    assert.match(version, new RegExp(`\\b${composeMinor?.replaceAll('.', '\\.')}\\.\\d+\\b`));
    const postgresTag = imageTag(cluster.compose.services.postgresql?.image) ?? '';
    assert.equal(
      cluster.postgres.majorVersion,
      Number(postgresTag.split('.')[0]),
      'PostgreSQL major version',
    );
    // The same dynamic config file compose mounts, checked by the server's own validator.
    execFileSync(
      parts.server,
      ['validate-dynamic-config', cluster.temporal.settings.DYNAMIC_CONFIG_FILE_PATH ?? ''],
      {
        encoding: 'utf8',
      },
    );
    assert.match(
      cluster.setupOutput,
      /ready with search attributes StaffbaseExternalId, LifecycleStage, AttentionCode, LegalHold, StaffbaseUserId;/,
    );
  });

  it('passes the health checks compose runs: GET /health of the API, the worker seen polling', async () => {
    const health = (await (await fetch(`${cluster.apiUrl}/health`)).json()) as {
      status: string;
      temporal: { reachable: boolean };
    };
    assert.equal(health.status, 'ok');
    assert.equal(health.temporal.reachable, true);
    const check = cluster.runInImage('worker-healthcheck', ['dist/worker/healthcheck.js']);
    assert.equal(await check.exited, 0, check.output());
  });

  it('has the clean-up Schedule, created by the workers at start', async () => {
    const schedule = await cluster.client.schedule.getHandle('cleanup-pending-accounts').describe();
    assert.equal(schedule.state.paused, false);
  });

  it('serves the HR console from the image: `/` and the script it loads', async () => {
    const page = await fetch(`${cluster.apiUrl}/`);
    const html = await page.text();
    assert.equal(page.status, 200, html.slice(0, 300));
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const script = /<script[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
    assert.ok(script, 'the console page loads a script');
    const scriptResponse = await fetch(new URL(script, `${cluster.apiUrl}/`));
    assert.equal(scriptResponse.status, 200);
    assert.match(scriptResponse.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok((await scriptResponse.text()).length > 1_000, 'the console script is the built bundle');
  });

  it(`onboards ${PEOPLE} people through the HR API: a support logout goes ahead of the backlog, one worker is SIGKILLed and restarted, the other drained with SIGTERM`, async (t) => {
    const [first, second] = cluster.workers;
    assert.ok(first && second);
    const leaver = 'cluster-support-logout';
    await cluster.control.seedUser({
      externalID: leaver,
      userName: 'cluster.support.logout',
      emails: [{ value: 'cluster-support-logout@example.test', primary: true }],
      status: 'activated',
      sessions: 2,
    });
    const creates = async (): Promise<number> =>
      (await cluster.control.log()).filter((call) => call.method === 'POST' && call.path.endsWith('/users'))
        .length;
    let restarted: WorkerProcess | undefined;
    let drainedExit: number | null | undefined;
    let backlogAtLogout = 0;
    let createsAtDrain = PEOPLE;
    await onboardThroughApi(cluster, people, {
      halfway: async (accepted) => {
        // Both workers must have taken Staffbase calls before one dies.
        await waitFor(
          () => activityIdentities(cluster.client, people.slice(0, 20)),
          (seen) => [first, second].every((worker) => seen.has(worker.identity)),
          { timeoutMs: 60_000, intervalMs: 1_000, what: 'both workers to run activities' },
        );
        // Priority on server 1.29: the onboardings accepted but not yet created wait for the rate.
        backlogAtLogout = accepted() - (await creates());
        const response = await fetch(`${cluster.apiUrl}/v1/people/${leaver}/logout`, {
          method: 'POST',
          headers: { authorization: `Bearer ${cluster.adminApiKey}`, 'content-type': 'application/json' },
          body: '{}',
        });
        assert.equal(response.status, 202, await response.text());
        await waitFor(
          async () => (await cluster.control.log()).some((call) => isLogoutOf(call)),
          (done) => done,
          { timeoutMs: 60_000, intervalMs: 250, what: 'the support logout to reach Staffbase' },
        );
        // Mid-bulk: a crash of one worker and a deploy's stop of the other (SIGTERM: polling ends, calls
        // in flight finish, exit 0 within the grace period); then the restart compose's
        // `restart: unless-stopped` does, which carries the rest of the bulk alone.
        createsAtDrain = await creates();
        await first.process.stop('SIGKILL');
        await second.process.stop('SIGTERM', 90_000);
        drainedExit = await second.process.exited;
        restarted = await cluster.startWorker('worker-a-restarted');
      },
    });
    assert.ok(
      createsAtDrain <= PEOPLE - 20,
      `the bulk was nearly done (${createsAtDrain}) when the workers stopped`,
    );
    assert.equal(
      drainedExit,
      0,
      `the drained worker exited with ${drainedExit}:\n${second.process.output()}`,
    );
    // Visible by stage through the server's SQL visibility (temporal_visibility on PostgreSQL).
    await waitFor(
      () =>
        cluster.client.workflow.count(
          `WorkflowType = 'onboarding' AND LifecycleStage = 'awaiting-activation'`,
        ),
      (count) => count.count === PEOPLE,
      { timeoutMs: 240_000, intervalMs: 2_000, what: `${PEOPLE} onboardings awaiting activation` },
    );
    const users = await cluster.control.users();
    for (const person of people) {
      const accounts = users.filter((user) => user.externalID === person);
      assert.equal(accounts.length, 1, `${person} has ${accounts.length} accounts`);
    }
    const identities = await activityIdentities(cluster.client, people);
    for (const worker of [first, second, restarted]) {
      assert.ok(worker && identities.has(worker.identity), `no activity ran on ${worker?.name}`);
    }

    const log = await cluster.control.log();
    const logoutAt = log.findIndex((call) => isLogoutOf(call));
    const createsBeforeLogout = log
      .slice(0, logoutAt)
      .filter((call) => call.method === 'POST' && call.path.endsWith('/users')).length;
    const createsAfterLogout = PEOPLE - createsBeforeLogout;
    t.diagnostic(
      `support logout: ${backlogAtLogout} onboardings waiting when it started, ${createsAfterLogout} creations after it; ` +
        `${createsAtDrain} of ${PEOPLE} created when the workers were killed and drained`,
    );
    // One lane would have sent every creation accepted before the logout ahead of it.
    assert.ok(backlogAtLogout >= 20, `no backlog to go ahead of (${backlogAtLogout})`);
    assert.ok(
      createsAfterLogout >= backlogAtLogout / 2,
      `only ${createsAfterLogout} creations after the urgent logout; ${backlogAtLogout} were waiting when it started`,
    );
  });

  it('deletes a leaver after a short retention whose timer fires after a server restart', async () => {
    const leaver = people[0] ?? '';
    await cluster.control.activate(leaver);
    const deleteAt = new Date(Date.now() + 25_000).toISOString();
    const response = await fetch(`${cluster.apiUrl}/v1/offboardings`, {
      method: 'POST',
      // Sooner than the policy's retention: the support key's to ask (the HR key gets a 403).
      headers: { authorization: `Bearer ${cluster.adminApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalID: leaver, deleteAt }),
    });
    assert.equal(response.status, 202, await response.text());
    const offboarding = cluster.client.workflow.getHandle(lifecycleWorkflowId('offboarding', leaver));
    await waitFor(
      async () => (await offboarding.describe()).searchAttributes.LifecycleStage?.[0],
      (stage) => stage === 'retention',
      { timeoutMs: 90_000, intervalMs: 500, what: 'the offboarding to wait in retention' },
    );
    // Down across the deletion moment: the timer is in PostgreSQL, not in any process.
    await cluster.restartServer({ downMs: Math.max(0, Date.parse(deleteAt) - Date.now()) + 3_000 });
    await waitFor(
      () => cluster.control.user(leaver),
      (user) => user === undefined,
      {
        timeoutMs: 120_000,
        intervalMs: 1_000,
        what: `${leaver} deleted after the restart`,
      },
    );
    const outcome = (await offboarding.result()) as { result?: string };
    assert.equal(outcome.result, 'deleted');
  });

  it("ran the workers at the tenant's full rate without exceeding it (simulator call log)", async (t) => {
    const calls = await cluster.control.log();
    const limited = calls.filter((call) => call.status === 429).length;
    const R = TENANT_REQUESTS_PER_SECOND;
    const busiestSecond = maxCallsInAnyWindow(calls, 1_000);
    const busiestTenSeconds = maxCallsInAnyWindow(calls, 10_000);
    t.diagnostic(
      `${calls.length} calls, ${limited} answered 429; busiest 1 s: ${busiestSecond}, busiest 10 s: ${busiestTenSeconds} (R = ${R})`,
    );
    assert.ok(calls.length > PEOPLE, `only ${calls.length} Staffbase calls were logged`);
    // The server limits when it dispatches a task, the tenant counts when a request arrives: a loaded
    // worker that sends two dispatched tasks' requests together can meet a tenant bucket emptied by
    // the burst above, and waits out its Retry-After. Measured 0 of ~210 in four runs, 3 of 213 on a
    // loaded CI machine: the bound allows that jitter (2 %) and fails a limiter that is off or too loose.
    assert.ok(limited <= calls.length / 50, `${limited} of ${calls.length} calls met 429 (more than 2 %)`);
    // The server's limiter (GCRA, service/matching/ratelimit_manager.go in 1.29: burst = one second of
    // the rate) lets a queue that was idle send R at once and R more within that second, exactly as
    // the tenant's token bucket allows. Over 10 s that burst is within 10 %; within 1 s it is 2 × R.
    assert.ok(busiestTenSeconds <= 1.1 * 10 * R, `${busiestTenSeconds} calls within 10 s`);
    assert.ok(busiestSecond <= 2 * R + 1, `${busiestSecond} calls within one second`);
    // At the full rate, not a quarter of it (which allows at most 10 × R/4 + R/4 within 10 s).
    assert.ok(busiestTenSeconds >= 0.4 * 10 * R, `only ${busiestTenSeconds} calls in the busiest 10 s`);
  });

  it('re-runs the schema job on the existing database: nothing to do, the server keeps serving', async () => {
    const output = await cluster.rerunSchemaJob();
    assert.match(output, /Temporal schemas are up to date \(role temporal_server\)/);
    const count = await cluster.client.workflow.count(`WorkflowType = 'onboarding'`);
    assert.equal(count.count, PEOPLE);
  });
});

function isLogoutOf(call: CallRecord): boolean {
  return call.method === 'DELETE' && call.path.endsWith('/sessions');
}

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
import {
  type LifecycleCluster,
  TENANT_REQUESTS_PER_SECOND,
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
      /ready with search attributes StaffbaseExternalId, LifecycleStage, AttentionCode/,
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

  it(`onboards ${PEOPLE} people through the HR API while one of two workers is SIGKILLed halfway`, async () => {
    const [first] = cluster.workers;
    assert.ok(first);
    await onboardThroughApi(cluster, people, {
      halfway: async () => {
        // Both workers must have taken Staffbase calls before one dies.
        await waitFor(
          () => activityIdentities(cluster.client, people.slice(0, 20)),
          (seen) => cluster.workers.every((worker) => seen.has(worker.identity)),
          { timeoutMs: 60_000, intervalMs: 1_000, what: 'both workers to run activities' },
        );
        first.process.stop('SIGKILL').catch(() => undefined);
      },
    });
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
    for (const worker of cluster.workers) {
      assert.ok(identities.has(worker.identity), `no activity ran on ${worker.name} (${worker.identity})`);
    }
  });

  it('deletes a leaver after a short retention whose timer fires after a server restart', async () => {
    const leaver = people[0] ?? '';
    await cluster.control.activate(leaver);
    const deleteAt = new Date(Date.now() + 25_000).toISOString();
    const response = await fetch(`${cluster.apiUrl}/v1/offboardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.apiKey}`, 'content-type': 'application/json' },
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

  it("never exceeded the tenant's rate limit (simulator call log: no 429, no window above the limit)", async () => {
    const calls = await cluster.control.log();
    assert.ok(calls.length > PEOPLE, `only ${calls.length} Staffbase calls were logged`);
    const limited = calls.filter((call) => call.status === 429);
    assert.equal(limited.length, 0, `${limited.length} calls met 429`);
    const busiest = maxCallsInAnyWindow(calls, 1_000);
    // A token bucket of one second's worth: at most twice the rate within any one-second window.
    assert.ok(busiest <= 2 * TENANT_REQUESTS_PER_SECOND, `${busiest} calls within one second`);
  });
});

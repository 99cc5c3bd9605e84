/**
 * The reconciliation's pulled source (RECONCILE_SOURCE_URL, issue 30) on the dev server with the
 * production workers, the simulator and a real SQLite store, against a real HTTP endpoint (a loopback
 * server standing in for the HR system's report): a pull with the right credentials plans and applies
 * the snapshot like an upload; the same content again starts nothing and names the first plan; a
 * changed export starts a new plan; a refused pull, an oversized answer and a file that cannot be read
 * start nothing and say why, never echoing a credential; the watch loop pulls by itself. And the
 * settings' parsing: https only (loopback aside), one kind of credential, secrets never enumerable.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { type ReconcileSourceConfig, reconcileSourceConfigFromEnv } from '../../config/reconcile-source';
import { waitForSettledPlan } from '../../client/reconcile-plans';
import { pullSourceOf, reconcileSourcePull } from '../../client/reconcile-source-pull';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { uniqueSuffix } from '../helpers/people';
import { type TempStore, openTempStore } from '../helpers/temp-store';
import { waitFor } from '../helpers/waiting';

const TOKEN = `report-token-${uniqueSuffix()}`;

describe('reconciliation pulled source (dev server, workers, simulator, SQLite store, a loopback endpoint)', () => {
  let store: TempStore;
  let stack: LifecycleTestStack;
  let server: Server;
  let baseUrl: string;
  /** What the endpoint answers now, and what it was asked. */
  let body = '';
  const asked: { authorization: string | undefined; url: string | undefined }[] = [];

  before(async () => {
    store = await openTempStore();
    stack = await startLifecycleTestStack({ server: 'dev-server', store });
    await stack.startWorkers();
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      asked.push({ authorization: request.headers.authorization, url: request.url });
      const basic = `Basic ${Buffer.from('hr-report:pa55word').toString('base64')}`;
      if (request.headers.authorization !== `Bearer ${TOKEN}` && request.headers.authorization !== basic) {
        response.writeHead(401).end('who are you');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/csv' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await stack?.close();
    await store?.close();
  });

  const sourceOf = (env: Record<string, string>): ReconcileSourceConfig => {
    const config = reconcileSourceConfigFromEnv({
      RECONCILE_SOURCE_URL: `${baseUrl}/reports/workers?format=csv&key=query-secret`,
      ...env,
    });
    assert.ok(config);
    return config;
  };
  const puller = (source: ReconcileSourceConfig) =>
    reconcileSourcePull({ source, client: stack.env.client, store });
  /** Leavers without an account: `in-sync`, so applying starts nothing in Staffbase. */
  const snapshot = (ids: string[]) =>
    ['externalID,status,lastWorkingDay', ...ids.map((id) => `${id},terminated,2026-01-02`)].join('\n') + '\n';

  it('plans and applies what the source answers, once per content; a changed export is a new plan', async () => {
    const pull = puller(sourceOf({ RECONCILE_SOURCE_TOKEN: TOKEN }));
    const id = `pull-${uniqueSuffix()}`;
    body = snapshot([`${id}-1`, `${id}-2`]);

    const first = await pull.pullOnce();
    assert.equal(first.result, 'started', first.reason);
    assert.equal(asked.at(-1)?.authorization, `Bearer ${TOKEN}`);
    assert.equal(asked.at(-1)?.url, '/reports/workers?format=csv&key=query-secret');
    const plan = await waitForSettledPlan(stack.env.client, store, first.planId ?? '', 60_000);
    assert.equal(plan.status, 'applied');
    assert.equal(plan.counts?.['in-sync'], 2);
    assert.deepEqual(plan.requestedBy, { kind: 'source-pull', user: null });
    assert.equal(plan.absent, 'ignore');

    const again = await pull.pullOnce();
    assert.deepEqual(again, {
      result: 'unchanged',
      planId: first.planId,
      reason: `the same content as plan ${first.planId}: nothing started`,
    });

    body = snapshot([`${id}-1`, `${id}-2`, `${id}-3`]);
    const changed = await pull.pullOnce();
    assert.equal(changed.result, 'started');
    assert.notEqual(changed.planId, first.planId);
    const sha = /\(sha256 ([0-9a-f]{64})\)/.exec(changed.reason)?.[1] ?? '';
    assert.equal(await store.reconcile.planIdOfSource(pullSourceOf(sha)), changed.planId);
  });

  it('takes basic credentials too', async () => {
    body = snapshot([`pull-basic-${uniqueSuffix()}`]);
    const outcome = await puller(
      sourceOf({ RECONCILE_SOURCE_USER: 'hr-report', RECONCILE_SOURCE_PASSWORD: 'pa55word' }),
    ).pullOnce();
    assert.equal(outcome.result, 'started', outcome.reason);
  });

  it('starts nothing when refused, too large or unreadable, and says why without a credential', async () => {
    const before = (await store.reconcile.recentPlans(100)).length;
    const refused = await puller(sourceOf({ RECONCILE_SOURCE_TOKEN: 'wrong-token' })).pullOnce();
    assert.deepEqual(refused, {
      result: 'failed',
      reason: 'the source answered HTTP 401: check RECONCILE_SOURCE_TOKEN or RECONCILE_SOURCE_USER/PASSWORD',
    });

    body = snapshot(Array.from({ length: 40_000 }, (_unused, n) => `pull-big-${n}`));
    const tooLarge = await puller(
      sourceOf({ RECONCILE_SOURCE_TOKEN: TOKEN, IMPORT_MAX_FILE_MB: '1' }),
    ).pullOnce();
    assert.deepEqual(tooLarge, {
      result: 'failed',
      reason: 'the answer is larger than IMPORT_MAX_FILE_MB (1 MiB)',
    });

    body = 'Name,Employment Status\nSomeone,active\n'; // no externalID column
    const unreadable = await puller(sourceOf({ RECONCILE_SOURCE_TOKEN: TOKEN })).pullOnce();
    assert.equal(unreadable.result, 'failed');

    const unreachable = await puller(
      reconcileSourceConfigFromEnv({ RECONCILE_SOURCE_URL: 'http://127.0.0.1:1/report' }) ??
        assert.fail('configured'),
    ).pullOnce();
    assert.equal(unreachable.result, 'failed');
    assert.match(unreachable.reason, /^the source could not be reached/);

    assert.equal((await store.reconcile.recentPlans(100)).length, before, 'no plan started');
    for (const outcome of [refused, tooLarge, unreadable, unreachable]) {
      assert.doesNotMatch(outcome.reason, /wrong-token|query-secret|pa55word/);
    }
  });

  it('pulls by itself every interval until stopped', async () => {
    body = snapshot([`pull-watch-${uniqueSuffix()}`]);
    // Every 200 ms (the setting's least is a minute); the URL and the credential are non-enumerable.
    const configured = sourceOf({ RECONCILE_SOURCE_TOKEN: TOKEN });
    const source = Object.defineProperties(
      {},
      { ...Object.getOwnPropertyDescriptors(configured), intervalMs: { value: 200, enumerable: true } },
    ) as ReconcileSourceConfig;
    const logged: string[] = [];
    const logger = {
      info: (message: string) => logged.push(message),
      warn: (message: string) => logged.push(message),
    };
    const askedBefore = asked.length;
    const watching = reconcileSourcePull({ source, client: stack.env.client, store, logger }).watch();
    try {
      await waitFor(
        () => Promise.resolve(asked.length - askedBefore),
        (pulls) => pulls >= 3,
        { what: 'three pulls', timeoutMs: 30_000, intervalMs: 100 },
      );
    } finally {
      await watching.stop();
    }
    assert.ok(logged[0]?.endsWith(': started'), logged.join('\n'));
    assert.ok(
      logged.slice(1).every((line) => line.endsWith(': unchanged')),
      logged.join('\n'),
    );
    assert.ok(
      logged.every((line) => !line.includes('query-secret')),
      'the URL is logged without its query',
    );
  });

  it('reads the settings: https only, one kind of credential, secrets never enumerable', () => {
    assert.equal(reconcileSourceConfigFromEnv({}), undefined);
    const config = reconcileSourceConfigFromEnv({
      RECONCILE_SOURCE_URL: 'https://hr.example.com/ccx/report?key=k3y',
      RECONCILE_SOURCE_TOKEN: 'sekret',
    });
    assert.equal(config?.where, 'https://hr.example.com/ccx/report');
    assert.equal(config?.auth, 'bearer');
    assert.equal(config?.intervalMs, 1440 * 60_000);
    assert.equal(config?.authorization, 'Bearer sekret');
    assert.doesNotMatch(JSON.stringify(config), /sekret|k3y/);
    const refusedWith = (env: Record<string, string>, variable: string) =>
      assert.throws(
        () => reconcileSourceConfigFromEnv(env),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variables.includes(variable) &&
          !error.message.includes('sekret') &&
          !error.message.includes('k3y'),
        variable,
      );
    refusedWith({ RECONCILE_SOURCE_URL: 'http://hr.example.com/report?key=k3y' }, 'RECONCILE_SOURCE_URL');
    refusedWith(
      {
        RECONCILE_SOURCE_URL: 'https://hr.example.com/r',
        RECONCILE_SOURCE_TOKEN: 'sekret',
        RECONCILE_SOURCE_USER: 'u',
        RECONCILE_SOURCE_PASSWORD: 'p',
      },
      'RECONCILE_SOURCE_TOKEN',
    );
    refusedWith(
      { RECONCILE_SOURCE_URL: 'https://hr.example.com/r', RECONCILE_SOURCE_USER: 'u' },
      'RECONCILE_SOURCE_PASSWORD',
    );
    refusedWith({ RECONCILE_SOURCE_TOKEN: 'sekret' }, 'RECONCILE_SOURCE_TOKEN');
    refusedWith(
      { RECONCILE_SOURCE_URL: 'https://hr.example.com/r', RECONCILE_SOURCE_INTERVAL_MINUTES: '0' },
      'RECONCILE_SOURCE_INTERVAL_MINUTES',
    );
  });
});

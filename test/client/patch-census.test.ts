/**
 * The patch census (client/patch-census.ts, `staffbase-lifecycle patches`) against the dev server:
 * a run of the code before a patch keeps the patch from being deprecated until it closes. This also
 * checks that the server (the installed Temporal CLI's dev server) and SDK core (1.24) set TemporalChangeVersion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { patchCensus } from '../../client/patch-census';
import { patchRegister } from '../../workflows/patches';
import { censusProbePatch, finishProbeSignal, patchCensusProbe } from '../fixtures/patch-census-workflows';
import { startDevServerEnvironment, workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/waiting';
import { cli } from './cli/run-cli';

const taskQueue = 'patch-census';
const register = [
  {
    id: censusProbePatch,
    workflows: ['patchCensusProbe'],
    origin: 'the patch census test',
    longestRun: 'until the test signals it',
  },
];

describe('patch census: open runs lacking a patch marker (dev server)', () => {
  let env: TestWorkflowEnvironment;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  before(async () => {
    env = await startDevServerEnvironment();
    // Plain payloads: the probe carries no person's data.
    client = new Client({ connection: env.connection });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(require.resolve('../fixtures/patch-census-workflows'), {
        interceptorModules: [],
      }),
    });
    running = worker.run();
  });

  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  const census = () => patchCensus(client, { register });

  it('counts the run from before the patch until it closes, then the patch may be deprecated', async () => {
    const before = await client.workflow.start(patchCensusProbe, {
      taskQueue,
      workflowId: 'probe-before-patch',
      args: [{ withPatch: false }],
    });
    const after = await client.workflow.start(patchCensusProbe, {
      taskQueue,
      workflowId: 'probe-after-patch',
      args: [{ withPatch: true }],
    });
    // The new run's first task has recorded the marker and its TemporalChangeVersion upsert.
    await waitFor(
      async () => (await after.describe()).searchAttributes['TemporalChangeVersion'],
      (value) => Array.isArray(value) && (value as unknown[]).includes(censusProbePatch),
      { what: 'TemporalChangeVersion upserted by the SDK for the patch', timeoutMs: 30_000 },
    );

    const withOldRun = await waitFor(census, ([row]) => row?.workflows[0]?.openRuns === 2, {
      what: 'both open runs in visibility',
      timeoutMs: 30_000,
    });
    assert.deepEqual(withOldRun[0]?.workflows, [
      { workflowType: 'patchCensusProbe', openRuns: 2, lackingRuns: 1 },
    ]);
    assert.equal(withOldRun[0]?.mayDeprecate, false);

    // Runs started after the patch's deploy are left out with startedBefore: none of them counts.
    const beforeAnyRun = await patchCensus(client, {
      register,
      startedBefore: new Date((await before.describe()).startTime.getTime() - 60_000),
    });
    assert.deepEqual(beforeAnyRun[0]?.workflows[0], {
      workflowType: 'patchCensusProbe',
      openRuns: 0,
      lackingRuns: 0,
    });

    await before.signal(finishProbeSignal);
    assert.equal(await before.result(), false);
    const afterOldRun = await waitFor(census, ([row]) => row?.workflows[0]?.openRuns === 1, {
      what: 'the old run closed in visibility',
      timeoutMs: 30_000,
    });
    assert.deepEqual(afterOldRun[0]?.workflows, [
      { workflowType: 'patchCensusProbe', openRuns: 1, lackingRuns: 0 },
    ]);
    assert.equal(afterOldRun[0]?.mayDeprecate, true);

    await after.signal(finishProbeSignal);
    assert.equal(await after.result(), true);
  });

  it('`staffbase-lifecycle patches --json` lists every patch of the register, with its verdict', async () => {
    const run = await cli(['patches', '--json'], { address: env.address });
    assert.equal(run.code, 0, run.stderr);
    const { patches } = JSON.parse(run.stdout) as { patches: { id: string; mayDeprecate: boolean }[] };
    assert.deepEqual(
      patches.map((patch) => patch.id),
      patchRegister.map((entry) => entry.id),
    );
    // No lifecycle run is open on this server: nothing keeps any patch.
    assert.ok(patches.every((patch) => patch.mayDeprecate));
  });

  it('refuses an unknown patch id and a time without a zone, naming the option', async () => {
    const unknown = await cli(['patches', '--patch', 'no-such-patch'], { address: env.address });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no-such-patch/);
    const zoneless = await cli(['patches', '--started-before', '2026-12-01T09:00'], { address: env.address });
    assert.equal(zoneless.code, 2);
    assert.match(zoneless.stderr, /--started-before/);
  });
});

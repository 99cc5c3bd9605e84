/**
 * The bed of the fast workflow unit tests: the real workflow code (the worker's workflowsPath bundle,
 * workflows/index.ts) on the time-skipping Temporal server, with STUBBED ACTIVITIES — no simulator, no
 * Staffbase client, no mail. Stubbing activities is allowed in workflow unit tests only; Temporal itself
 * is never mocked (test/README.md says which kind of test to write when).
 *
 * One pair of workers per test file serves every run. Each run brings its own stubs, typed against the
 * real activity interfaces (activities/index.ts); an activity call is routed to the stubs of the run
 * that made it (by workflow ID), recorded, and a call nobody stubbed fails the run at once, so a test
 * notices a step it did not expect.
 */
import { after, afterEach, before } from 'node:test';
import { Context } from '@temporalio/activity';
import { type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type ActivityDependencies, type LifecycleActivities, createActivities } from '../../../activities';
import { taskQueues } from '../../../lifecycle/task-queues';
import { testDataConverter } from '../../helpers/encryption';
import { startTimeSkippingEnvironment, workflowBundle } from '../../helpers/temporal';
import { waitFor } from '../../helpers/waiting';

/** A stub has the activity's parameters and result; it may answer at once or throw. */
export type Stub<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => R | Promise<R>
  : never;
export type Stubs = { [K in keyof LifecycleActivities]?: Stub<LifecycleActivities[K]> };
export type ActivityName = keyof LifecycleActivities;

/** One activity call as the stub saw it. */
export interface StubCall {
  name: ActivityName;
  args: unknown[];
}

export interface StubbedRun<R> {
  workflowId: string;
  handle: WorkflowHandle;
  /** Every activity call of the run so far, in order. */
  calls: StubCall[];
  /** The names of the calls so far. */
  names(): ActivityName[];
  /** The run's result: awaiting it lets the time-skipping server skip timers. */
  result(): Promise<R>;
}

export interface UnitTestBed {
  env: TestWorkflowEnvironment;
  /** Starts a workflow by type with these stubs; `workflowId` for runs found by their ID (the sweep). */
  start<R>(workflowType: string, args: unknown[], stubs: Stubs, workflowId?: string): Promise<StubbedRun<R>>;
  /** Polls a query (in real time, the clock stays put) until it passes. */
  until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T>;
}

/** The production activity names, taken from the real factory (its functions are never called). */
const activityNames = Object.keys(createActivities({} as ActivityDependencies)) as ActivityName[];

/**
 * The person index's writes (a local activity at each stage change, workflows/person-index.ts) are not
 * the flow these tests check: answered as by a worker without a store and left out of `calls`, unless
 * a test stubs them (test/workflows/person-index.test.ts tests them against a real store).
 */
const quietUnlessStubbed: Partial<Record<ActivityName, () => unknown>> = {
  recordPersonStage: () => 'no-store',
};

/** A refusal a person can fix, as the activities classify it (workflows/needs-attention.ts). */
export function refusal(
  type: 'StaffbaseAuthError' | 'StaffbaseConflictError' | 'StaffbaseValidationError',
  message: string,
  detail: { kind?: string; field?: string } = {},
): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [detail] });
}

/**
 * Registers before/after hooks for the file: a time-skipping server, a workflow worker (which also
 * serves the activities that run on the workflow queue: coordination, the sweep's visibility page) and
 * a Staffbase-queue activity worker, both dispatching to the stubs of the calling run. `fileStubs`
 * answer for every run of the file that brings no stub of its own for that activity (recorded too).
 */
export function useStubbedWorkers(onStarted: (bed: UnitTestBed) => void, fileStubs: Stubs = {}): void {
  let env: TestWorkflowEnvironment | undefined;
  let workers: { worker: Worker; running: Promise<void> }[] = [];
  const runs = new Map<string, { stubs: Stubs; calls: StubCall[] }>();
  const open: WorkflowHandle[] = [];
  let counter = 0;

  const dispatcher = Object.fromEntries(
    activityNames.map((name) => [
      name,
      async (...args: unknown[]) => {
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        const run = runs.get(workflowId);
        const stub = (run?.stubs[name] ?? fileStubs[name]) as ((...a: unknown[]) => unknown) | undefined;
        const quiet = quietUnlessStubbed[name];
        if (!stub && quiet) return quiet();
        run?.calls.push({ name, args });
        if (!stub) {
          throw ApplicationFailure.create({
            type: 'UnexpectedActivity',
            message: `${workflowId} called ${name}, which this test did not stub`,
            nonRetryable: true,
          });
        }
        return await Promise.resolve(stub(...args));
      },
    ]),
  );

  before(async () => {
    env = await startTimeSkippingEnvironment();
    const workflowsPath = require.resolve('../../../workflows');
    const connection = env.nativeConnection;
    const created = await Promise.all([
      Worker.create({
        connection,
        taskQueue: taskQueues.lifecycle,
        workflowBundle: await workflowBundle(workflowsPath),
        activities: dispatcher,
        dataConverter: testDataConverter,
      }),
      Worker.create({
        connection,
        taskQueue: taskQueues.staffbaseApi,
        activities: dispatcher,
        dataConverter: testDataConverter,
      }),
    ]);
    workers = created.map((worker) => ({ worker, running: worker.run() }));
    const started = env;
    onStarted({
      env: started,
      async start<R>(workflowType: string, args: unknown[], stubs: Stubs, workflowId?: string) {
        counter += 1;
        const id = workflowId ?? `unit-${workflowType}-${process.pid}-${counter}`;
        const calls: StubCall[] = [];
        runs.set(id, { stubs, calls });
        const handle = await started.client.workflow.start(workflowType, {
          taskQueue: taskQueues.lifecycle,
          workflowId: id,
          args,
        });
        open.push(handle);
        return {
          workflowId: id,
          handle,
          calls,
          names: () => calls.map((call) => call.name),
          result: () => handle.result() as Promise<R>,
        };
      },
      // A query the time-skipping server lost (its workflow task failed meanwhile) is asked again.
      until: (probe, accept, what) =>
        waitFor(probe, accept, { what, timeoutMs: 20_000, intervalMs: 50, probeTimeoutMs: 5_000 }),
    });
  });

  // A run a test left open would keep its timers in the shared clock: close it.
  afterEach(async () => {
    const handles = open.splice(0);
    await Promise.all(
      handles.map(async (handle) => {
        const description = await handle.describe();
        if (description.status.name !== 'RUNNING') return;
        // It may close by itself between the two calls: closed is what this hook wants.
        await handle.terminate('test over').catch((error: unknown) => {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        });
      }),
    );
  });

  after(async () => {
    for (const { worker } of workers) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
    await Promise.allSettled(workers.map(({ running }) => running));
    await env?.teardown();
  });
}

import { type DataConverter } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { type NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { LifecycleActivities } from '../activities';
import type { LifecycleCoordinationActivities as Coordination } from '../activities/lifecycle-coordination-activities';
import type { PersonStageWrite } from '../lifecycle/person-index-write';
import type { LifecycleStore } from '../store';
import type { RetentionFloorRaise } from '../activities/retention-floor-activities';
import type { StoreEraseInput } from '../activities/store-erase-activities';
import type { ReconcileEraseInput } from '../activities/reconcile-erase-activities';
import { type AuditSink, auditSink } from '../lifecycle/audit/audit-record';
import { DEFAULT_STAFFBASE_MAX_CONCURRENT_CALLS, DEFAULT_TEMPORAL_NAMESPACE } from '../config/defaults';
import { type WorkerMemoryConfig } from '../config/worker-memory';
import { auditRowWriter } from '../store/audit-records';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from '../workflows/activity-options';
import { auditActivityInterceptors } from './interceptors/audit-interceptor';
import { personalDataActivityInterceptors } from './interceptors/personal-data-interceptor';
import { workflowInterceptorModules } from './interceptors/workflow-interceptor-modules';

/**
 * How long a stopping worker lets in-flight Staffbase calls finish before cancelling them: one call's
 * start-to-close timeout, because after that the server has given the task to another worker anyway.
 * A deployment must allow at least this much between SIGTERM and SIGKILL (docker-compose.yml
 * `stop_grace_period`, checked by test/deploy/compose.test.ts).
 */
export const WORKER_SHUTDOWN_GRACE_MS: number = msToNumber(
  staffbaseActivityOptions.startToCloseTimeout ?? '1 minute',
);

export interface LifecycleWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  activities: LifecycleActivities;
  /** Pre-bundled workflow code (production start, tests); otherwise workflows/ is bundled at start. */
  workflowBundle?: WorkflowBundleOption;
  /** Server-side cap on Staffbase calls per second, shared by every worker on the queue. */
  staffbaseRequestsPerSecond: number;
  /** How many Staffbase calls one worker runs at once. */
  maxConcurrentStaffbaseCalls?: number;
  /**
   * Workflow cache and concurrency (config/worker-memory.ts). Unset: the SDK's
   * defaults, sized from the host's memory (tests).
   */
  memory?: WorkerMemoryConfig;
  /**
   * Grace for in-flight tasks on shutdown, in ms (the worker process passes WORKER_SHUTDOWN_GRACE_MS).
   * Default 0: tests that stop workers between steps should not wait for a stuck call.
   */
  shutdownGraceMs?: number;
  /**
   * Every process that talks to Temporal uses the same one (lifecycle/payload-codec/data-converter.ts):
   * payloads are encrypted before they leave the worker. A pre-built `workflowBundle` must have been
   * bundled with its failure converter.
   */
  dataConverter?: DataConverter;
  /**
   * Where the audit lines of irreversible Staffbase calls go (worker/interceptors/audit-interceptor.ts);
   * default: the runtime's logger. Always on: an unaudited deletion is not an option.
   */
  audit?: AuditSink;
  /**
   * The project's own store, opened once per process by its owner (worker/process.ts), which also closes
   * it: each audit record also becomes a row of its audit trail, and the erase Schedule's activity empties
   * names in its person index. The person index's writes reach it through `activities` (createActivities'
   * `store`). Unset (most tests): log lines only.
   */
  store?: LifecycleStore;
  /** The identity the server records for this worker's tasks; default the SDK's `<pid>@<host>`. */
  identity?: string;
}

export interface LifecycleWorkers {
  workflows: Worker;
  staffbaseApi: Worker;
  /** The lifecycle event deliveries (docs/events.md); only with a store, which holds their outbox. */
  lifecycleEvents?: Worker;
}

/** Deliveries in flight at once per worker: subscribers are few and each is one HTTP request. */
const MAX_CONCURRENT_EVENT_DELIVERIES = 20;

function runtimeAuditSink(): AuditSink {
  const { logger } = Runtime.instance();
  return auditSink((message, fields) => {
    logger.info(message, fields);
  });
}

/**
 * The workers of the service: workflow logic, the rate-limited Staffbase activity queue, and (with a
 * store) the lifecycle event deliveries on a queue of their own.
 */
export async function createLifecycleWorkers(options: LifecycleWorkersOptions): Promise<LifecycleWorkers> {
  const common = {
    connection: options.connection,
    namespace: options.namespace ?? DEFAULT_TEMPORAL_NAMESPACE,
    ...(options.shutdownGraceMs !== undefined && { shutdownGraceTime: options.shutdownGraceMs }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    ...(options.identity !== undefined && { identity: options.identity }),
  };
  // Its coordination activities get the same scrubbing as the Staffbase ones.
  const lifecycleActivityInterceptors = [personalDataActivityInterceptors()];
  const workflowCode = options.workflowBundle
    ? {
        workflowBundle: options.workflowBundle,
        interceptors: { activity: lifecycleActivityInterceptors },
      }
    : {
        workflowsPath: require.resolve('../workflows'),
        interceptors: {
          workflowModules: workflowInterceptorModules,
          activity: lifecycleActivityInterceptors,
        },
      };
  const audit = options.audit ?? runtimeAuditSink();
  const auditRows = options.store && auditRowWriter(options.store.audit);
  const [workflows, staffbaseApi] = await Promise.all([
    Worker.create({
      ...common,
      ...workflowCode,
      taskQueue: taskQueues.lifecycle,
      // Talk to Temporal only: off the rate-limited queue (runs past `coordination-off-rate-limit`).
      activities: {
        cancelOffboardingForRehire: (input: Parameters<Coordination['cancelOffboardingForRehire']>[0]) =>
          options.activities.cancelOffboardingForRehire(input),
        cancelOnboardingForLeaver: (input: Parameters<Coordination['cancelOnboardingForLeaver']>[0]) =>
          options.activities.cancelOnboardingForLeaver(input),
        endLeaveForLeaver: (input: Parameters<Coordination['endLeaveForLeaver']>[0]) =>
          options.activities.endLeaveForLeaver(input),
        // The leave's and the onboarding's own refusals (patches `leave-refuses-open-lifecycle`,
        // `onboarding-refused-on-leave`).
        leaveRefusal: (input: Parameters<Coordination['leaveRefusal']>[0]) =>
          options.activities.leaveRefusal(input),
        settleBeforeOnboarding: (input: Parameters<Coordination['settleBeforeOnboarding']>[0]) =>
          options.activities.settleBeforeOnboarding(input),
        findWaitingOnboardings: (input: Parameters<LifecycleActivities['findWaitingOnboardings']>[0]) =>
          options.activities.findWaitingOnboardings(input),
        findCleanupHold: (externalID: string) => options.activities.findCleanupHold(externalID),
        runsWaitingOnAccount: (externalID: string) => options.activities.runsWaitingOnAccount(externalID),
        offboardingsInRetentionOfUser: (staffbaseUserId: string) =>
          options.activities.offboardingsInRetentionOfUser(staffbaseUserId),
        // The worker's retention floor (offboarding patch `retention-floor`): configuration, no Staffbase.
        offboardingRetentionFloor: () => options.activities.offboardingRetentionFloor(),
        recordRetentionRaisedToFloor: (raise: RetentionFloorRaise) =>
          options.activities.recordRetentionRaisedToFloor(raise),
        // The worker's bulk thresholds: configuration, not a Staffbase call.
        bulkSafetyLimits: () => options.activities.bulkSafetyLimits(),
        // The look-up batcher's signals (bulk offboardings, workflows/lookup-batcher.ts): Temporal only.
        requestBatchedLookup: (request: Parameters<LifecycleActivities['requestBatchedLookup']>[0]) =>
          options.activities.requestBatchedLookup(request),
        deliverBatchedLookupAnswers: (
          deliveries: Parameters<LifecycleActivities['deliverBatchedLookupAnswers']>[0],
        ) => options.activities.deliverBatchedLookupAnswers(deliveries),
        batchedLookupPending: (workflowId: string) => options.activities.batchedLookupPending(workflowId),
        // The person index (a local activity of the onboarding and offboarding runs): the store only.
        recordPersonStage: (write: PersonStageWrite) => options.activities.recordPersonStage(write),
        // The store-erase Schedule's (workflows/store-erase.ts): the store only, never Staffbase.
        eraseDeletedPeopleNames: (input: StoreEraseInput) =>
          options.activities.eraseDeletedPeopleNames(input),
        // The reconcile-erase Schedule's (workflows/reconcile-erase.ts): the store only, never Staffbase.
        eraseReconcileSnapshots: (input: ReconcileEraseInput) =>
          options.activities.eraseReconcileSnapshots(input),
        // The reconciliation's plan work (workflows/reconcile.ts): the store and Temporal only.
        classifyReconcilePlan: (planId: string) => options.activities.classifyReconcilePlan(planId),
        decideReconcilePlan: (decision: Parameters<LifecycleActivities['decideReconcilePlan']>[0]) =>
          options.activities.decideReconcilePlan(decision),
        applyReconcileEntries: (page: Parameters<LifecycleActivities['applyReconcileEntries']>[0]) =>
          options.activities.applyReconcileEntries(page),
        finishReconcilePlan: (planId: string) => options.activities.finishReconcilePlan(planId),
      },
      interceptors: {
        ...workflowCode.interceptors,
        // The scrubbing interceptor first (outermost): it sees every error, the audit's included.
        activity: [...lifecycleActivityInterceptors, auditActivityInterceptors(audit, auditRows)],
      },
      ...(options.memory && {
        maxCachedWorkflows: options.memory.maxCachedWorkflows,
        maxConcurrentWorkflowTaskExecutions: options.memory.maxConcurrentWorkflowTasks,
      }),
    }),
    Worker.create({
      ...common,
      taskQueue: taskQueues.staffbaseApi,
      activities: options.activities,
      // A second guard only: the rate set on the server (compose's temporal-setup, npm start) overrides
      // what any worker sends here, so a replica with another value cannot exceed or remove it; this
      // one counts only where no server-side rate was set (the time-skipping test server).
      maxTaskQueueActivitiesPerSecond: options.staffbaseRequestsPerSecond,
      maxConcurrentActivityTaskExecutions:
        options.maxConcurrentStaffbaseCalls ?? DEFAULT_STAFFBASE_MAX_CONCURRENT_CALLS,
      interceptors: {
        // The scrubbing interceptor first (outermost): it sees every error, the audit's included.
        activity: [personalDataActivityInterceptors(), auditActivityInterceptors(audit, auditRows)],
      },
    }),
  ]);
  const lifecycleEvents = options.store
    ? await Worker.create({
        ...common,
        taskQueue: taskQueues.lifecycleEvents,
        activities: {
          lifecycleEventHeads: (input: Parameters<LifecycleActivities['lifecycleEventHeads']>[0]) =>
            options.activities.lifecycleEventHeads(input),
          deliverLifecycleEvent: (key: Parameters<LifecycleActivities['deliverLifecycleEvent']>[0]) =>
            options.activities.deliverLifecycleEvent(key),
          parkLifecycleEvent: (input: Parameters<LifecycleActivities['parkLifecycleEvent']>[0]) =>
            options.activities.parkLifecycleEvent(input),
        },
        maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_EVENT_DELIVERIES,
        interceptors: { activity: [personalDataActivityInterceptors()] },
      })
    : undefined;
  return { workflows, staffbaseApi, ...(lifecycleEvents && { lifecycleEvents }) };
}

/** Every worker of the set, the optional ones included when present. */
export function allLifecycleWorkers(workers: LifecycleWorkers): Worker[] {
  return [
    workers.workflows,
    workers.staffbaseApi,
    ...(workers.lifecycleEvents ? [workers.lifecycleEvents] : []),
  ];
}

/** Runs both workers until `until` settles, then shuts them down and waits for them to stop. */
export async function runLifecycleWorkersUntil<T>(workers: LifecycleWorkers, until: Promise<T>): Promise<T> {
  const running = allLifecycleWorkers(workers).map((worker) => worker.run());
  // A worker that stops on its own (fatal error) must not leave the caller waiting forever.
  const stoppedEarly = Promise.race(running).then(() => {
    throw new Error('A lifecycle worker stopped before the awaited work finished');
  });
  stoppedEarly.catch(() => undefined);
  try {
    return await Promise.race([until, stoppedEarly]);
  } finally {
    for (const worker of allLifecycleWorkers(workers)) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
    await Promise.allSettled(running);
  }
}

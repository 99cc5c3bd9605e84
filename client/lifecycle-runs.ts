import { type Client } from '@temporalio/client';
import {
  type OffboardingLane,
  type OffboardingPolicy,
  type OffboardingRequest,
  offboardingPolicySchema,
  offboardingRequestSchema,
} from '../lifecycle/offboarding-request';
import {
  type OnboardingPolicy,
  type OnboardingRequest,
  onboardingPolicySchema,
  onboardingRequestSchema,
} from '../lifecycle/onboarding-request';
import { type z } from 'zod';
import { validate } from '../lifecycle/validation';
import { InvalidLifecycleRequestError } from './action-errors';
import { externalIdSearchAttribute } from '../lifecycle/search-attributes';
import { taskQueues } from '../lifecycle/task-queues';
import { type Lifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import type { offboarding, OffboardingInput } from '../workflows/offboarding';
import type { onboarding, OnboardingInput, OnboardingLane } from '../workflows/onboarding';
import { refuseOnboardingOnLeave } from './leave-runs';
import { type StartIdOptions, startOrReturnOpen } from './workflow-runs';

/**
 * The one module that starts lifecycle runs, for the CLI, the HTTP API and CSV imports alike.
 * Exactly one run per person and lifecycle: the workflow ID comes from the externalID, an open run
 * is returned instead of starting another, and a completed one is not repeated unless asked
 * (`rerun`), e.g. for a rehire after an earlier offboarding finished.
 */
export type StartStatus = 'started' | 'already-running' | 'already-completed';

export interface StartedRun {
  status: StartStatus;
  lifecycle: Lifecycle;
  workflowId: string;
  runId?: string;
  /** For `already-completed`: how the earlier run closed (COMPLETED, FAILED, …). */
  closedStatus?: string;
}

export interface StartOptions {
  /** Start again even when an earlier run for this person completed successfully. */
  rerun?: boolean;
}

export interface OnboardingStartOptions extends StartOptions {
  /** `bulk` for a file of hires, so single onboardings HR triggers go ahead of them. */
  lane?: OnboardingLane;
}

export interface OffboardingStartOptions extends StartOptions {
  /** `bulk` for a file of leavers: their look-ups are batched (log-out and deactivation stay urgent). */
  lane?: OffboardingLane;
}

export { InvalidLifecycleRequestError } from './action-errors';

/** Validates here too, whatever the edge did, so that no invalid input ever reaches a workflow. */
function validOrThrow<Schema extends z.ZodType>(
  lifecycle: Lifecycle,
  schema: Schema,
  input: unknown,
): z.infer<Schema> {
  const result = validate(schema, input);
  if (!result.ok) throw new InvalidLifecycleRequestError(lifecycle, result.problems);
  return result.value;
}

/** Every lifecycle start's options but the workflow's id rules and arguments. */
function lifecycleStartOptions(externalID: string) {
  return {
    taskQueue: taskQueues.lifecycle,
    typedSearchAttributes: [{ key: externalIdSearchAttribute, value: externalID }],
  };
}

type LifecycleStartOptions = StartIdOptions & ReturnType<typeof lifecycleStartOptions>;

/** A start's request and policy, each validated here (the request's problems first). */
interface ValidStart<Request, Policy> {
  request: Request;
  policy: Policy;
}

/**
 * Validates a start's request and policy, then starts the lifecycle's workflow for the person, unless
 * a run for them is open (returned instead) or completed (not repeated unless `rerun`):
 * client/workflow-runs.ts decides, as for every start. `start` starts it by the workflow function's
 * type (named after the lifecycle), so its input is checked against the workflow's parameters.
 */
async function startLifecycleRun<
  RequestSchema extends z.ZodType<{ externalID: string }>,
  PolicySchema extends z.ZodType,
>(
  client: Client,
  lifecycle: Lifecycle,
  [requestSchema, requestInput]: [RequestSchema, unknown],
  [policySchema, policyInput]: [PolicySchema, unknown],
  options: StartOptions,
  start: (
    valid: ValidStart<z.infer<RequestSchema>, z.infer<PolicySchema>>,
    options: LifecycleStartOptions,
  ) => Promise<{ firstExecutionRunId: string }>,
): Promise<StartedRun> {
  const valid = {
    request: validOrThrow(lifecycle, requestSchema, requestInput),
    policy: validOrThrow(lifecycle, policySchema, policyInput),
  };
  const externalID = valid.request.externalID;
  const workflowId = lifecycleWorkflowId(lifecycle, externalID);
  // A failed or terminated run may always be retried; a successful one only on purpose.
  const outcome = await startOrReturnOpen(
    client,
    workflowId,
    options.rerun ? 'always' : 'unless-completed',
    (idOptions) => start(valid, { ...idOptions, ...lifecycleStartOptions(externalID) }),
  );
  return { ...outcome, lifecycle, workflowId };
}

export async function startOnboarding(
  client: Client,
  request: OnboardingRequest,
  policy: OnboardingPolicy,
  { lane, ...options }: OnboardingStartOptions = {},
): Promise<StartedRun> {
  return startLifecycleRun(
    client,
    'onboarding',
    [onboardingRequestSchema, request],
    [onboardingPolicySchema, policy],
    options,
    async (valid, runOptions) => {
      // A person on leave is not onboarded: the leave decides about the account (reason `on-leave`).
      await refuseOnboardingOnLeave(client, valid.request.externalID);
      const input: OnboardingInput = { ...valid, ...(lane !== undefined && { lane }) };
      return client.workflow.start<typeof onboarding>('onboarding', { ...runOptions, args: [input] });
    },
  );
}

export async function startOffboarding(
  client: Client,
  request: OffboardingRequest,
  policy: OffboardingPolicy,
  { lane, ...options }: OffboardingStartOptions = {},
): Promise<StartedRun> {
  return startLifecycleRun(
    client,
    'offboarding',
    [offboardingRequestSchema, request],
    [offboardingPolicySchema, policy],
    options,
    (valid, runOptions) => {
      // Only `bulk` travels: an urgent run's input stays as it always was.
      const input: OffboardingInput = { ...valid, ...(lane === 'bulk' && { lane }) };
      return client.workflow.start<typeof offboarding>('offboarding', { ...runOptions, args: [input] });
    },
  );
}

/** Kept for client/cli; the handle itself lives in workflow-runs.ts. */
export { lifecycleHandle } from './workflow-runs';

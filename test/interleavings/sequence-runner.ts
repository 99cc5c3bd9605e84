import type { Client } from '@temporalio/client';
import {
  ActionRefusedError,
  NoOpenRunError,
  cancelOffboarding,
  cancelOnboarding,
  changeRetention,
  deleteNow,
  placeLegalHold,
  releaseLegalHold,
  signalActivated,
} from '../../client/lifecycle-actions';
import { startOffboarding, startOnboarding, type StartedRun } from '../../client/lifecycle-runs';
import type { OnboardingRequest } from '../../lifecycle/onboarding-request';
import { lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import type {
  CallRecord,
  EffectRecord,
  SimulatedUserRecord,
  SimulatorControl,
} from '../../simulator/control-client';
import { offboardingStatusQuery } from '../../workflows/offboarding-messages';
import { onboardingStatusQuery } from '../../workflows/onboarding-messages';
import { offboardingPolicy, onboardingPolicy } from '../helpers/people';
import { checkDeletions, type DeletionTiming, type WindowHit } from './deletion-checks';
import { accountEffects, createdByLostAnswers, runFacts, type EffectCounts } from './effect-accounting';
import {
  allowedFinalStates,
  type AccountState,
  type Instruction,
  type ManualAction,
  type Operation,
  type Sequence,
  type StoryEvent,
} from './model';

/** One person of a sequence: what was done to them, as the system accepted it. */
export interface PersonRun {
  externalID: string;
  initial: AccountState;
  story: StoryEvent[];
  /** Every operation with its answer, for the failure report. */
  log: string[];
  workflowIds: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requestOf(externalID: string): OnboardingRequest {
  return {
    externalID,
    userName: `${externalID}.user`,
    firstName: 'Inter',
    lastName: 'Leaving',
    email: `${externalID}@example.test`,
  };
}

/** Seeds the people and runs the sequence's operations one after another, with their pauses. */
export async function runSequence(
  client: Client,
  control: SimulatorControl,
  sequence: Sequence,
): Promise<PersonRun[]> {
  const people = sequence.initial.map((initial, index): PersonRun => ({
    externalID: `il${sequence.seed}-${index}`,
    initial,
    story: [],
    log: [],
    workflowIds: [
      lifecycleWorkflowId('onboarding', `il${sequence.seed}-${index}`),
      lifecycleWorkflowId('offboarding', `il${sequence.seed}-${index}`),
    ],
  }));
  for (const person of people) {
    if (person.initial === 'absent') continue;
    const request = requestOf(person.externalID);
    await control.seedUser({
      externalID: person.externalID,
      userName: request.userName,
      firstName: request.firstName,
      lastName: request.lastName,
      emails: [{ value: request.email, primary: true }],
      status: person.initial,
      sessions: person.initial === 'deactivated' ? 0 : 1,
    });
  }
  const operations = sequence.operations;
  for (let index = 0; index < operations.length; index += 1) {
    const operation = operations[index]!;
    const rival = operations[index + 1];
    await sleep(operation.delayMs);
    if (operation.race !== undefined && rival?.race === operation.race) {
      // Two HR actions racing: the second goes out without waiting for the first's answer.
      await Promise.all([
        performAndLog(client, control, people, operation),
        sleep(rival.delayMs).then(() => performAndLog(client, control, people, rival)),
      ]);
      index += 1;
    } else await performAndLog(client, control, people, operation);
  }
  return people;
}

async function performAndLog(
  client: Client,
  control: SimulatorControl,
  people: PersonRun[],
  operation: Operation,
): Promise<void> {
  const person = people[operation.person];
  if (!person) return;
  const answer = await perform(client, control, person, operation).catch(
    (error: unknown) => `error ${error instanceof Error ? error.message : String(error)}`,
  );
  person.log.push(`${operation.kind}${operation.race === undefined ? '' : ' (racing)'}: ${answer}`);
}

/** Records an instruction the system accepted in the person's story; answers `answer`. */
function accepted(
  person: PersonRun,
  operation: Operation,
  instruction: Instruction,
  answer = 'accepted',
): string {
  person.story.push(
    operation.race === undefined
      ? { type: 'instruction', instruction }
      : { type: 'instruction', instruction, race: operation.race },
  );
  return answer;
}

const started = (
  person: PersonRun,
  operation: Operation,
  instruction: Instruction,
  run: StartedRun,
): string => (run.status === 'started' ? accepted(person, operation, instruction, 'started') : run.status);

/** A refusal or a closed run is an answer of the system, not a failure of the test. */
async function unlessRefused(action: () => Promise<string>): Promise<string> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ActionRefusedError) return `refused (${error.message})`;
    if (error instanceof NoOpenRunError) return 'no open run';
    throw error;
  }
}

async function perform(
  client: Client,
  control: SimulatorControl,
  person: PersonRun,
  operation: Operation,
): Promise<string> {
  const { externalID } = person;
  const deleteAt = () => new Date(Date.now() + operation.deleteInSeconds * 1000).toISOString();
  switch (operation.kind) {
    case 'onboard-now':
      return started(
        person,
        operation,
        'onboard-now',
        await startOnboarding(client, requestOf(externalID), onboardingPolicy(), { rerun: true }),
      );
    case 'onboard-future': {
      const startDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const request = { ...requestOf(externalID), startDate };
      return started(
        person,
        operation,
        'onboard-future',
        await startOnboarding(client, request, onboardingPolicy(), { rerun: true }),
      );
    }
    case 'offboard':
      return started(
        person,
        operation,
        'offboard',
        await startOffboarding(client, { externalID, deleteAt: deleteAt() }, offboardingPolicy(), {
          rerun: true,
        }),
      );
    case 'activated-signal':
      return unlessRefused(async () => {
        await signalActivated(client, externalID);
        return 'signalled';
      });
    case 'user-accepts':
      return control.activate(externalID).then(
        () => 'accepted the invitation',
        (error: unknown) => `not possible (${error instanceof Error ? error.message : String(error)})`,
      );
    case 'cancel-onboarding':
      return unlessRefused(async () => {
        await cancelOnboarding(client, externalID, 'offer withdrawn');
        return accepted(person, operation, 'cancel-onboarding', 'signalled');
      });
    case 'cancel-offboarding':
      return unlessRefused(async () => {
        const outcome = await cancelOffboarding(client, externalID, 'stays after all');
        return accepted(
          person,
          operation,
          'cancel-offboarding',
          `cancelled (reactivated: ${outcome.reactivated})`,
        );
      });
    case 'legal-hold':
      return unlessRefused(async () => {
        await placeLegalHold(client, externalID, 'litigation');
        return accepted(person, operation, 'legal-hold');
      });
    case 'release-hold':
      return unlessRefused(async () => {
        await releaseLegalHold(client, externalID);
        return accepted(person, operation, 'release-hold');
      });
    case 'delete-now':
      return unlessRefused(async () => {
        await deleteNow(client, externalID);
        return accepted(person, operation, 'delete-now');
      });
    case 'change-retention':
      return unlessRefused(async () => {
        await changeRetention(client, externalID, { deleteAt: deleteAt() });
        return accepted(person, operation, 'change-retention');
      });
    case 'manual-reactivate':
    case 'manual-deactivate':
    case 'manual-delete':
      return byHand(client, control, person, operation.kind);
  }
}

/** An administrator in Studio; only what applies to the account as it is now. */
async function byHand(
  client: Client,
  control: SimulatorControl,
  person: PersonRun,
  action: ManualAction,
): Promise<string> {
  const user = await control.user(person.externalID);
  if (!user) return 'no account';
  const applies =
    action === 'manual-delete' ||
    (action === 'manual-reactivate' ? user.status === 'deactivated' : user.status !== 'deactivated');
  if (!applies) return `not applicable (${user.status})`;
  const offboardingStage = await openOffboardingStage(client, person.externalID);
  try {
    if (action === 'manual-delete') await control.deleteByHand(user.id);
    else await control.setStatusByHand(user.id, action === 'manual-reactivate' ? 'activated' : 'deactivated');
  } catch (error) {
    return `not possible (${error instanceof Error ? error.message : String(error)})`;
  }
  person.story.push({ type: 'manual', action, offboardingStage });
  return `done (offboarding ${offboardingStage ?? 'none'})`;
}

/** The stage of the person's latest offboarding: `completed` when closed, undefined when unknown. */
async function openOffboardingStage(client: Client, externalID: string): Promise<string | undefined> {
  const handle = client.workflow.getHandle(lifecycleWorkflowId('offboarding', externalID));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return 'completed';
    const status = await withTimeout(handle.query(offboardingStatusQuery), 2_000);
    return status?.stage;
  } catch {
    return undefined;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stages a run may rest in for days; anything else is still moving. */
const restingStages: Record<string, ReadonlySet<string>> = {
  onboarding: new Set(['scheduled', 'awaiting-activation']),
  offboarding: new Set(['on-hold']),
};

async function restingOrClosed(client: Client, workflowId: string): Promise<boolean> {
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch {
    return true; // never started
  }
  if (description.status.name !== 'RUNNING') return true;
  const lifecycle = workflowId.startsWith('onboarding-') ? 'onboarding' : 'offboarding';
  let status: { stage: string } | undefined;
  try {
    status = await withTimeout<{ stage: string }>(
      lifecycle === 'onboarding' ? handle.query(onboardingStatusQuery) : handle.query(offboardingStatusQuery),
      5_000,
    );
  } catch (error) {
    // A workflow task that fails is a bug in the workflow code: no waiting will fix it.
    if (error instanceof Error && /failed state/i.test(`${error.message} ${String(error.cause)}`)) {
      throw new Error(`${workflowId}'s workflow task fails: ${await lastTaskFailure(client, workflowId)}`);
    }
    return false; // no answer yet (a crashed worker): `settle` reports it if it lasts
  }
  return status !== undefined && (restingStages[lifecycle]?.has(status.stage) ?? false);
}

/** The last workflow task failure of a run, if any: why a run cannot move on. */
async function lastTaskFailure(client: Client, workflowId: string): Promise<string | undefined> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const failed = (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes).at(-1)
    ?.workflowTaskFailedEventAttributes?.failure;
  if (!failed) return undefined;
  // With a failure converter that encodes attributes the message is in `encodedAttributes`.
  const encoded = failed.encodedAttributes?.data;
  const attributes = encoded ? Buffer.from(encoded).toString('utf8').slice(0, 2_000) : '';
  return `${failed.message ?? ''} ${failed.stackTrace ?? ''} ${attributes}`.trim();
}

/** Where a run that does not settle stands: stage, pending activities and their last failures. */
async function whyMoving(client: Client, workflowId: string): Promise<string> {
  const handle = client.workflow.getHandle(workflowId);
  const failure = await lastTaskFailure(client, workflowId).catch(() => undefined);
  if (failure) return `${workflowId}: workflow task fails: ${failure}`;
  const description = await handle.describe().catch(() => undefined);
  const pending = (description?.raw.pendingActivities ?? []).map(
    (activity) =>
      `${activity.activityType?.name} attempt ${activity.attempt}: ${activity.lastFailure?.message ?? 'no failure'}`,
  );
  const query = workflowId.startsWith('onboarding-') ? onboardingStatusQuery : offboardingStatusQuery;
  const status = await withTimeout<unknown>(
    handle.query(query as typeof offboardingStatusQuery),
    2_000,
  ).catch(() => undefined);
  return `${workflowId}: ${JSON.stringify(status)}; pending: ${pending.join('; ') || 'none'}`;
}

/** Waits until every run of these people rests or has closed (a crashed worker's tasks time out first). */
export async function settle(client: Client, runs: PersonRun[]): Promise<void> {
  const deadline = Date.now() + 180_000;
  let moving = runs.flatMap((run) => run.workflowIds);
  while (moving.length > 0) {
    const resting = await Promise.all(moving.map((workflowId) => restingOrClosed(client, workflowId)));
    moving = moving.filter((_, index) => !resting[index]);
    if (moving.length === 0) return;
    if (Date.now() > deadline) {
      const reasons = await Promise.all(moving.map((id) => whyMoving(client, id)));
      throw new Error(`runs did not settle within 3 minutes:\n${reasons.join('\n')}`);
    }
    await sleep(500);
  }
}

const failedStatuses = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT']);

/** Why a run failed, every cause down to the root (the client decodes the encrypted failure). */
async function failureChain(client: Client, workflowId: string, runId: string): Promise<string> {
  const error: unknown = await client.workflow
    .getHandle(workflowId, runId, { followRuns: false })
    .result()
    .then(
      () => undefined,
      (failure: unknown) => failure,
    );
  const messages: string[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
  return messages.join(' ← ') || 'no failure recorded';
}

export interface PersonVerdict {
  problems: string[];
  deletions: DeletionTiming[];
  windowHits: WindowHit[];
  counts: EffectCounts;
  /** The person's runs and the tenant's effects, for the failure report. */
  evidence: string[];
}

/** The invariants for one person; answers the violations and what was measured. */
export async function checkPerson(
  client: Client,
  run: PersonRun,
  tenant: { effects: EffectRecord[]; calls: CallRecord[]; users: SimulatedUserRecord[] },
): Promise<PersonVerdict> {
  const { effects, calls, users } = tenant;
  const problems: string[] = [];
  const mine = effects.filter((effect) => effect.externalID === run.externalID);

  // 1. Every DELETE within the bound of a read of the same account; no account activated when its
  //    DELETE arrived, except by an activation after that read (the window, counted and bounded apart).
  const { deletions, windowHits, problems: deletionProblems } = checkDeletions(run.externalID, mine, calls);
  problems.push(...deletionProblems);

  // 2. At most one account per externalID.
  const accounts = users.filter((user) => user.externalID === run.externalID);
  if (accounts.length > 1) {
    problems.push(
      `invariant 2: ${accounts.length} accounts carry ${run.externalID}: ${accounts.map((a) => a.id).join(', ')}`,
    );
  }

  // 3. No run failed.
  for (const workflowId of run.workflowIds) {
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      if (failedStatuses.has(execution.status.name)) {
        const why = await failureChain(client, workflowId, execution.runId);
        problems.push(
          `invariant 3: ${workflowId} run ${execution.runId} ended ${execution.status.name}: ${why}`,
        );
      }
    }
  }

  // 4. The final state is one the story allows, named by the account it is about.
  const finalAccount = accounts[0];
  const final: AccountState = finalAccount?.status ?? 'absent';
  const allowed = new Set(allowedFinalStates(run.initial, run.story));
  // An account the window cost is counted there (and bounded), not failed twice.
  if (windowHits.length > 0) allowed.add('absent');
  if (!allowed.has(final)) {
    problems.push(
      `invariant 4: ${describeFinal(run.externalID, finalAccount, mine)}; ` +
        `the story allows ${[...allowed].join(' or ')}`,
    );
  }

  // 5. Every effect of the API on the person's accounts is one a run of theirs made, and no more
  //    often than the model allows.
  const accounting = accountEffects(
    run.externalID,
    run.story,
    mine,
    await runFacts(client, run.workflowIds),
    new Set(windowHits.map((hit) => hit.userId)),
    createdByLostAnswers(mine, calls),
  );
  problems.push(...accounting.problems);
  return {
    problems,
    deletions,
    windowHits,
    counts: accounting.counts,
    evidence: [`runs: ${accounting.runs}`, `effects: ${accounting.effects}`],
  };
}

/** "il…'s account <id> is <status>", or which account went, when and by whom. */
function describeFinal(
  externalID: string,
  account: SimulatedUserRecord | undefined,
  mine: EffectRecord[],
): string {
  const ids = [...new Set(mine.map((effect) => effect.userId))];
  const history = ids.length > 0 ? ` (accounts over the sequence: ${ids.join(', ')})` : '';
  if (account) return `${externalID}'s account ${account.id} is ${account.status}${history}`;
  const deletion = mine.filter((effect) => effect.kind === 'deleted').at(-1);
  if (!deletion) return `${externalID} has no account${history}`;
  return (
    `${externalID}'s account ${deletion.userId} is absent: deleted via ${deletion.via} at ${deletion.time} ` +
    `while ${deletion.statusBefore ?? 'unknown'}${history}`
  );
}

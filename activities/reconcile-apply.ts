/**
 * Applying one entry of a reconciliation plan (activities/reconcile-activities.ts): the onboarding,
 * offboarding or change it calls for, through the start functions the worker was handed.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type LifecyclePolicies } from '../config/policies';
import type { SnapshotPerson, SnapshotRow } from '../lifecycle/reconcile/snapshot-row';
import { moverRequestSchema } from '../lifecycle/support-requests';
import { validate } from '../lifecycle/validation';
import type { LifecycleStore, PlanRecord, StoredPlanEntry } from '../store';
import type { ReconcileActivityDependencies } from './reconcile-activities';

/** The worker's store; a reconciliation activity on a worker without one fails for good (NoStore). */
export function storeOf(store: LifecycleStore | undefined): LifecycleStore {
  if (!store)
    throw ApplicationFailure.nonRetryable(
      'Reconciliation needs the store: this worker was started without one',
      'NoStore',
    );
  return store;
}

function validPerson(row: SnapshotRow | undefined): SnapshotPerson | undefined {
  return row?.kind === 'valid' ? row.person : undefined;
}

export type StartOutcome = 'started' | 'already-running' | 'already-completed' | 'refused';

/** Starts the run of one plan entry through the one home of its start; what happened, for the entry. */
export async function applyReconcileEntry(
  deps: Pick<ReconcileActivityDependencies, 'store' | 'runStarters'>,
  plan: PlanRecord,
  entry: StoredPlanEntry,
): Promise<StartOutcome> {
  const store = storeOf(deps.store);
  const starters = deps.runStarters;
  if (!starters)
    throw ApplicationFailure.nonRetryable('This worker was started without the run starters', 'NoStarters');
  const { client } = Context.current();
  const policies = plan.policies as LifecyclePolicies;
  const externalID = entry.externalID;
  if (externalID === null) return 'refused';
  const reason = `reconciliation plan ${plan.planId}: ${entry.situation}`;
  const person =
    entry.row === undefined
      ? undefined
      : validPerson(await store.reconcile.snapshotRow(plan.snapshotId, entry.row));
  switch (entry.action) {
    case 'start-onboarding':
    case 'schedule-onboarding': {
      if (!person || person.userName === undefined || person.firstName === undefined) return 'refused';
      const request = {
        externalID,
        userName: person.userName,
        firstName: person.firstName,
        lastName: person.lastName ?? '',
        email: person.email ?? '',
        ...(person.startDate !== undefined && { startDate: person.startDate }),
        ...(person.locale !== undefined && { locale: person.locale }),
        ...(person.groupIDs !== undefined && { groupIDs: person.groupIDs }),
        ...(person.profile !== undefined && { profile: person.profile }),
      };
      // A rehire's earlier onboarding completed: only a new run reactivates the account.
      const started = await starters.onboarding(client, request, policies.onboarding, {
        lane: 'bulk',
        rerun: entry.situation === 'rehire',
      });
      return started.status;
    }
    case 'start-offboarding':
    case 'schedule-offboarding': {
      const request = {
        externalID,
        ...(person?.lastWorkingDay !== undefined && { lastWorkingDay: person.lastWorkingDay }),
        reason,
      };
      const started = await starters.offboarding(client, request, policies.offboarding, { lane: 'bulk' });
      return started.status;
    }
    case 'start-change': {
      if (!person) return 'refused';
      const applied = (entry.differences ?? []).filter((difference) => difference.handling === 'applied');
      const fields = new Set(applied.map((difference) => difference.field));
      const profile = Object.fromEntries(
        [...fields]
          .filter((field) => field.startsWith('profile.'))
          .map((field) => [field.slice('profile.'.length), person.profile?.[field.slice('profile.'.length)]]),
      );
      const addToGroups = applied.flatMap((difference) =>
        difference.field === 'groupIDs' ? (difference.groupIDs ?? []) : [],
      );
      const request = validate(moverRequestSchema, {
        externalID,
        ...(fields.has('firstName') && { firstName: person.firstName }),
        ...(fields.has('lastName') && { lastName: person.lastName }),
        ...(fields.has('locale') && { locale: person.locale }),
        ...(Object.keys(profile).length > 0 && { profile }),
        ...(addToGroups.length > 0 && { addToGroups }),
        reason,
      });
      if (!request.ok) return 'refused';
      return (await starters.change(client, request.value)).status;
    }
    default:
      return 'refused';
  }
}

/**
 * The answers of the /v1 routes the console reads: generated from the OpenAPI document
 * (api-types.ts), never copied from the server's modules, so the console depends on the public
 * contract only, like any other client of the API. Here only the names the pages use for parts of them.
 */
import type { RunList, RunState as AnyRunState } from './api-types';

export type {
  AttentionActionResult,
  AttentionAnswer,
  AttentionReason,
  BulkRetryResult,
  BulkRunList,
  BulkProgress,
  BulkState,
  Lifecycle,
  LifecycleEventRetryResult,
  OffboardingOutcome,
  OffboardingStatus,
  OnboardingOutcome,
  OnboardingStatus,
  ParkedLifecycleEvents,
  PeoplePage,
  PersonRetryResult,
  PersonSummary,
  PersonState,
  ReconciliationEntry,
  ReconciliationList,
  ReconciliationPlan,
  ReconciliationPlanPage,
  Report,
  RunList,
} from './api-types';

export type RunSummary = RunList['runs'][number];

/** A lifecycle run as `PersonState` holds it, with its own status and outcome types. */
export type RunState<Status, Outcome> = Omit<AnyRunState, 'status' | 'outcome'> & {
  status?: Status;
  outcome?: Outcome;
};

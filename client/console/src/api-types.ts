/**
 * The answers of the HR API the console reads, generated from its OpenAPI document by
 * tooling/console-api-types.ts: do not edit; change the response schemas (client/http/openapi-*.ts)
 * and run `npx tsx tooling/console-api-types.ts`. test/console/api-types.test.ts keeps them in step.
 */

export type AttentionActionResult = AttentionAnswer & {
  action: string;
  lifecycle: Lifecycle;
  externalID: string;
  workflowId: string;
  /** Paths of the routes that follow or act on this run. */
  links?: Record<string, string>;
};

export interface AttentionAnswer {
  /** `resolved`: the step went through, the run goes on; `still-needs-attention`: refused again; `run-ended`: the run stopped waiting for another reason meanwhile (cancelled, expired), nothing retried. */
  result: 'resolved' | 'still-needs-attention' | 'run-ended';
  attention?: AttentionReason;
  /** The run’s stage after the retry. */
  stage: string;
}

/** Why a run waits in `needs-attention`. */
export interface AttentionReason {
  /** `conflict`: a userName or email belongs to another account (409); `validation`: Staffbase refused a field (400); `not-found`: something the request names does not exist (404, e.g. a group); `auth`: the API token was refused (401/403); `not-permitted`: a DELETE answered 404 while the account still exists (not permitted), nothing was deleted. */
  code: 'conflict' | 'validation' | 'not-found' | 'auth' | 'not-permitted';
  /** The request field Staffbase named, e.g. `userName`, when it named one. */
  field?: string;
  /** Staffbase’s own words (redacted). */
  message: string;
  /** When the run started waiting (ISO date-time). */
  since: string;
  /** The refused step, e.g. `create-account`, `deactivate`. */
  step: string;
}

export interface BulkFailure {
  staffbaseUserId: string;
  reason: string;
}

export interface BulkOutcome {
  result: 'completed' | 'dry-run' | 'cancelled' | 'invalid-filter' | 'too-many-failures' | 'incomplete';
  operation: string;
  filter: string;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pagesDone: number;
  runs: number;
  /** Dry runs: who would be affected. */
  sample?: object[];
  failures: BulkFailure[];
  reason?: string;
}

export interface BulkProgress {
  /** `population-logout` or `cleanup-<kind>`. */
  operation: string;
  phase: 'counting' | 'awaiting-confirmation' | 'running' | 'completed';
  dryRun: boolean;
  /** The filter the run pages through (statuses are ANDed onto it). */
  filter: string;
  statuses: string[];
  total?: number;
  done: number;
  failed: number;
  skipped: number;
  pagesDone: number;
  /** Which run of the continue-as-new chain answers (1 = the first). */
  run: number;
  confirmAbove?: number;
  confirmed?: boolean;
  failures: BulkFailure[];
  startedAt: string;
}

export interface BulkRetryResult {
  /** The visibility query that found the runs (paste it into the Temporal UI). */
  query: string;
  dryRun: boolean;
  found: number;
  resolved: number;
  stillWaiting: number;
  /** Stopped waiting between the listing and the retry. */
  notWaiting: number;
  failed: number;
  runs: {
    lifecycle: Lifecycle;
    externalID: string;
    workflowId: string;
    /** The AttentionCode it waited on. */
    code?: string;
    result: 'resolved' | 'still-needs-attention' | 'not-waiting' | 'failed' | 'would-retry';
    answer?: object;
    /** For `failed`: the innermost cause. */
    error?: string;
  }[];
}

export interface BulkRunList {
  runs: {
    workflowId: string;
    workflowType: string;
    runStatus: string;
    startTime: string;
    closeTime?: string;
    links?: Record<string, string>;
  }[];
  count: number;
}

export interface BulkState {
  workflowId: string;
  runId: string;
  /** Temporal's view: RUNNING, COMPLETED, FAILED, TERMINATED, CANCELED, TIMED_OUT. */
  runStatus: string;
  startTime: string;
  closeTime?: string;
  progress?: BulkProgress;
  outcome?: BulkOutcome;
  /** When the run failed or was terminated: why. */
  failure?: string;
  links?: Record<string, string>;
}

export type Lifecycle = 'onboarding' | 'offboarding';

export interface OffboardingOutcome {
  result: 'deleted' | 'cancelled' | 'cancelled-by-rehire' | 'kept' | 'user-not-found';
  externalID: string;
  staffbaseUserId?: string;
  deactivatedAt?: string;
  deletedAt?: string;
  reactivated?: boolean;
  alreadyGone?: boolean;
  keptBecause?: 'reactivated-since' | 'account-replaced';
  cancelledOnboarding?: boolean;
  reason?: string;
}

export type OffboardingRunState = RunState & {
  status?: OffboardingStatus;
  outcome?: OffboardingOutcome;
};

export interface OffboardingStatus {
  stage:
    | 'scheduled'
    | 'cancelling-onboarding'
    | 'logging-out'
    | 'deactivating'
    | 'retention'
    | 'on-hold'
    | 'deleting'
    | 'reactivating'
    | 'needs-attention'
    | 'completed';
  externalID: string;
  staffbaseUserId?: string;
  /** When the offboarding takes effect (end of the last working day). */
  effectiveAt?: string;
  deactivatedAt?: string;
  /** When the account will be deleted. */
  deleteAt?: string;
  legalHold?: {
    reason?: string;
    since?: string;
  };
  attention?: AttentionReason;
  outcome?: OffboardingOutcome;
}

export interface OnboardingOutcome {
  result: 'activated' | 'expired' | 'cancelled' | 'rehire-refused' | 'account-deleted-elsewhere';
  externalID: string;
  staffbaseUserId?: string;
  remindersSent: number;
  activatedVia?: 'signal' | 'status-check' | 'already-activated' | 'reactivated';
  accountAction?: 'left-pending' | 'deleted' | 'never-created' | 'kept';
  settledOffboarding?: 'cancelled' | 'deleted-before-rehire';
  reason?: string;
}

export type OnboardingRunState = RunState & {
  status?: OnboardingStatus;
  outcome?: OnboardingOutcome;
};

export interface OnboardingStatus {
  stage:
    'scheduled' | 'creating-account' | 'needs-attention' | 'awaiting-activation' | 'finishing' | 'completed';
  externalID: string;
  staffbaseUserId?: string;
  startDate?: string;
  invitedAt?: string;
  remindersSent: number;
  nextAction?: {
    kind: 'send-invitation' | 'send-reminder' | 'check-status' | 'expire';
    at: string;
  };
  attention?: AttentionReason;
  outcome?: OnboardingOutcome;
}

export interface PersonRetryResult {
  action: 'retry';
  externalID: string;
  /** Each run of the person that waited, with what its retry led to. */
  retried: (AttentionAnswer & {
    lifecycle: Lifecycle;
    externalID: string;
    workflowId: string;
  })[];
  /** Paths of the routes that follow or act on this run. */
  links?: Record<string, string>;
}

export interface PersonState {
  externalID: string;
  /** First and last name from the onboarding’s request, when the API can decrypt it (its payload key); absent otherwise. */
  name?: string;
  onboarding?: OnboardingRunState;
  offboarding?: OffboardingRunState;
}

export interface RunList {
  runs: {
    lifecycle: string;
    externalID?: string;
    stage?: string;
    workflowId: string;
    runStatus: string;
    startTime: string;
    /** With `q`: the person’s name when it matched (and the API could decrypt it). */
    name?: string;
  }[];
  count: number;
  /** The same filter as a Temporal visibility query (paste it into the Web UI). */
  query: string;
}

export interface RunState {
  workflowId: string;
  runId: string;
  /** Temporal's view: RUNNING, COMPLETED, FAILED, TERMINATED, CANCELED, TIMED_OUT. */
  runStatus: string;
  startTime: string;
  closeTime?: string;
  /** While running: the workflow's own status (stage, next action, …). */
  status?: object;
  /** When completed: the workflow's result (e.g. `result: activated`). */
  outcome?: object;
  /** When failed, terminated or timed out: why — the innermost cause’s message (e.g. Staffbase’s own words), not the wrapper’s. */
  failure?: string;
  /** The innermost cause’s failure type, when it has one. */
  failureType?: string;
}

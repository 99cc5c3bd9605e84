/**
 * The answers of the /v1 routes the console reads, as the OpenAPI document describes them. Written
 * here rather than imported from the server's modules on purpose: the console depends on the public
 * contract only, like any other client of the API.
 */
export type Lifecycle = 'onboarding' | 'offboarding';

export interface RunSummary {
  lifecycle: string;
  externalID?: string;
  stage?: string;
  workflowId: string;
  runStatus: string;
  startTime: string;
  /** With `q`: the person's name, when it matched. */
  name?: string;
}

export interface RunList {
  runs: RunSummary[];
  count: number;
  query: string;
}

/** Why a run waits in `needs-attention` (a refusal a person can fix). */
export interface AttentionReason {
  code: 'conflict' | 'validation' | 'not-found' | 'auth';
  field?: string;
  message: string;
  since: string;
  step: string;
}

/** What a correction or retry led to, once the retried step answered. */
export interface AttentionAnswer {
  /** `run-ended`: the run stopped waiting for another reason meanwhile (cancelled, expired). */
  result: 'resolved' | 'still-needs-attention' | 'run-ended';
  attention?: AttentionReason;
  stage: string;
}

export interface AttentionActionResult extends AttentionAnswer {
  action: string;
  lifecycle: Lifecycle;
  externalID: string;
  workflowId: string;
}

export interface PersonRetryResult {
  externalID: string;
  retried: (AttentionAnswer & { lifecycle: Lifecycle; externalID: string; workflowId: string })[];
}

export interface BulkRetryResult {
  query: string;
  dryRun: boolean;
  found: number;
  resolved: number;
  stillWaiting: number;
  notWaiting: number;
  failed: number;
  runs: {
    lifecycle: Lifecycle;
    externalID: string;
    workflowId: string;
    code?: string;
    result: string;
    error?: string;
  }[];
}

export interface OnboardingStatus {
  stage: string;
  attention?: AttentionReason;
  staffbaseUserId?: string;
  startDate?: string;
  invitedAt?: string;
  remindersSent: number;
  nextAction?: { kind: string; at: string };
}

export interface OnboardingOutcome {
  result: string;
  remindersSent: number;
  activatedVia?: string;
  accountAction?: string;
  settledOffboarding?: string;
  reason?: string;
}

export interface OffboardingStatus {
  stage: string;
  attention?: AttentionReason;
  staffbaseUserId?: string;
  effectiveAt?: string;
  deactivatedAt?: string;
  deleteAt?: string;
  legalHold?: { reason: string; since: string };
}

export interface OffboardingOutcome {
  result: string;
  deactivatedAt?: string;
  deletedAt?: string;
  reactivated?: boolean;
  alreadyGone?: boolean;
  keptBecause?: string;
  cancelledOnboarding?: boolean;
  reason?: string;
}

export interface RunState<Status, Outcome> {
  workflowId: string;
  runId: string;
  runStatus: string;
  startTime: string;
  closeTime?: string;
  status?: Status;
  outcome?: Outcome;
  /** The innermost cause's message of a failed run. */
  failure?: string;
  failureType?: string;
}

export interface PersonState {
  externalID: string;
  /** First and last name, when the API can decrypt the onboarding's request. */
  name?: string;
  onboarding?: RunState<OnboardingStatus, OnboardingOutcome>;
  offboarding?: RunState<OffboardingStatus, OffboardingOutcome>;
}

export interface BulkProgress {
  operation: string;
  phase: string;
  dryRun: boolean;
  filter: string;
  total?: number;
  done: number;
  failed: number;
  skipped: number;
  confirmAbove?: number;
  confirmed?: boolean;
  startedAt: string;
}

export interface BulkState {
  workflowId: string;
  runStatus: string;
  startTime: string;
  closeTime?: string;
  progress?: BulkProgress;
  outcome?: { result: string; total?: number; done?: number; failed?: number; sample?: unknown[] };
  failure?: string;
}

export interface BulkRunList {
  runs: {
    workflowId: string;
    workflowType: string;
    runStatus: string;
    startTime: string;
    closeTime?: string;
  }[];
}

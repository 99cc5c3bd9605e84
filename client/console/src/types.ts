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
}

export interface RunList {
  runs: RunSummary[];
  count: number;
  query: string;
}

export interface OnboardingStatus {
  stage: string;
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
  failure?: string;
}

export interface PersonState {
  externalID: string;
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

/**
 * `needs-attention`: a step Staffbase refused for a reason a person can fix (lifecycle/attention.ts)
 * parks the run instead of failing it. The run keeps its place, its timers and its retention clock;
 * HR corrects the request or an operator retries, and the step runs again at once.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notification-activities';
import type { AttentionAnswer, AttentionCode, AttentionReason } from '../lifecycle/attention';
import { attentionCodeSearchAttribute } from '../lifecycle/search-attributes';
import { withStaffbaseWords } from '../lifecycle/staffbase-words';
import { taskQueues } from '../lifecycle/task-queues';
import { DELETE_NOT_PERMITTED_FAILURE } from './deletion-confirmation';

/** Runs that recorded this marker park on fixable refusals; older histories failed on them. */
export const needsAttentionPatch = 'needs-attention';

/**
 * The failure types of the activities (activity-failures.ts) a person can fix, by code, and the
 * workflow's own not-permitted deletion (workflows/deletion-confirmation.ts).
 */
const fixableFailureTypes: Readonly<Record<string, AttentionCode>> = {
  StaffbaseConflictError: 'conflict',
  StaffbaseValidationError: 'validation',
  StaffbaseNotFoundError: 'not-found',
  StaffbaseAuthError: 'auth',
  [DELETE_NOT_PERMITTED_FAILURE]: 'not-permitted',
};

type Refusal = Pick<AttentionReason, 'code' | 'field' | 'message'>;

/** The fixable refusal behind a step's failure; undefined for anything else (a bug fails the run). */
export function fixableRefusalOf(error: unknown): Refusal | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  if (!(failure instanceof ApplicationFailure) || failure.type == null) return undefined;
  const code = fixableFailureTypes[failure.type];
  if (code === undefined) return undefined;
  const detail: unknown = failure.details?.[0];
  const field =
    detail !== null && typeof detail === 'object' && 'field' in detail && typeof detail.field === 'string'
      ? detail.field
      : undefined;
  // The message for HR: the failure's (codes only, it is logged) with Staffbase's words from the details.
  const message = withStaffbaseWords(failure.message, failure.details);
  return { code, message, ...(field !== undefined && { field }) };
}

/** The attention notice: a few tries, and a refused mail never stops the run. */
const notices = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  taskQueue: taskQueues.staffbaseApi,
  retry: { initialInterval: '5 seconds', maximumAttempts: 5 },
});

export interface AttentionDeskOptions<Stage extends string> {
  lifecycle: 'onboarding' | 'offboarding' | 'leave';
  externalID: string;
  personName?: () => string | undefined;
  contactEmail?: () => string | undefined;
  /** The run's stage, and how it changes it (the search attribute too). */
  stage: () => Stage;
  enterStage: (stage: Stage) => void;
}

/** How a parked step ended when it did not go through: the run has something else to do now. */
export interface LeftWaiting {
  left: true;
}

export interface StepWaitOptions {
  /** Leave the wait when this holds (a cancel, for example). */
  leaveWhen?: () => boolean;
  /** Leave the wait at this moment (a policy deadline such as the onboarding's expiry). */
  deadlineAtMs?: (parkedAtMs: number) => number | undefined;
}

/**
 * One per run: runs steps, parks on fixable refusals, and serves the `correct` / `retry` updates.
 * Each update takes a ticket and answers once a retry that took it has answered.
 */
export class AttentionDesk<Stage extends string> {
  /** Set while the run waits (and while the retry it waits for runs). */
  reason: AttentionReason | undefined;
  private requested = 0;
  private taken = 0;
  private settled = 0;
  private lastAnswer: Omit<AttentionAnswer, 'stage'> | undefined;
  private readonly notifiedCodes = new Set<AttentionCode>();
  /** The step's stage, to go back to when the run stops waiting. */
  private stageBefore: Stage | undefined;

  constructor(private readonly options: AttentionDeskOptions<Stage | 'needs-attention'>) {}

  private parkStage(): void {
    const stage = this.options.stage();
    if (stage !== 'needs-attention') this.stageBefore = stage;
    this.options.enterStage('needs-attention');
  }

  private unparkStage(): void {
    if (this.options.stage() === 'needs-attention' && this.stageBefore !== undefined) {
      this.options.enterStage(this.stageBefore);
    }
  }

  /** The updates' validator: nothing to retry unless the run waits. */
  assertWaiting(): void {
    if (this.reason === undefined) {
      throw ApplicationFailure.create({
        type: 'NotNeedingAttention',
        message: `The ${this.options.lifecycle} is not waiting in needs-attention (stage ${this.options.stage()}); there is nothing to retry.`,
        nonRetryable: true,
      });
    }
  }

  /** The updates' handler: asks for a retry and answers once the retried step answered. */
  async retry(): Promise<AttentionAnswer> {
    const ticket = ++this.requested;
    await condition(() => this.settled >= ticket);
    if (this.lastAnswer === undefined) throw new Error('a settled retry always has an answer');
    // The stage now, not at the settling: by now the run has moved on to its next step.
    return { ...this.lastAnswer, stage: this.options.stage() };
  }

  /** Runs the step; a fixable refusal parks the run until a retry, `leaveWhen` or the deadline. */
  async step<T>(step: string, act: () => Promise<T>, wait: StepWaitOptions = {}): Promise<T | LeftWaiting> {
    let parkedAtMs: number | undefined;
    for (;;) {
      try {
        const value = await act();
        if (this.reason !== undefined) this.clear();
        this.settle({ result: 'resolved' });
        return value;
      } catch (error) {
        const refusal = fixableRefusalOf(error);
        if (refusal === undefined || !patched(needsAttentionPatch)) throw error;
        parkedAtMs ??= Date.now();
        await this.park(step, refusal);
      }
      const deadlineAtMs = wait.deadlineAtMs?.(parkedAtMs);
      const leave = () => wait.leaveWhen?.() === true;
      const retryAsked = () => this.requested > this.taken;
      if (deadlineAtMs === undefined) await condition(() => retryAsked() || leave());
      else await condition(() => retryAsked() || leave(), Math.max(deadlineAtMs - Date.now(), 1));
      // A retry wins over leaving: the person who fixed the request is waiting for its answer.
      if (retryAsked()) {
        this.taken = this.requested;
        this.unparkStage();
        continue;
      }
      this.clear();
      this.settle({ result: 'run-ended' });
      return { left: true };
    }
  }

  private async park(step: string, refusal: Refusal): Promise<void> {
    const since = this.reason?.since ?? new Date().toISOString();
    this.reason = { ...refusal, step, since };
    this.parkStage();
    upsertSearchAttributes([{ key: attentionCodeSearchAttribute, value: refusal.code }]);
    this.settle({ result: 'still-needs-attention', attention: this.reason });
    log.warn('Step refused; the run waits for a fix', { step, code: refusal.code, field: refusal.field });
    if (this.notifiedCodes.has(refusal.code)) return;
    this.notifiedCodes.add(refusal.code);
    try {
      await notices.notifyNeedsAttention({
        lifecycle: this.options.lifecycle,
        externalID: this.options.externalID,
        personName: this.options.personName?.(),
        contactEmail: this.options.contactEmail?.(),
        reason: this.reason,
      });
    } catch (error) {
      log.warn('The needs-attention notice could not be delivered', { error: String(error) });
    }
  }

  private clear(): void {
    this.reason = undefined;
    this.unparkStage();
    upsertSearchAttributes([{ key: attentionCodeSearchAttribute, value: null }]);
  }

  /** Answers every update whose retry has run. */
  private settle(answer: Omit<AttentionAnswer, 'stage'>): void {
    if (this.taken <= this.settled) return;
    this.settled = this.taken;
    this.lastAnswer = answer;
  }

  /** At the end of the run: every waiting update gets its answer. */
  settleAll(): void {
    this.taken = this.requested;
    this.settle({ result: 'run-ended' });
  }
}

/** Whether a step's answer is the run leaving the wait rather than the step's own result. */
export function leftWaiting(value: unknown): value is LeftWaiting {
  return value !== null && typeof value === 'object' && 'left' in value && value.left === true;
}

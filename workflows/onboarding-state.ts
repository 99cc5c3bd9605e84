/**
 * An onboarding run's state, its stage search attribute, and its signal, query and update handlers;
 * the steps are in workflows/onboarding-run.ts. The constructor's commands (the first stage upsert)
 * and handler registrations keep the order the workflow had as one function (test/replay).
 */
import { log, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { OnboardingPolicy, OnboardingRequest } from '../lifecycle/onboarding-request';
import { lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { AttentionDesk } from './needs-attention';
import { handleAttentionUpdates, isStartDate } from './onboarding-corrections';
import { PersonIndexWriter } from './person-index';
import {
  cancelOnboardingSignal,
  changeStartDateSignal,
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type NextAction,
  type OnboardingOutcome,
  type OnboardingStage,
  type OnboardingStatus,
} from './onboarding-messages';
import type { OnboardingInput } from './onboarding';

export abstract class OnboardingState {
  protected readonly policy: OnboardingPolicy;
  /** The request as HR last corrected it (needs-attention); the input keeps what was asked first. */
  protected request: OnboardingRequest;
  protected readonly reminderPolicy: OnboardingPolicy['reminderPolicy'];
  protected stage: OnboardingStage;
  private publishedStage: OnboardingStage | undefined;
  protected readonly desk: AttentionDesk<OnboardingStage>;
  protected startDate: string | undefined;
  protected startDateChanged = false;
  protected activatedVia: 'signal' | undefined;
  protected cancellation: { reason?: string } | undefined;
  protected staffbaseUserId: string | undefined;
  protected invitedAtMs: number | undefined;
  protected remindersSent: number;
  protected lastStatusCheckMs: number;
  protected settledOffboarding: OnboardingOutcome['settledOffboarding'];
  protected vanishedWhileReactivating: string[] | undefined;
  protected nextAction: NextAction | undefined;
  protected outcome: OnboardingOutcome | undefined;
  /** The person index's writes (patch `onboarding-person-index`). */
  protected readonly index: PersonIndexWriter;

  constructor(
    protected readonly input: OnboardingInput,
    indexed = false,
  ) {
    this.index = new PersonIndexWriter({
      lifecycle: 'onboarding',
      enabled: indexed,
      quietStages: ['creating-account', 'finishing'],
    });
    this.policy = input.policy;
    this.request = input.request;
    this.reminderPolicy = this.request.reminderPolicy ?? this.policy.reminderPolicy;
    this.stage = input.carryOver ? 'awaiting-activation' : 'scheduled';
    this.enterStage(this.stage);
    this.desk = new AttentionDesk<OnboardingStage>({
      lifecycle: 'onboarding',
      externalID: this.request.externalID,
      personName: () => `${this.request.firstName} ${this.request.lastName}`,
      contactEmail: () => this.request.contactEmail,
      stage: () => this.stage,
      enterStage: (next) => this.enterStage(next),
    });
    this.startDate = this.request.startDate;
    this.staffbaseUserId = input.carryOver?.staffbaseUserId;
    this.invitedAtMs = input.carryOver?.invitedAtMs;
    this.remindersSent = input.carryOver?.remindersSent ?? 0;
    this.lastStatusCheckMs = input.carryOver?.lastStatusCheckMs ?? Date.now();
    this.settledOffboarding = input.carryOver?.settledOffboarding;
    this.vanishedWhileReactivating = input.carryOver?.vanishedWhileReactivating;
    this.registerHandlers();
  }

  /** Every stage change is visible in the Temporal UI through the LifecycleStage search attribute. */
  protected enterStage(next: OnboardingStage): void {
    this.stage = next;
    this.index.stageEntered(next);
    if (next === this.publishedStage) return;
    this.publishedStage = next;
    upsertSearchAttributes([{ key: lifecycleStageSearchAttribute, value: next }]);
  }

  private registerHandlers(): void {
    setHandler(onboardingActivatedSignal, () => {
      this.activatedVia ??= 'signal';
    });
    setHandler(cancelOnboardingSignal, (details) => {
      this.cancellation ??= { reason: details.reason };
    });
    setHandler(changeStartDateSignal, ({ startDate: newStartDate }) => {
      if (this.stage !== 'scheduled') {
        log.warn('Start date change ignored: the invitation already went out', { newStartDate });
        return;
      }
      if (!isStartDate(newStartDate, this.policy)) {
        log.warn('Start date change ignored: not a date in the form YYYY-MM-DD', { newStartDate });
        return;
      }
      this.startDate = newStartDate;
      this.startDateChanged = true;
    });
    setHandler(onboardingStatusQuery, (): OnboardingStatus => this.status());
    handleAttentionUpdates(this.desk, (corrected) => {
      this.request = { ...this.request, ...corrected };
    });
  }

  private status(): OnboardingStatus {
    return {
      stage: this.stage,
      externalID: this.request.externalID,
      staffbaseUserId: this.staffbaseUserId,
      startDate: this.startDate,
      invitedAt: this.invitedAtMs === undefined ? undefined : new Date(this.invitedAtMs).toISOString(),
      remindersSent: this.remindersSent,
      nextAction: this.nextAction,
      attention: this.desk.reason,
      vanishedWhileReactivating: this.vanishedWhileReactivating,
      outcome: this.outcome,
    };
  }

  /** The first index write of the run: `started` for a new onboarding, the new run id after continue-as-new. */
  protected startIndex(): void {
    this.index.start(
      () => ({
        externalID: this.request.externalID,
        firstName: this.request.firstName,
        lastName: this.request.lastName,
        email: this.request.email,
        stage: this.stage,
        startDate: this.startDate,
        attentionCode: this.desk.reason?.code,
        outcome: this.outcome?.result,
      }),
      this.input.carryOver ? [] : ['started'],
    );
  }

  /** The index writes sent have answered: before the run closes or continues as new. */
  indexSettled(): Promise<void> {
    return this.index.settled();
  }

  protected signalled(): boolean {
    return this.activatedVia !== undefined || this.cancellation !== undefined;
  }

  protected finish(result: Omit<OnboardingOutcome, 'externalID' | 'remindersSent'>): OnboardingOutcome {
    const { remindersSent, settledOffboarding, vanishedWhileReactivating } = this;
    this.outcome = {
      ...result,
      externalID: this.request.externalID,
      remindersSent,
      settledOffboarding,
      vanishedWhileReactivating,
    };
    this.index.milestone(result.result);
    this.enterStage('completed');
    this.desk.settleAll();
    this.nextAction = undefined;
    log.info('Onboarding finished', {
      result: this.outcome.result,
      accountAction: this.outcome.accountAction,
    });
    return this.outcome;
  }
}

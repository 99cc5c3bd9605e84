/**
 * The runs keep the person index current (docs/store.md): one local activity per stage change, on
 * the workflow worker (no Staffbase request, so off the tenant's budget). A local activity adds one
 * marker event to the history instead of an activity's three and needs no extra workflow task (the
 * onboarding bench's throughput must not drop). A failing write never fails or blocks the run: a few quick
 * retries, then a warning (ids and stage only) and the run goes on; the next write carries the whole
 * row again, and `store rebuild` repairs the rest.
 */
import {
  ApplicationFailure,
  log,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { PersonIndexActivities } from '../activities/person-index-activities';
import type { PersonStageWrite } from '../lifecycle/person-index-write';
import { personIndexQuery } from './person-index-messages';

const index = proxyLocalActivities<PersonIndexActivities>({
  // SQLite waits up to 10 s for another process's write lock.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** What the run knows about the person at a stage change. */
export type PersonFields = Pick<
  PersonStageWrite,
  | 'externalID'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'stage'
  | 'startDate'
  | 'lastWorkingDay'
  | 'attentionCode'
  | 'outcome'
>;

export interface PersonIndexWriterOptions {
  lifecycle: PersonStageWrite['lifecycle'];
  /** The run's `*-person-index` patch: runs without it replay without a single write. */
  enabled: boolean;
  /** Stages of a few seconds that are not written on their own (they ride on the next write). */
  quietStages: readonly string[];
  /** Milestones a stage change means, e.g. deactivating → logged-out. */
  milestonesOnEnter?: (stage: string, previous: string | undefined) => string[];
}

/** The failure's type only (e.g. SqliteError, a timeout): never its message, which might quote values. */
const failureKind = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type) return cause.type;
  return cause instanceof Error ? cause.name : 'unknown';
};

export class PersonIndexWriter {
  private fields: (() => PersonFields) | undefined;
  private sequence = 0;
  private lastWriteAt: string | undefined;
  private stageSeen: string | undefined;
  private milestones: string[] = [];
  private inFlight: Promise<void>[] = [];

  constructor(private readonly options: PersonIndexWriterOptions) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** The first write of the run (with `milestones`, e.g. started), and the query `store rebuild` asks. */
  start(fields: () => PersonFields, milestones: string[]): void {
    this.fields = fields;
    setHandler(personIndexQuery, () => ({
      ...this.snapshot(),
      at: this.lastWriteAt ?? workflowInfo().runStartTime.toISOString(),
      milestones: [],
    }));
    this.stageSeen = fields().stage;
    this.milestones.push(...milestones);
    this.write();
  }

  /** A milestone that goes with the next write. */
  milestone(kind: string): void {
    if (this.options.enabled) this.milestones.push(kind);
  }

  /** Called by the run's enterStage: writes a change of stage (quiet stages wait for the next write). */
  stageEntered(stage: string): void {
    const previous = this.stageSeen;
    if (stage === previous) return;
    this.stageSeen = stage;
    if (!this.fields) return; // the constructor's first stage: `start` writes it
    if (stage === 'needs-attention') this.milestone('needs-attention');
    if (previous === 'needs-attention') this.milestone('resolved');
    for (const kind of this.options.milestonesOnEnter?.(stage, previous) ?? []) this.milestone(kind);
    if (this.options.quietStages.includes(stage) && this.milestones.length === 0) return;
    this.write();
  }

  /** Writes the row as it stands now, with the milestones noted since the last write. */
  write(): void {
    if (!this.options.enabled || !this.fields) return;
    this.sequence += 1;
    this.lastWriteAt = new Date().toISOString();
    const write: PersonStageWrite = {
      ...this.snapshot(),
      at: this.lastWriteAt,
      milestones: this.milestones.splice(0),
    };
    const { lifecycle } = this.options;
    const { stage, sequence } = write;
    this.inFlight.push(
      index.recordPersonStage(write).then(
        () => undefined,
        (error: unknown) => {
          log.warn(
            'Person index write failed; the run goes on (the next write or `store rebuild` repairs it)',
            {
              lifecycle,
              stage,
              sequence,
              failure: failureKind(error),
            },
          );
        },
      ),
    );
  }

  /** Before the run closes or continues as new: the writes sent have answered (or given up). */
  async settled(): Promise<void> {
    if (!this.options.enabled) return;
    while (this.inFlight.length > 0) await Promise.all(this.inFlight.splice(0));
  }

  private snapshot(): Omit<PersonStageWrite, 'at' | 'milestones'> {
    const info = workflowInfo();
    const fields = this.fields?.() ?? { externalID: '', stage: this.stageSeen ?? '' };
    const completed = fields.stage === 'completed';
    return {
      lifecycle: this.options.lifecycle,
      ...fields,
      attentionCode: completed ? undefined : fields.attentionCode,
      runId: info.runId,
      runStartedAt: info.runStartTime.toISOString(),
      sequence: this.sequence,
      open: !completed,
    };
  }
}

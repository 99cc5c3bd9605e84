import { type AttentionReason } from '../../lifecycle/attention';
import { type Lifecycle } from '../../lifecycle/workflow-ids';
import { type OffboardingOutcome, type OffboardingStatus } from '../../workflows/offboarding-messages';
import { type OnboardingOutcome, type OnboardingStatus } from '../../workflows/onboarding-messages';
import { type PersonState, type RunState } from '../person-state';
import { type RunSummary } from '../run-list';
import { type StartedRun } from '../lifecycle-runs';

/** Text renderings for people; --json prints the objects themselves. */

export function startedRunText(run: StartedRun, externalID: string): string {
  const where = `workflow ${run.workflowId}${run.runId ? `, run ${run.runId}` : ''}`;
  switch (run.status) {
    case 'started':
      return `Started the ${run.lifecycle} of ${externalID} (${where}).`;
    case 'already-running':
      return `The ${run.lifecycle} of ${externalID} is already running (${where}): nothing new started.`;
    case 'already-completed':
      return (
        `The ${run.lifecycle} of ${externalID} already ran to its end (${run.closedStatus ?? 'closed'}, ${where}): ` +
        'nothing started. Use --rerun to start it again (e.g. a rehire).'
      );
  }
}

const field = (label: string, value: string | number | undefined) =>
  value === undefined || value === '' ? [] : [`${label} ${String(value)}`];

/** A run's detail for `status`: its status's facts, then its outcome's (led by the result). */
const detailOf =
  <S, O extends { result: string }>(
    statusParts: (status: S) => string[],
    outcomeParts: (outcome: O) => string[],
  ) =>
  (status?: S, outcome?: O): string[] => [
    ...(status ? statusParts(status) : []),
    ...(outcome ? [`result ${outcome.result}`, ...outcomeParts(outcome)] : []),
  ];

const onboardingDetail = detailOf<OnboardingStatus, OnboardingOutcome>(
  (status) => [
    ...field('start date', status.startDate),
    ...field('invited', status.invitedAt),
    `${status.remindersSent} reminder(s) sent`,
    ...(status.nextAction ? [`next: ${status.nextAction.kind} at ${status.nextAction.at}`] : []),
    ...field('Staffbase user', status.staffbaseUserId),
  ],
  (outcome) => [
    ...field('via', outcome.activatedVia),
    ...field('account', outcome.accountAction),
    ...field('reason', outcome.reason),
  ],
);

const offboardingDetail = detailOf<OffboardingStatus, OffboardingOutcome>(
  (status) => [
    ...field('effective', status.effectiveAt),
    ...field('deactivated', status.deactivatedAt),
    ...field('deletion at', status.deleteAt),
    ...(status.legalHold ? [`LEGAL HOLD since ${status.legalHold.since}: ${status.legalHold.reason}`] : []),
    ...field('Staffbase user', status.staffbaseUserId),
  ],
  (outcome) => [
    ...field('deleted', outcome.deletedAt),
    ...(outcome.reactivated ? ['account reactivated'] : []),
    ...field('reason', outcome.reason),
  ],
);

function runLines<S extends { stage: string }, O>(
  lifecycle: Lifecycle,
  run: RunState<S, O> | undefined,
  detail: (status?: S, outcome?: O) => string[],
): string[] {
  const label = lifecycle.padEnd(12);
  if (!run) return [`  ${label}none`];
  const stageName = run.status?.stage ?? (run as { stage?: string }).stage;
  const stage = stageName ? `  stage ${stageName}` : '';
  const lines = [
    `  ${label}${run.runStatus}${stage}  (workflow ${run.workflowId}, started ${run.startTime}` +
      `${run.closeTime ? `, closed ${run.closeTime}` : ''})`,
  ];
  const details = detail(run.status, run.outcome);
  if (details.length > 0) lines.push(`  ${' '.repeat(12)}${details.join(', ')}`);
  const attention = (run.status as { attention?: AttentionReason } | undefined)?.attention;
  if (attention) {
    lines.push(
      `  ${' '.repeat(12)}NEEDS ATTENTION since ${attention.since}: ${attention.code}` +
        `${attention.field ? ` on ${attention.field}` : ''} at step ${attention.step}: ${attention.message}`,
    );
  }
  if (run.failure) {
    lines.push(`  ${' '.repeat(12)}failure: ${run.failure}${run.failureType ? ` (${run.failureType})` : ''}`);
  }
  return lines;
}

export function personStateText(state: PersonState): string[] {
  return [
    state.name ? `${state.externalID} (${state.name})` : state.externalID,
    ...runLines('onboarding', state.onboarding, onboardingDetail),
    ...runLines('offboarding', state.offboarding, offboardingDetail),
  ];
}

export function offboardingStatusText(externalID: string, status: OffboardingStatus): string {
  const details = offboardingDetail(status, status.outcome);
  return `Offboarding of ${externalID}: stage ${status.stage}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** A plain table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function runListText(runs: RunSummary[], query: string, limited: boolean): string[] {
  const lines =
    runs.length === 0
      ? ['No runs match.']
      : table(
          ['LIFECYCLE', 'EXTERNAL ID', 'STAGE', 'STATUS', 'STARTED', 'WORKFLOW ID'],
          runs.map((run) => [
            run.lifecycle,
            run.externalID ?? '',
            run.stage ?? '',
            run.runStatus,
            run.startTime,
            run.workflowId,
          ]),
        );
  if (limited) lines.push(`(first ${runs.length} shown; raise --limit for more)`);
  lines.push('', `Temporal UI / \`temporal workflow list --query\`: ${query}`);
  return lines;
}

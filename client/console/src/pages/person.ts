/**
 * One person: the onboarding and offboarding runs side by side, each with its timeline and the
 * actions that apply to it now. Every action answers with the run's new state or the reason it was
 * refused; the page then reloads the person and keeps that answer at the top.
 */
import { ApiFailure, get, post, segment } from '../api';
import { correctionAction, retryAction } from '../attention';
import { temporalRunUrl } from '../config';
import { h, loadingRegion, pageTitle, show, status } from '../dom';
import { stageLabel } from '../labels';
import { type Route } from '../main';
import { isAdmin } from '../session';
import {
  type OffboardingOutcome,
  type OffboardingStatus,
  type OnboardingOutcome,
  type OnboardingStatus,
  type PersonState,
  type RunState,
} from '../types';
import { type ActionSpec, actionForm } from './action-form';
import { offboardingTimeline, onboardingTimeline, timelineList } from './timeline';

/** Signals are taken by the run on its own time: wait a moment, then read what it did. */
const SIGNAL_SETTLE_MS = 1_500;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeOffboarding(status: OffboardingStatus | undefined): string {
  if (!status) return '';
  const parts = [`stage ${stageLabel(status.stage)}`];
  if (status.deleteAt) parts.push(`deletes ${new Date(status.deleteAt).toLocaleString()}`);
  if (status.legalHold) parts.push(`legal hold: ${status.legalHold.reason}`);
  return parts.join(', ');
}

async function afterSignal(externalID: string, action: string): Promise<string> {
  await pause(SIGNAL_SETTLE_MS);
  const person = await get<PersonState>(`/v1/people/${segment(externalID)}`);
  const run = person.onboarding;
  const now = run?.status
    ? `stage ${stageLabel(run.status.stage)}`
    : run?.outcome
      ? `ended: ${run.outcome.result}`
      : (run?.runStatus.toLowerCase() ?? 'unknown');
  return `${action}: accepted by the run. Onboarding now ${now}.`;
}

/** Cancelling a run: a danger action with an optional reason, sent only when one is given. */
function cancelAction(
  lifecycle: 'onboarding' | 'offboarding',
  why: string,
  reasonLabel: string,
  cancel: (body: { reason?: string }) => Promise<string>,
): ActionSpec {
  return {
    id: `cancel-${lifecycle}`,
    title: `Cancel the ${lifecycle} (${why})`,
    button: `Cancel ${lifecycle}`,
    danger: true,
    fields: [{ name: 'reason', label: reasonLabel }],
    run: (values) => cancel(values.reason ? { reason: values.reason } : {}),
  };
}

function onboardingActions(
  externalID: string,
  run: RunState<OnboardingStatus, OnboardingOutcome>,
): ActionSpec[] {
  const base = `/v1/onboardings/${segment(externalID)}`;
  const waiting: ActionSpec[] = [];
  if (run.status?.stage === 'needs-attention') {
    const reason = run.status.attention;
    if (reason?.code !== 'auth') waiting.push(correctionAction(externalID, reason, 'correct-onboarding'));
    waiting.push(retryAction(externalID, 'retry-onboarding'));
  }
  const actions: ActionSpec[] = [
    ...waiting,
    {
      id: 'activated',
      title: 'The new hire activated the account',
      button: 'Mark as activated',
      run: async () => {
        await post(`${base}/activated`, { source: 'hr-console' });
        return afterSignal(externalID, 'Activated');
      },
    },
  ];
  if (run.status?.stage === 'scheduled') {
    actions.push({
      id: 'start-date',
      title: 'Change the start date',
      button: 'Change start date',
      fields: [{ name: 'startDate', label: 'New start date', type: 'date', required: true }],
      run: async (values) => {
        await post(`${base}/start-date`, { startDate: values.startDate });
        return afterSignal(externalID, 'New start date');
      },
    });
  }
  actions.push(
    cancelAction(
      'onboarding',
      'offer withdrawn',
      'Reason (optional, a case number rather than names)',
      async (body) => {
        await post(`${base}/cancel`, body);
        return afterSignal(externalID, 'Cancel');
      },
    ),
  );
  return actions;
}

function offboardingActions(
  externalID: string,
  run: RunState<OffboardingStatus, OffboardingOutcome>,
): ActionSpec[] {
  const base = `/v1/offboardings/${segment(externalID)}`;
  const statusAnswer = async (path: string, body: unknown, done: string) => {
    const answer = await post<{ offboarding?: OffboardingStatus }>(path, body);
    return `${done}. Offboarding now: ${describeOffboarding(answer.body.offboarding)}.`;
  };
  const actions: ActionSpec[] = [];
  if (run.status?.stage === 'needs-attention') actions.push(retryAction(externalID, 'retry-offboarding'));
  // Releasing a hold lets a held-back deletion go ahead: the support key's decision (the API says 403).
  if (run.status?.legalHold && isAdmin()) {
    actions.push({
      id: 'release',
      title: 'Release the legal hold',
      button: 'Release hold',
      run: () => statusAnswer(`${base}/legal-hold/release`, {}, 'Legal hold released'),
    });
  } else if (!run.status?.legalHold) {
    actions.push({
      id: 'hold',
      title: 'Place a legal hold (no deletion until released)',
      button: 'Place hold',
      fields: [{ name: 'reason', label: 'Reason (case number)', required: true }],
      run: (values) => statusAnswer(`${base}/legal-hold`, { reason: values.reason }, 'Legal hold placed'),
    });
  }
  actions.push({
    id: 'retention',
    title: 'Change when the account is deleted',
    button: 'Change retention',
    fields: [
      { name: 'retentionDays', label: 'Days after deactivation', type: 'number' },
      {
        name: 'deleteAt',
        label: 'or delete at',
        help:
          'An ISO date-time such as 2027-01-31T17:00:00Z; give one of the two.' +
          (isAdmin() ? '' : ' With the HR key the deletion may only move later.'),
      },
    ],
    // The API checks "exactly one of the two" and answers with the field, as for any client.
    run: (values) =>
      statusAnswer(
        `${base}/retention`,
        {
          ...(values.retentionDays && { retentionDays: Number(values.retentionDays) }),
          ...(values.deleteAt && { deleteAt: values.deleteAt }),
        },
        'Retention changed',
      ),
  });
  actions.push(
    cancelAction('offboarding', 'reversal, rehire', 'Reason (optional)', async (body) => {
      const answer = await post<{ outcome?: OffboardingOutcome }>(`${base}/cancel`, body);
      const outcome = answer.body.outcome;
      return `Offboarding cancelled${outcome?.reactivated ? '; the account was reactivated' : ''}.`;
    }),
  );
  if (isAdmin()) {
    actions.push({
      id: 'delete-now',
      title: 'Delete the account now',
      button: 'Delete now',
      danger: true,
      confirmText: externalID,
      run: () => statusAnswer(`${base}/delete-now`, {}, 'Deletion brought forward'),
    });
  }
  return actions;
}

function runCard<S, O>(
  title: string,
  run: RunState<S, O> | undefined,
  timeline: (run: RunState<S, O>) => ReturnType<typeof onboardingTimeline>,
  actions: (run: RunState<S, O>) => ActionSpec[],
): HTMLElement {
  if (!run)
    return h(
      'section',
      { class: 'card run', 'aria-label': title },
      h('h2', {}, title),
      h('p', {}, 'No run.'),
    );
  const link = temporalRunUrl(run.workflowId, run.runId);
  const open = run.runStatus === 'RUNNING';
  return h(
    'section',
    { class: 'card run', 'aria-label': title },
    h(
      'h2',
      {},
      title,
      ' ',
      h('span', { class: `badge ${open ? 'open' : 'closed'}` }, run.runStatus.toLowerCase()),
    ),
    timelineList(timeline(run)),
    link
      ? h('p', {}, h('a', { href: link, target: '_blank', rel: 'noopener' }, 'Open in the Temporal UI'))
      : '',
    open ? actions(run).map(actionForm) : '',
  );
}

export async function renderPerson(main: HTMLElement, route: Route): Promise<void> {
  const externalID = decodeURIComponent(route.path.slice('/person/'.length));
  const body = loadingRegion();
  const refresh = h('button', { type: 'button' }, 'Refresh');
  const nameLine = h('p', { class: 'person-name' });
  show(
    main,
    h('p', {}, h('a', { href: '#/people' }, '← People')),
    pageTitle(externalID),
    nameLine,
    refresh,
    body,
  );
  const load = async () => {
    let person: PersonState;
    try {
      person = await get<PersonState>(`/v1/people/${segment(externalID)}`);
    } catch (error) {
      show(
        body,
        status(
          error instanceof ApiFailure && error.status === 404
            ? `No onboarding or offboarding run for "${externalID}".`
            : error instanceof Error
              ? error.message
              : String(error),
          'error',
        ),
      );
      return;
    }
    show(nameLine, person.name ?? '');
    // An action's answer stays next to its button; Refresh redraws the timelines.
    show(
      body,
      h(
        'div',
        { class: 'runs' },
        runCard('Onboarding', person.onboarding, onboardingTimeline, (run) =>
          onboardingActions(externalID, run),
        ),
        runCard('Offboarding', person.offboarding, offboardingTimeline, (run) =>
          offboardingActions(externalID, run),
        ),
      ),
    );
  };
  refresh.addEventListener('click', () => void load());
  await load();
}

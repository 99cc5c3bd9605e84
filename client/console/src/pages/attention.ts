/**
 * Needs attention: the runs parked in stage `needs-attention` (a refusal a person can fix, issue
 * #14), from `GET /v1/runs?stage=needs-attention`, each with its reason (read from the person's
 * state) and what can be done right here: correct an onboarding's fields and retry, or retry
 * unchanged. The support key also retries every waiting run at once, by code, with a dry run first.
 */
import { get, post, segment } from '../api';
import { attentionCodeLabels, correctionAction, reasonText, retryAction } from '../attention';
import { h, loadingRegion, pageTitle, show, status, when } from '../dom';
import { isAdmin } from '../session';
import {
  type BulkRetryResult,
  type LifecycleEventRetryResult,
  type ParkedLifecycleEvents,
  type PersonState,
  type RunList,
  type RunSummary,
} from '../types';
import { type ActionSpec, actionForm, failureText } from './action-form';

function bulkRetryAction(reload: () => void): ActionSpec {
  return {
    id: 'retry-all',
    title: 'Retry every waiting run',
    button: 'Retry all',
    fields: [
      {
        name: 'code',
        label: 'Waiting on',
        type: 'select',
        options: [
          ['', 'any reason'],
          ...Object.entries(attentionCodeLabels).map(([code, label]): [string, string] => [
            code,
            `${code}: ${label}`,
          ]),
        ],
      },
      { name: 'dryRun', label: 'Dry run: list them, retry nothing', type: 'checkbox' },
    ],
    run: async (values) => {
      const answer = await post<BulkRetryResult>('/v1/retries', {
        ...(values.code && { code: values.code }),
        dryRun: values.dryRun !== 'no',
      });
      const s = answer.body;
      if (!s.dryRun) setTimeout(reload, 500);
      return s.dryRun
        ? `Dry run: would retry ${s.found} run(s)${s.found ? `: ${s.runs.map((run) => run.externalID).join(', ')}` : ''}.`
        : `Retried ${s.found}: resolved ${s.resolved}, still waiting ${s.stillWaiting}, no longer waiting ${s.notWaiting}, failed ${s.failed}.`;
    },
  };
}

function runCard(
  run: RunSummary,
  index: number,
  person: PersonState | undefined,
  reload: () => void,
): HTMLElement {
  const externalID = run.externalID ?? run.workflowId;
  const own = run.lifecycle === 'offboarding' ? person?.offboarding : person?.onboarding;
  const reason = own?.status?.attention;
  const done = (spec: ActionSpec): ActionSpec => ({
    ...spec,
    run: async (values) => {
      const text = await spec.run(values);
      // A resolved run leaves the queue: redraw it a moment later, keeping the answer meanwhile.
      if (/resolved/.test(text)) setTimeout(reload, 2_500);
      return text;
    },
  });
  return h(
    'section',
    { class: 'card attention', 'aria-label': `${run.lifecycle} of ${externalID}` },
    h(
      'h2',
      {},
      h('a', { href: `#/person/${encodeURIComponent(externalID)}` }, externalID),
      person?.name ? ` · ${person.name}` : '',
      ` · ${run.lifecycle}`,
    ),
    reason
      ? h('p', { class: 'reason' }, reasonText(reason), ' · waiting since ', when(reason.since))
      : h(
          'p',
          { class: 'help' },
          person ? 'No reason reported (it may have moved on).' : 'Reading the reason…',
        ),
    h(
      'div',
      { class: 'runs' },
      run.lifecycle === 'onboarding' && reason?.code !== 'auth'
        ? actionForm(done(correctionAction(externalID, reason, `correct-${index}`)))
        : '',
      actionForm(done(retryAction(externalID, `retry-${index}`))),
    ),
  );
}

/**
 * Lifecycle event deliveries that kept failing past LIFECYCLE_EVENT_MAX_RETRY_HOURS (docs/events.md):
 * each holds that person's later events for its subscriber until it is retried here.
 */
async function parkedEventsSection(reload: () => void): Promise<HTMLElement | string> {
  let parked: ParkedLifecycleEvents['parked'];
  try {
    parked = (await get<ParkedLifecycleEvents>('/v1/lifecycle-events/parked')).parked;
  } catch (error) {
    return status(`Lifecycle event deliveries: ${failureText(error)}`, 'error');
  }
  if (parked.length === 0) return '';
  return h(
    'section',
    { class: 'card attention', 'aria-label': 'Parked lifecycle event deliveries' },
    h('h2', {}, `Lifecycle event deliveries (${parked.length} parked)`),
    h(
      'ul',
      {},
      parked.map((event) =>
        h(
          'li',
          {},
          h('a', { href: `#/person/${encodeURIComponent(event.externalID)}` }, event.externalID),
          ` · ${event.lifecycle}.${event.milestone} #${event.sequence} to ${event.subscriberId}`,
          event.failure ? ` · ${event.failure}` : '',
        ),
      ),
    ),
    actionForm({
      id: 'retry-events',
      title: 'Deliver them again, in order per person',
      button: 'Retry deliveries',
      run: async () => {
        const answer = await post<LifecycleEventRetryResult>('/v1/lifecycle-events/retry', {});
        setTimeout(reload, 2_500);
        return `${answer.body.retried} delivery(ies) back for delivery.`;
      },
    }),
  );
}

export async function renderAttention(main: HTMLElement): Promise<void> {
  const body = loadingRegion();
  show(
    main,
    pageTitle('Needs attention'),
    h(
      'p',
      { class: 'help' },
      'Runs that Staffbase refused for a reason a person can fix wait here instead of failing: a user name ' +
        'or email that belongs to another account, a group or locale Staffbase does not know, or a Staffbase ' +
        'token that was refused. Correct the fields and retry, or retry unchanged once the cause is fixed.',
    ),
    isAdmin() ? h('section', { class: 'card' }, actionForm(bulkRetryAction(() => void load()))) : '',
    body,
  );
  const load = async (): Promise<void> => {
    if (!main.isConnected) return;
    let list: RunList;
    try {
      list = await get<RunList>('/v1/runs?stage=needs-attention&limit=1000');
    } catch (error) {
      show(body, status(failureText(error), 'error'));
      return;
    }
    const events = await parkedEventsSection(() => void load());
    if (list.runs.length === 0) {
      show(body, events, events === '' ? status('Nothing needs attention.') : '');
      return;
    }
    const people = await Promise.all(
      list.runs.map((run) =>
        run.externalID
          ? get<PersonState>(`/v1/people/${segment(run.externalID)}`).catch(() => undefined)
          : Promise.resolve(undefined),
      ),
    );
    show(
      body,
      h(
        'p',
        { class: 'message info', role: 'status' },
        list.count === 1 ? '1 run needs attention' : `${list.count} runs need attention`,
      ),
      list.runs.map((run, index) => runCard(run, index, people[index], () => void load())),
      events,
    );
  };
  await load();
}

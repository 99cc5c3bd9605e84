/**
 * New onboarding / offboarding / leave: the request schemas of lifecycle/ (bundled into the console) check
 * the form before anything is sent, so the browser says exactly what the API would; the API checks
 * again and its problems land next to the same fields.
 */
import { type z } from 'zod';
import { leaveRequestSchema } from '../../../../lifecycle/leave-request';
import { offboardingRequestSchema } from '../../../../lifecycle/offboarding-request';
import { onboardingRequestSchema } from '../../../../lifecycle/onboarding-request';
import { fieldProblems } from '../../../../lifecycle/validation';
import { ApiFailure, type FieldProblem, post, segment } from '../api';
import { h, show, status } from '../dom';
import { type Lifecycle } from '../types';
import { failureText } from './action-form';

interface FormField {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'date' | 'number';
  required?: boolean;
  help?: string;
  /** Text → the request's value (default: the trimmed text). */
  read?: (text: string) => unknown;
}

const list = (text: string) =>
  text
    .split(/[,|]/)
    .map((part) => part.trim())
    .filter(Boolean);

const onboardingFields: FormField[] = [
  { name: 'externalID', label: 'externalID (employee number)', required: true },
  { name: 'userName', label: 'User name', required: true },
  { name: 'firstName', label: 'First name', required: true },
  { name: 'lastName', label: 'Last name', required: true },
  { name: 'email', label: 'Email', type: 'email', required: true },
  {
    name: 'startDate',
    label: 'Start date',
    type: 'date',
    help: 'Empty or past: the invitation goes out now.',
  },
  { name: 'locale', label: 'Locale', help: 'e.g. en_US or de' },
  { name: 'groupIDs', label: 'Group IDs', help: 'Separated by commas.', read: list },
  { name: 'contactEmail', label: 'Manager or HR contact email', type: 'email' },
];

const offboardingFields: FormField[] = [
  { name: 'externalID', label: 'externalID (employee number)', required: true },
  { name: 'lastWorkingDay', label: 'Last working day', type: 'date', help: 'Empty or past: at once.' },
  {
    name: 'retentionDays',
    label: 'Retention days',
    type: 'number',
    help:
      'Days between deactivation and deletion; empty: the configured default. Fewer days than the ' +
      'default (or an earlier delete-at) need the support key.',
    read: (text) => (/^-?\d+$/.test(text) ? Number(text) : text),
  },
  { name: 'deleteAt', label: 'Delete at', help: 'Instead of retention days: e.g. 2027-01-31T17:00:00Z' },
  { name: 'reason', label: 'Reason', help: 'A case number rather than names.' },
];

const leaveFields: FormField[] = [
  { name: 'externalID', label: 'externalID (employee number)', required: true },
  {
    name: 'from',
    label: 'First day of leave',
    type: 'date',
    required: true,
    help: 'The account is deactivated at the end of the working day before; today or earlier: at once.',
  },
  {
    name: 'until',
    label: 'First day back',
    type: 'date',
    help: 'Not the last day of leave: the account is reactivated when this day begins. Empty: until ended.',
  },
  { name: 'reason', label: 'Reason', help: 'e.g. parental, sabbatical — a case number rather than names.' },
];

/** What the form starts: a lifecycle (POST /v1/onboardings, /v1/offboardings) or a leave (/v1/leaves). */
type FormKind = Lifecycle | 'leave';

const titles: Record<FormKind, string> = {
  onboarding: 'New onboarding',
  offboarding: 'New offboarding',
  leave: 'New leave',
};

function renderForm(main: HTMLElement, lifecycle: FormKind, fields: FormField[], schema: z.ZodType): void {
  const inputs = new Map<string, HTMLInputElement>();
  const errors = new Map<string, HTMLElement>();
  const answer = h('div', { 'aria-live': 'polite' });
  const rerun = h('input', { id: 'rerun', type: 'checkbox' });
  const form = h(
    'form',
    { class: 'card', novalidate: true, 'aria-labelledby': 'form-title' },
    fields.map((field) => {
      const id = `f-${field.name}`;
      const input = h('input', {
        id,
        name: field.name,
        type: field.type ?? 'text',
        required: field.required,
        'aria-describedby': `${id}-error${field.help ? ` ${id}-help` : ''}`,
      });
      const error = h('p', { id: `${id}-error`, class: 'field-error' });
      inputs.set(field.name, input);
      errors.set(field.name, error);
      return h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: id },
          field.label,
          field.required ? h('span', { 'aria-hidden': 'true' }, ' *') : '',
        ),
        input,
        field.help ? h('p', { id: `${id}-help`, class: 'help' }, field.help) : '',
        error,
      );
    }),
    // A leave has no rerun: a later leave of the person starts once the earlier one closed.
    lifecycle === 'leave'
      ? ''
      : h(
          'div',
          { class: 'check' },
          rerun,
          h('label', { for: 'rerun' }, 'Start again even if an earlier run completed (rehire)'),
        ),
    h('button', { type: 'submit' }, `Start ${lifecycle}`),
    answer,
  );

  const showProblems = (problems: FieldProblem[]): void => {
    for (const [name, error] of errors) {
      const mine = problems.filter((p) => p.field === name || p.field.startsWith(`${name}.`));
      error.textContent = mine.map((p) => p.message).join('; ');
      inputs.get(name)?.setAttribute('aria-invalid', String(mine.length > 0));
    }
    const elsewhere = problems.filter((p) => !errors.has(p.field.split('.')[0] ?? ''));
    show(
      answer,
      problems.length === 0
        ? ''
        : status(
            `${problems.length} field${problems.length === 1 ? '' : 's'} to fix` +
              (elsewhere.length ? `: ${elsewhere.map((p) => `${p.field}: ${p.message}`).join('; ')}` : '.'),
            'error',
          ),
    );
    const first = fields.find((field) => problems.some((p) => p.field.split('.')[0] === field.name));
    if (first) inputs.get(first.name)?.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const request: Record<string, unknown> = {};
    for (const field of fields) {
      const text = inputs.get(field.name)?.value.trim() ?? '';
      if (text !== '') request[field.name] = field.read ? field.read(text) : text;
    }
    const checked = schema.safeParse(request);
    if (!checked.success) {
      showProblems(fieldProblems(checked.error));
      return;
    }
    showProblems([]);
    show(answer, status('Starting…'));
    post<{ status: string; externalID: string }>(
      `/v1/${lifecycle}s${rerun.checked && lifecycle !== 'leave' ? '?rerun=true' : ''}`,
      checked.data,
    ).then(
      ({ body }) => {
        const verb = body.status === 'started' ? 'Started' : 'Already running, nothing new started';
        show(
          answer,
          h(
            'p',
            { class: 'message ok', role: 'status' },
            `${verb}: the ${lifecycle} of ${body.externalID}. `,
            h('a', { href: `#/person/${segment(body.externalID)}` }, 'Follow it'),
          ),
        );
      },
      (error: unknown) => {
        if (error instanceof ApiFailure && error.problems.length > 0) showProblems(error.problems);
        else show(answer, status(failureText(error), 'error'));
      },
    );
  });

  show(
    main,
    h('h1', { id: 'form-title', tabindex: '-1' }, titles[lifecycle]),
    h(
      'p',
      { class: 'help' },
      'Fields marked * are required. The form checks every field by the same rules as the API.',
    ),
    form,
  );
}

export function renderOnboardingForm(main: HTMLElement): void {
  renderForm(main, 'onboarding', onboardingFields, onboardingRequestSchema);
}

export function renderOffboardingForm(main: HTMLElement): void {
  renderForm(main, 'offboarding', offboardingFields, offboardingRequestSchema);
}

export function renderLeaveForm(main: HTMLElement): void {
  renderForm(main, 'leave', leaveFields, leaveRequestSchema);
}

/**
 * One action on a run as a small form: labelled inputs, a button, and the answer right below it —
 * the run's new state, or the API's reason for refusing — in a live region.
 */
import { ApiFailure } from '../api';
import { h, show, status } from '../dom';

export interface ActionField {
  name: string;
  label: string;
  /** A checkbox reads as `yes` or `no`, and starts ticked unless `unchecked`. */
  type?: 'text' | 'email' | 'date' | 'number' | 'checkbox' | 'select';
  required?: boolean;
  help?: string;
  /** For `select`: [value, label] pairs; the first is chosen. */
  options?: [string, string][];
  /** For a checkbox: starts unticked. */
  unchecked?: boolean;
  /** Starts with this value. */
  value?: string;
}

export interface ActionSpec {
  id: string;
  title: string;
  button: string;
  fields?: ActionField[];
  /** Marks the irreversible ones. */
  danger?: boolean;
  /** Typed confirmation: the button works only when this text is typed. */
  confirmText?: string;
  /** Does the action; resolves with what the page should say about the run now. */
  run(values: Record<string, string>): Promise<string>;
}

/** The refusal in HR's words: the API's message, its reason code, and every field problem. */
export function failureText(error: unknown): string {
  if (!(error instanceof ApiFailure)) return error instanceof Error ? error.message : String(error);
  const problems = error.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return [`Refused (${error.status}${error.reason ? `, ${error.reason}` : ''}): ${error.message}`, problems]
    .filter(Boolean)
    .join(' — ');
}

export function actionForm(spec: ActionSpec): HTMLElement {
  const answer = h('div', { 'aria-live': 'polite', class: 'answer' });
  const inputs = (spec.fields ?? []).map((field) => {
    const id = `${spec.id}-${field.name}`;
    const checkbox = field.type === 'checkbox';
    const described = field.help ? { 'aria-describedby': `${id}-help` } : {};
    const input: HTMLInputElement | HTMLSelectElement =
      field.type === 'select'
        ? h(
            'select',
            { id, name: field.name, ...described },
            (field.options ?? []).map(([value, text]) => h('option', { value }, text)),
          )
        : h('input', {
            id,
            name: field.name,
            type: field.type ?? 'text',
            required: field.required,
            checked: checkbox && !field.unchecked,
            value: field.value,
            ...described,
          });
    const label = h('label', { for: id }, field.label);
    return {
      field,
      input,
      element: h(
        'div',
        { class: checkbox ? 'check' : 'field' },
        checkbox ? [input, label] : [label, input],
        field.help ? h('p', { id: `${id}-help`, class: 'help' }, field.help) : '',
      ),
    };
  });
  const confirmId = `${spec.id}-confirm`;
  const confirm = spec.confirmText
    ? h('input', { id: confirmId, name: 'confirm', type: 'text', autocomplete: 'off', required: true })
    : undefined;
  const button = h('button', { type: 'submit', class: spec.danger ? 'danger' : undefined }, spec.button);
  const form = h(
    'form',
    { class: 'action', 'aria-labelledby': `${spec.id}-title` },
    h('h3', { id: `${spec.id}-title` }, spec.title),
    inputs.map((entry) => entry.element),
    confirm
      ? h(
          'div',
          { class: 'field' },
          h('label', { for: confirmId }, `Type ${spec.confirmText} to confirm`),
          confirm,
        )
      : '',
    button,
    answer,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (confirm && confirm.value.trim() !== spec.confirmText) {
      show(answer, status(`Type ${spec.confirmText} exactly to confirm.`, 'error'));
      confirm.focus();
      return;
    }
    const values = Object.fromEntries(
      inputs.map(({ field, input }) => [
        field.name,
        input instanceof HTMLInputElement && field.type === 'checkbox'
          ? input.checked
            ? 'yes'
            : 'no'
          : input.value.trim(),
      ]),
    );
    button.disabled = true;
    show(answer, status('Sending…'));
    spec
      .run(values)
      .then(
        (text) => show(answer, status(text, 'ok')),
        (error: unknown) => show(answer, status(failureText(error), 'error')),
      )
      .finally(() => (button.disabled = false));
  });
  return form;
}

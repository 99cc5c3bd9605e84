/**
 * The key, entered once per browser session. In dev mode (the API runs without a key, loopback only)
 * the console signs in by itself. Which key it is decides which actions are shown: the support key
 * may read the bulk runs, the HR systems' key gets 403 there.
 */
import { ApiFailure, call } from './api';
import { h, show, status } from './dom';
import { type Role, signIn } from './session';

/** The role of a key, by asking the API; undefined when the key is not valid. */
async function roleOf(key: string | null): Promise<Role | undefined> {
  try {
    await call('GET', '/v1/runs?limit=1', { key });
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) return undefined;
    throw error;
  }
  try {
    await call('GET', '/v1/bulk?limit=1', { key });
    return 'admin';
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403) return 'lifecycle';
    throw error;
  }
}

/** Signs in without a key when the API is in dev mode; true when it did. */
export async function trySignInWithoutKey(): Promise<boolean> {
  const found = await roleOf(null).catch(() => undefined);
  if (!found) return false;
  signIn(undefined, found);
  return true;
}

export function renderSignIn(root: HTMLElement, done: () => void): void {
  const feedback = h('div', { 'aria-live': 'polite' });
  const input = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'api-key-help',
  });
  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: '-1' }, 'Sign in to the HR console'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h(
      'p',
      { id: 'api-key-help', class: 'help' },
      'LIFECYCLE_API_KEY for HR work, LIFECYCLE_ADMIN_API_KEY for support and bulk runs. ' +
        'The key stays in this tab only and is forgotten when you close it.',
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    feedback,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    show(feedback, status('Checking the key…'));
    roleOf(key).then(
      (found) => {
        if (!found) {
          show(feedback, status('The HR API does not accept this key.', 'error'));
          input.focus();
          return;
        }
        signIn(key, found);
        done();
      },
      (error: unknown) =>
        show(feedback, status(error instanceof Error ? error.message : String(error), 'error')),
    );
  });
  show(root, form);
  input.focus();
}

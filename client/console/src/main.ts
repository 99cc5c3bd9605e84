/**
 * The HR console: a hash router over one small module per page. Hash routes need nothing from the
 * server but `/` and the assets, and keep the browser's back button working.
 */
import { loadConfig } from './config';
import { h, show } from './dom';
import { renderAttention } from './pages/attention';
import { renderBulk } from './pages/bulk';
import { renderImport } from './pages/import';
import { renderLeaveForm, renderOffboardingForm, renderOnboardingForm } from './pages/new-run';
import { renderPeople } from './pages/people';
import { renderPerson } from './pages/person';
import { renderReconcile } from './pages/reconcile';
import { renderReconcilePlan } from './pages/reconcile-plan';
import { renderReports } from './pages/reports';
import { apiKey, isAdmin, role, signOut } from './session';
import { renderSignIn, trySignInWithoutKey } from './sign-in';

export interface Route {
  path: string;
  params: URLSearchParams;
}

export type Page = (main: HTMLElement, route: Route) => void | Promise<void>;

/** `#/person/emp-1?x=1` → `{ path: '/person/emp-1', params }`. */
function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '') || '/people';
  const [path = '/people', query = ''] = hash.split('?');
  return { path, params: new URLSearchParams(query) };
}

const nav: { href: string; label: string; admin?: boolean }[] = [
  { href: '#/people', label: 'People' },
  { href: '#/new/onboarding', label: 'New onboarding' },
  { href: '#/new/offboarding', label: 'New offboarding' },
  { href: '#/new/leave', label: 'New leave' },
  { href: '#/import', label: 'CSV/XLSX import' },
  { href: '#/attention', label: 'Needs attention' },
  { href: '#/reports', label: 'Reports' },
  { href: '#/reconcile', label: 'Reconciliation' },
  { href: '#/bulk', label: 'Bulk runs', admin: true },
];

function pageFor(path: string): Page {
  if (path.startsWith('/person/')) return renderPerson;
  if (path.startsWith('/reconcile/')) return renderReconcilePlan;
  switch (path) {
    case '/new/onboarding':
      return renderOnboardingForm;
    case '/new/offboarding':
      return renderOffboardingForm;
    case '/new/leave':
      return renderLeaveForm;
    case '/import':
      return renderImport;
    case '/attention':
      return renderAttention;
    case '/bulk':
      return renderBulk;
    case '/reports':
      return renderReports;
    case '/reconcile':
      return renderReconcile;
    default:
      return renderPeople;
  }
}

function header(): HTMLElement {
  const current = currentRoute().path;
  const links = nav
    .filter((item) => !item.admin || isAdmin())
    .map((item) =>
      h(
        'li',
        {},
        h(
          'a',
          { href: item.href, ...(item.href.slice(1) === current && { 'aria-current': 'page' }) },
          item.label,
        ),
      ),
    );
  const signOutButton = h('button', { type: 'button', class: 'link' }, 'Sign out');
  signOutButton.addEventListener('click', () => {
    signOut();
    location.hash = '#/people';
    location.reload();
  });
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h('span', { class: 'brand' }, 'Staffbase lifecycle · HR console'),
    h('nav', { 'aria-label': 'Pages' }, h('ul', {}, links)),
    h(
      'span',
      { class: 'who' },
      apiKey() === undefined ? 'dev mode, no key' : role() === 'admin' ? 'support key' : 'HR key',
      ' · ',
      signOutButton,
    ),
  );
}

async function render(app: HTMLElement): Promise<void> {
  if (!role() && !(await trySignInWithoutKey())) {
    renderSignIn(app, () => void render(app));
    return;
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  show(app, header(), main);
  const route = currentRoute();
  await pageFor(route.path)(main, route);
  // Screen readers and keyboards start at the new page's heading, as after a full page load.
  main.querySelector('h1')?.focus();
}

const app = document.getElementById('app') as HTMLElement;
window.addEventListener('hashchange', () => void render(app));
void loadConfig().then(() => render(app));

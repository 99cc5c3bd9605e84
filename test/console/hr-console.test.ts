/**
 * The HR console in a real browser (Debian's Chromium, driven by playwright-core) against `npm start`
 * with both keys set: find one of 2,001 people seeded into the stack's store by last name (accents
 * ignored), with the exact total and counts, and page through them (GET /v1/people); sign in with the
 * HR key (admin-only pages hidden), onboard through the form
 * (a field error first, next to its field), see the person awaiting activation on their page,
 * correct an onboarding parked in needs-attention by a taken userName inline,
 * activate in the simulator and report it from the person page, see the outcome; upload a CSV and
 * read the dry run before starting it; offboard and place a legal hold (no delete-now for the HR
 * key); sign in with the support key: delete-now refused under the hold, the bulk runs, a population
 * logout above its threshold confirmed by the support key. Names show on the person page (the API
 * decrypts them), and the person page links the run in the Temporal UI. Every page
 * is saved as a screenshot under test-results/console/ (not committed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type NpmStart, startNpmStart } from '../helpers/npm-start';
import { accentedPerson, expectedCounts, seedPeople } from '../helpers/people-index';
import { openStore } from '../../store';

const root = path.resolve(__dirname, '..', '..');
const screenshots = path.join(root, 'test-results', 'console');
const HR_KEY = `hr-key-${randomBytes(16).toString('hex')}`;
const SUPPORT_KEY = `support-key-${randomBytes(16).toString('hex')}`;
const suffix = randomBytes(3).toString('hex');
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), or CHROMIUM_PATH. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error('No Chromium found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH');
  }
}

/** Every form control has a label and every button a name: checked on each page as it is saved. */
async function assertLabelled(page: Page, name: string): Promise<void> {
  // Runs in the page, as text: the test's own types have no DOM.
  const unlabelled = await page.evaluate<string>(`[
    ...[...document.querySelectorAll('input, select, textarea')]
      .filter((control) => control.labels.length === 0 && !control.getAttribute('aria-label'))
      .map((control) => control.tagName.toLowerCase() + '#' + control.id),
    ...[...document.querySelectorAll('button')]
      .filter((button) => button.textContent.trim() === '')
      .map(() => 'button without text'),
  ].join(', ')`);
  assert.equal(unlabelled, '', `${name}: unlabelled controls`);
}

async function snap(page: Page, name: string): Promise<void> {
  await assertLabelled(page, name);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/** By keyboard: the key field has the focus when the page opens; Enter submits. */
async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API key').waitFor();
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
}

describe('HR console (Chromium against npm start)', { timeout: 240_000 }, () => {
  let stack: NpmStart;
  let browser: Browser;
  let page: Page;
  let consoleUrl: string;

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startNpmStart({ LIFECYCLE_API_KEY: HR_KEY, LIFECYCLE_ADMIN_API_KEY: SUPPORT_KEY });
    consoleUrl = `${stack.apiUrl}/`;
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    if (stack) {
      const code = await stack.stop();
      stack.kill();
      assert.equal(code, 0, stack.output().slice(-3000));
    }
  });

  it('npm start prints the console URL; the console is served without a key, its data only with one', async () => {
    assert.match(stack.output(), new RegExp(`HR console +${consoleUrl.replace(/\./g, '\\.')}`));
    const html = await fetch(consoleUrl);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal((await fetch(`${stack.apiUrl}/v1/runs`)).status, 401);
  });

  it('finds anyone among 2,001 people: by last name without its accents, exact total and counts, page 2', async () => {
    // Seeded through the repository's write path into the stack's own store, before any run starts here.
    const store = await openStore({ kind: 'sqlite', file: stack.storeFile });
    let people;
    try {
      people = await seedPeople(store, 'seed', 2_000, [accentedPerson(`zk-${suffix}`)]);
    } finally {
      await store.close();
    }
    const own = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await signIn(own, consoleUrl, HR_KEY);
      await own.getByText('2,001 people match').waitFor();
      await own.getByRole('caption').getByText('1–25 of 2,001 people').waitFor();
      const labels: Record<string, string> = {
        scheduled: 'Scheduled',
        'awaiting-activation': 'Awaiting activation',
        'needs-attention': 'Needs attention',
        completed: 'Completed',
        retention: 'Retention (waiting to delete)',
        'on-hold': 'On legal hold',
      };
      const expected = Object.entries(expectedCounts(people)).flatMap(([lifecycle, stages]) =>
        Object.entries(stages).map(
          ([stage, count]) =>
            `${count.toLocaleString('en')} ${lifecycle === 'onboarding' ? 'Onboarding' : 'Offboarding'}: ${labels[stage] ?? stage}`,
        ),
      );
      const shown = await own
        .getByRole('list', { name: 'People per lifecycle and stage' })
        .getByRole('listitem')
        .allTextContents();
      assert.deepEqual([...shown].sort(), [...expected].sort());
      await snap(own, '04-people-2001');

      // By last name, typed without its accents and in capitals.
      await own.getByLabel('Search externalID, name or email').fill('KOVACEVIC');
      await own.getByRole('button', { name: 'Apply' }).click();
      await own.getByText('1 person matches').waitFor();
      const row = own.getByRole('row', { name: new RegExp(`zk-${suffix}`) });
      await row.getByRole('cell', { name: 'Zoë Kovačević' }).waitFor();
      assert.equal(
        await row.getByRole('link', { name: `zk-${suffix}` }).getAttribute('href'),
        `#/person/zk-${suffix}`,
      );
      await snap(own, '04b-people-found-by-last-name');

      // Page 2 of everyone, and back.
      await own.getByLabel('Search externalID, name or email').fill('');
      await own.getByRole('button', { name: 'Apply' }).click();
      await own.getByRole('link', { name: 'seed-00024' }).waitFor();
      await own.getByRole('link', { name: 'Next →' }).click();
      await own.getByText('26–50 of 2,001 people').waitFor();
      await own.getByText('Page 2 of 81').waitFor();
      await own.getByRole('link', { name: 'seed-00025' }).waitFor();
      assert.equal(await own.getByRole('link', { name: 'seed-00024' }).count(), 0);
      await snap(own, '04c-people-page-2');
      await own.getByRole('link', { name: '← Previous' }).click();
      await own.getByRole('link', { name: 'seed-00000' }).waitFor();

      // A count is a filter; the date range is inclusive, over start dates and last working days.
      const retention = people.filter((p) => p.lifecycle === 'offboarding' && p.stage === 'retention');
      await own.getByRole('link', { name: /Offboarding: Retention/ }).click();
      await own.getByText(`${retention.length} people match`).waitFor();
      await own.getByLabel('Stage', { exact: true }).selectOption('');
      await own.getByLabel('Lifecycle', { exact: true }).selectOption('');
      await own.getByLabel('Start or leaving date from').fill('2027-01-03');
      await own.getByLabel('to', { exact: true }).fill('2027-01-04');
      await own.getByRole('button', { name: 'Apply' }).click();
      const dated = people.filter((p) => {
        const day = p.startDate ?? p.lastWorkingDay ?? '';
        return day >= '2027-01-03' && day <= '2027-01-04';
      });
      await own.getByText(`${dated.length} people match`).waitFor();
      await snap(own, '04d-people-by-date');
    } finally {
      await own.close();
    }
  });

  it('onboards through the form, shows the person awaiting activation, then activated', async () => {
    await signIn(page, consoleUrl, HR_KEY);
    assert.equal(
      await page.getByRole('link', { name: 'Bulk runs' }).count(),
      0,
      'admin page shown to the HR key',
    );
    await snap(page, '01-people');

    const id = `console-${suffix}`;
    await page.getByRole('link', { name: 'New onboarding' }).click();
    await page.getByLabel('externalID (employee number)').fill(id);
    await page.getByLabel('User name').fill(`ada.${suffix}`);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel(/^Email/).fill('not-an-email');
    await page.getByRole('button', { name: 'Start onboarding' }).click();
    // The shared schema's message, next to the field, before anything is sent.
    const emailError = page.locator('#f-email-error');
    await emailError.waitFor();
    assert.equal(await emailError.textContent(), 'must be an email address');
    assert.equal(await page.getByLabel(/^Email/).getAttribute('aria-invalid'), 'true');
    await snap(page, '02-new-onboarding-field-error');

    await page.getByLabel(/^Email/).fill(`ada.${suffix}@example.com`);
    await page.getByRole('button', { name: 'Start onboarding' }).click();
    await page.getByText(`Started: the onboarding of ${id}`).waitFor();
    await page.getByRole('link', { name: 'Follow it' }).click();
    await page.getByRole('heading', { level: 1, name: id }).waitFor();

    // The run creates the account at once (no start date) and waits for the activation.
    for (let attempt = 0; attempt < 40; attempt += 1) {
      if ((await page.getByText('Now: Awaiting activation').count()) > 0) break;
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    await page.getByText('Now: Awaiting activation').waitFor();
    await page.getByText('Account created, invitation sent').waitFor();
    // The name, decrypted by the HR API (it holds the payload key), and the engineers' link.
    await page.locator('.person-name', { hasText: 'Ada Lovelace' }).waitFor();
    const uiLink = await page
      .getByRole('link', { name: 'Open in the Temporal UI' })
      .first()
      .getAttribute('href');
    assert.match(
      uiLink ?? '',
      new RegExp(`^${stack.uiUrl}/namespaces/default/workflows/onboarding-${id}/[0-9a-f-]+/history$`),
    );
    await snap(page, '03-person-awaiting-activation');

    // The new hire accepts the invitation in the simulator; HR reports it from the person page.
    const activated = await fetch(
      `${stack.simulatorUrl}/_simulator/users/${encodeURIComponent(id)}/activate`,
      {
        method: 'POST',
      },
    );
    assert.ok(activated.status < 300, `simulator answered ${activated.status}`);
    await page.getByRole('button', { name: 'Mark as activated' }).click();
    await page.getByText(/Activated: accepted by the run\. Onboarding now/).waitFor({ timeout: 20_000 });
    for (let attempt = 0; attempt < 40; attempt += 1) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      if ((await page.getByText(/^Activated \(noticed by/).count()) > 0) break;
      await page.waitForTimeout(500);
    }
    await page.getByText(/^Activated \(noticed by signal\)/).waitFor();
    await snap(page, '05-person-activated');
  });

  it('offboards through the form; a legal hold answers with the new state; no delete-now for the HR key', async () => {
    const id = `console-${suffix}`;
    await page.getByRole('link', { name: 'New offboarding' }).click();
    await page.getByLabel('externalID (employee number)').fill(id);
    await page.getByLabel('Last working day').fill(inDays(45));
    // Sooner than the policy's retention is the support key's to ask: the form shows the API's refusal.
    await page.getByLabel('Retention days').fill('0');
    await page.getByRole('button', { name: 'Start offboarding' }).click();
    await page.getByText(/Refused \(403\).*rule early-deletion-needs-admin-key/).waitFor();
    await page.getByLabel('Retention days').fill('');
    await page.getByRole('button', { name: 'Start offboarding' }).click();
    await page.getByText(`Started: the offboarding of ${id}`).waitFor();
    await snap(page, '09-new-offboarding');
    await page.getByRole('link', { name: 'Follow it' }).click();
    await page.getByText('Now: Scheduled').waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Delete now' }).count(),
      0,
      'delete-now shown to the HR key',
    );
    await page.getByLabel('Reason (case number)').fill('case-17');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page
      .getByText('Legal hold placed. Offboarding now: stage Scheduled, legal hold: case-17.')
      .waitFor();
    await snap(page, '10-person-legal-hold');
    // Redrawn with the hold in place: no second hold, and for the HR key no release either.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: 'Place hold' }).waitFor({ state: 'detached' });
    assert.equal(
      await page.getByRole('button', { name: 'Release hold' }).count(),
      0,
      'releasing a hold is the support key’s',
    );
  });

  it('puts a person on leave through the form: a first day back before the first day is refused in the form', async () => {
    const id = `leave-${suffix}`;
    await page.getByRole('link', { name: 'New leave' }).click();
    await page.getByLabel('externalID (employee number)').fill(id);
    await page.getByLabel('First day of leave').fill(inDays(30));
    await page.getByLabel('First day back').fill(inDays(20));
    await page.getByRole('button', { name: 'Start leave' }).click();
    await page.getByText('must be a day after from (the first day back)').waitFor();
    assert.equal(await page.getByText(`Started: the leave of ${id}`).count(), 0, 'nothing sent');
    await page.getByLabel('First day back').fill(inDays(60));
    await page.getByRole('button', { name: 'Start leave' }).click();
    await page.getByText(`Started: the leave of ${id}`).waitFor();
    await snap(page, '09b-new-leave');
  });

  it('uploads a CSV, shows the dry run before anything starts, then starts the valid rows', async () => {
    const file = path.join(stack.dataDir, 'new-hires.csv');
    writeFileSync(
      file,
      [
        'Employee ID;User Name;First Name;Last Name;Work Email;Hire Date',
        `csv1-${suffix};grace.${suffix};Grace;Hopper;grace.${suffix}@example.com;01.02.2027`,
        `csv2-${suffix};alan.${suffix};Alan;Turing;alan.${suffix}@example.com;2027-02-15`,
        `csv3-${suffix};bad.${suffix};Bad;Row;not-an-email;2027-02-15`,
      ].join('\n'),
    );
    await page.getByRole('link', { name: 'CSV/XLSX import' }).click();
    await page.getByLabel('CSV or Excel (.xlsx) file').setInputFiles(file);
    await page.getByLabel('Dates in the file').selectOption('DD.MM.YYYY');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: 'Dry run: nothing has started yet' }).waitFor();
    await page
      .getByText('dry run: would start 2, already running 0, already completed 0, rejected 1')
      .waitFor();
    const mapping = page.getByRole('table', { name: 'How each column was read' });
    assert.match((await mapping.textContent()) ?? '', /Work Email\s*email\s*alias/);
    const rows = page.getByRole('table', { name: 'Rows (3)' });
    assert.match((await rows.textContent()) ?? '', /csv3-[0-9a-f]+rejectedemail: must be an email address/);
    await snap(page, '06-import-dry-run');
    // Nothing started during the dry run.
    const before = await fetch(`${stack.apiUrl}/v1/people/csv1-${suffix}`, {
      headers: { authorization: `Bearer ${HR_KEY}` },
    });
    assert.equal(before.status, 404);

    await page.getByRole('button', { name: 'Start 2 onboardings' }).click();
    await page
      .getByText(/^Done: started 2, already running 0, already completed 0, failed 0, rejected 1/)
      .waitFor();
    await page.getByRole('link', { name: 'Download the report (CSV)' }).waitFor();
    await snap(page, '07-import-started');
  });

  it('corrects a run waiting in needs-attention inline: exactly one account, and the queue empties', async () => {
    // Someone else has the userName already: Staffbase answers 409 and the run waits for a fix.
    const id = `attention-${suffix}`;
    const seeded = await fetch(`${stack.simulatorUrl}/_simulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        externalID: `someone-else-${suffix}`,
        userName: `taken.${suffix}`,
        firstName: 'Other',
        lastName: 'Person',
        emails: [{ value: `other.${suffix}@example.com`, primary: true }],
      }),
    });
    assert.equal(seeded.status, 201, await seeded.text());
    const started = await fetch(`${stack.apiUrl}/v1/onboardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HR_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        externalID: id,
        userName: `taken.${suffix}`,
        firstName: 'Grace',
        lastName: 'Hopper',
        email: `grace.${suffix}@example.com`,
      }),
    });
    assert.equal(started.status, 202, await started.text());

    const nav = page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Needs attention' });
    const card = page.getByRole('region', { name: `onboarding of ${id}` });
    for (let attempt = 0; attempt < 60; attempt += 1) {
      await page.getByRole('link', { name: 'People' }).first().click();
      await nav.click();
      await page
        .getByText(/Nothing needs attention\.|runs? needs? attention/)
        .first()
        .waitFor();
      if ((await card.getByText(/User name: Taken by another account/).count()) > 0) break;
      await page.waitForTimeout(1_000);
    }
    await card.getByText(/User name: Taken by another account/).waitFor();
    await card.getByText('Grace Hopper', { exact: false }).first().waitFor();
    await snap(page, '08-needs-attention-queue');

    // A bad value is caught in the browser by the shared schema, before anything is sent.
    await card.getByLabel('New email').fill('not-an-email');
    await card.getByRole('button', { name: 'Correct and retry' }).click();
    await card.getByText(/Not sent: Email: must be an email address/).waitFor();
    await card.getByLabel('New email').fill('');
    await card.getByLabel('New user name').fill(`free.${suffix}`);
    await card.getByRole('button', { name: 'Correct and retry' }).click();
    await card
      .getByText(/Corrected: resolved, the run goes on \(now Awaiting activation\)/)
      .waitFor({ timeout: 60_000 });
    await snap(page, '08b-needs-attention-corrected');

    const users = (await (await fetch(`${stack.simulatorUrl}/_simulator/users`)).json()) as {
      users: { externalID?: string; userName?: string }[];
    };
    const accounts = users.users.filter((user) => user.externalID === id);
    assert.equal(accounts.length, 1, 'exactly one account for the person');
    assert.equal(accounts[0]?.userName, `free.${suffix}`);
    await page.getByText('Nothing needs attention.').waitFor({ timeout: 15_000 });
  });

  it('shows the bulk runs to the support key: a dry-run clean-up with its outcome', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, consoleUrl, SUPPORT_KEY);
    // The support key may delete now, after typing the externalID; the run refuses under the hold.
    const id = `console-${suffix}`;
    await page.goto(`${consoleUrl}#/person/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { level: 1, name: id }).waitFor();
    await page.getByLabel(`Type ${id} to confirm`).fill(id);
    await page.getByRole('button', { name: 'Delete now' }).click();
    await page.getByText(/^Refused \(409, LegalHold\)/).waitFor();
    await snap(page, '12-person-delete-now-refused');
    assert.equal(
      await page.getByRole('button', { name: 'Release hold' }).count(),
      1,
      'the support key may release',
    );
    await page.getByRole('link', { name: 'Bulk runs' }).click();
    await page.getByLabel('Invited more than this many days ago').fill('30');
    await page
      .locator('form[aria-labelledby="cleanup-title"]')
      .getByRole('button', { name: 'Start' })
      .click();
    await page.getByText(/^started: cleanup-pending-accounts/).waitFor();
    await page
      .getByRole('table', { name: /newest first/ })
      .getByText(/cleanup-pending-accounts/)
      .first()
      .waitFor();
    await snap(page, '13-bulk-runs');
  });

  it('a population logout above its threshold waits until the support key confirms it', async () => {
    const department = `bulk-${suffix}`;
    for (const n of [1, 2]) {
      const seeded = await fetch(`${stack.simulatorUrl}/_simulator/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          externalID: `${department}-${n}`,
          userName: `${department}-${n}`,
          firstName: 'Bulk',
          lastName: `User ${n}`,
          emails: [{ value: `${department}-${n}@example.com`, primary: true }],
          status: 'activated',
          profile: { department },
          sessions: 2,
        }),
      });
      assert.equal(seeded.status, 201, await seeded.text());
    }
    const form = page.locator('form[aria-labelledby="logout-title"]');
    await form.getByLabel('User API filter').fill(`profile.department eq "${department}"`);
    await form.getByLabel('Dry run: count and sample, change nothing').uncheck();
    await form.getByLabel('Wait for a confirmation above this many users (logout)').fill('1');
    await form.getByLabel('Reason (case number)').fill('case-17-bulk');
    await form.getByRole('button', { name: 'Start' }).click();
    await form.getByText(/^started: population-logout-/).waitFor();
    // Two users match, above the threshold of one: the run pauses until confirmed.
    const confirm = page.getByRole('button', { name: 'Confirm 2' });
    await confirm.waitFor({ timeout: 60_000 });
    await snap(page, '14-bulk-awaiting-confirmation');
    const sessionsEnded = async () => {
      let ended = 0;
      for (const n of [1, 2]) {
        const user = (await (
          await fetch(`${stack.simulatorUrl}/_simulator/users/${department}-${n}`)
        ).json()) as { sessions?: number };
        if (user.sessions === 0) ended += 1;
      }
      return ended;
    };
    assert.equal(await sessionsEnded(), 0, 'nobody is logged out before the confirmation');
    await confirm.click();
    await page.getByText('Confirmed: the run goes on.').waitFor();
    for (let attempt = 0; attempt < 60 && (await sessionsEnded()) < 2; attempt += 1) {
      await page.waitForTimeout(500);
    }
    assert.equal(await sessionsEnded(), 2, 'both users were logged out after the confirmation');
    await page
      .getByRole('row', { name: /population-logout-/ })
      .first()
      .getByText(/completed/)
      .waitFor({ timeout: 30_000 });
    await snap(page, '15-bulk-confirmed');
  });
});

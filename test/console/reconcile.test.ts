/**
 * The console's Reconciliation page in a real browser (Debian's Chromium, driven by playwright-core)
 * against `npm start` with RECONCILE_HOLD_ABOVE=0, so that one leaver holds the plan: the HR key uploads
 * a five-person snapshot (in sync, a joiner, a leaver, an invalid row, and an account the snapshot
 * lacks), sees the plan in the list and its exact counts per situation in the table beside the chart
 * (drawn under the CSP without a violation), filters the entries to the leaver, and is told that the
 * support key decides. The support key approves with a reason and the page shows the plan applied:
 * the leaver's offboarding and the joiner's onboarding run. Screenshots go to test-results/console/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { type NpmStart, startNpmStart } from '../helpers/npm-start';

const root = path.resolve(__dirname, '..', '..');
const screenshots = path.join(root, 'test-results', 'console');
const HR_KEY = `hr-key-${randomBytes(16).toString('hex')}`;
const SUPPORT_KEY = `support-key-${randomBytes(16).toString('hex')}`;
const suffix = randomBytes(3).toString('hex');
const id = (name: string) => `rc-${name}-${suffix}`;

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

const snapshotCsv = [
  'externalID,status,userName,firstName,lastName,email,lastWorkingDay',
  `${id('sync')},active,sync.${suffix},Ada,Insync,sync.${suffix}@example.com,`,
  `${id('join')},active,join.${suffix},Joan,Joiner,join.${suffix}@example.com,`,
  `${id('leave')},terminated,,,,,2026-01-02`,
  // Active without an email: invalid, and nothing starts for it.
  `${id('bad')},active,bad.${suffix},Bad,Row,,`,
].join('\n');

const expectedCounts: Record<string, string> = {
  joiner: '1',
  'future-joiner': '0',
  leaver: '1',
  'future-leaver': '0',
  absent: '1',
  mover: '0',
  rehire: '0',
  'in-sync': '1',
  'in-progress': '0',
  disputed: '0',
  unmanaged: '0',
  invalid: '1',
  'on-leave': '0',
  Total: '5',
};

describe('HR console: Reconciliation (Chromium against npm start)', { timeout: 240_000 }, () => {
  let stack: NpmStart;
  let browser: Browser;
  const cspViolations: string[] = [];
  let planUrl = '';

  const seed = async (name: string, first: string) => {
    const answer = await fetch(`${stack.simulatorUrl}/_simulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        externalID: id(name),
        userName: `${name}.${suffix}`,
        firstName: first,
        lastName: name === 'sync' ? 'Insync' : 'Account',
        emails: [{ value: `${name}.${suffix}@example.com`, primary: true }],
        status: 'activated',
      }),
    });
    assert.equal(answer.status, 201, await answer.text());
  };

  const signedIn = async (key: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${stack.apiUrl}/`);
    await page.getByLabel('API key').waitFor();
    await page.keyboard.type(key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    return page;
  };

  /** The person's runs (GET /v1/people/{externalID}); undefined when they have none. */
  const runsOf = async (
    externalID: string,
  ): Promise<{ onboarding?: unknown; offboarding?: unknown } | undefined> => {
    const answer = await fetch(`${stack.apiUrl}/v1/people/${encodeURIComponent(externalID)}`, {
      headers: { authorization: `Bearer ${SUPPORT_KEY}` },
    });
    if (answer.status === 404) return undefined;
    assert.equal(answer.status, 200, await answer.clone().text());
    return (await answer.json()) as { onboarding?: unknown; offboarding?: unknown };
  };

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startNpmStart({
      LIFECYCLE_API_KEY: HR_KEY,
      LIFECYCLE_ADMIN_API_KEY: SUPPORT_KEY,
      // One offboarding is already more than 0: the plan waits for the support key.
      RECONCILE_HOLD_ABOVE: '0',
    });
    await seed('sync', 'Ada');
    await seed('leave', 'Lea');
    await seed('gone', 'Gus');
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
  });
  after(async () => {
    await browser?.close();
    if (stack) {
      const code = await stack.stop();
      stack.kill();
      assert.equal(code, 0, stack.output().slice(-3000));
    }
  });

  it('HR uploads a snapshot: the plan is held, its counts per situation shown exactly, entries filtered', async () => {
    const page = await signedIn(HR_KEY);
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reconciliation' }).waitFor();
    // The HR key is not offered to offboard absent accounts (the API would refuse it).
    assert.equal(await page.getByLabel('Accounts missing from the snapshot').count(), 0);
    await page.getByLabel('Snapshot file').setInputFiles({
      name: 'hr-snapshot.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(snapshotCsv),
    });
    await page.getByRole('button', { name: 'Make the plan' }).click();
    await page.getByRole('heading', { level: 1, name: /^Plan plan-/ }).waitFor();
    await page.getByText('Plan held for approval.').waitFor({ timeout: 60_000 });
    planUrl = page.url();

    const table = page.getByRole('table', { name: 'People per situation: figures' });
    const shown: Record<string, string> = {};
    for (const row of await table.getByRole('row').all()) {
      const header = await row.getByRole('rowheader').allTextContents();
      const cells = await row.getByRole('cell').allTextContents();
      if (header[0] !== undefined) shown[header[0]] = cells.join(' ');
    }
    assert.deepEqual(shown, expectedCounts);
    await page.getByText('1 offboardings to start, more than RECONCILE_HOLD_ABOVE (0)').waitFor();
    await page.getByText('approving or discarding it takes the support key').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve and apply' }).count(), 0);

    // The chart has pixels on its canvas; nothing broke the CSP.
    const painted = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector('canvas');
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
      return painted;
    })()`);
    assert.ok(painted > 1000, `painted pixels: ${painted}`);
    assert.deepEqual(cspViolations, []);

    // Every entry first, then only the leaver.
    const entries = page.getByRole('table', { name: 'Entries' });
    assert.equal(await entries.getByRole('row').count(), 1 + 5);
    await page.getByLabel('Situation', { exact: true }).selectOption('leaver');
    await page.getByRole('button', { name: 'Filter' }).click();
    const leavers = page.getByRole('table', { name: 'Entries: leaver' });
    await leavers.waitFor();
    const cells = await leavers.getByRole('row').nth(1).getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(0, 3), [id('leave'), 'leaver', 'start-offboarding']);
    assert.equal(await leavers.getByRole('row').count(), 2);
    await page.screenshot({ path: path.join(screenshots, 'reconcile-held.png'), fullPage: true });

    // Two entries a page: three pages, forward and back, every entry once.
    await page.goto(`${planUrl}?limit=2`);
    const paged = page.getByRole('table', { name: 'Entries' });
    const seen: string[] = [];
    for (const pageNumber of [1, 2, 3]) {
      await page.getByText(`Page ${pageNumber}`, { exact: true }).waitFor();
      const ids = await paged.locator('tbody tr td:first-child').allTextContents();
      assert.equal(ids.length, pageNumber < 3 ? 2 : 1);
      seen.push(...ids);
      if (pageNumber < 3) await page.getByRole('link', { name: 'Next →' }).click();
    }
    assert.equal(await page.getByRole('link', { name: 'Next →' }).count(), 0);
    assert.equal(new Set(seen).size, 5);
    await page.getByRole('link', { name: '← Previous' }).click();
    await page.getByText('Page 2', { exact: true }).waitFor();
    assert.deepEqual(await paged.locator('tbody tr td:first-child').allTextContents(), seen.slice(2, 4));

    // The list shows the plan, newest first, with its counts and verdict.
    await page.getByRole('link', { name: '← All plans' }).click();
    const plans = page.getByRole('table', { name: 'Recent plans, newest first' });
    await plans.waitFor();
    const first = await plans.getByRole('row').nth(1).textContent();
    assert.match(first ?? '', /Held for approval/);
    assert.match(first ?? '', /1 joiner, 1 leaver, 1 absent, 1 in-sync, 1 invalid/);
    assert.match(first ?? '', /Held: 1 offboardings to start/);
    await page.close();
  });

  it('the support key approves: the page shows the plan applied, and the runs start', async () => {
    assert.ok(planUrl, 'the first test made a plan');
    const page = await signedIn(SUPPORT_KEY);
    await page.goto(planUrl);
    await page.getByText('Plan held for approval.').waitFor();
    // A second tab still shows the held plan: its later approval is the service's refusal, shown as such.
    const stale = await signedIn(SUPPORT_KEY);
    await stale.goto(planUrl);
    await stale.getByText('Plan held for approval.').waitFor();
    await page.getByLabel('Reason (goes to the audit trail)').fill('HR confirmed the leaver');
    await page.getByRole('button', { name: 'Approve and apply' }).click();
    await page.getByText('Plan applied.').waitFor({ timeout: 60_000 });
    await stale.getByRole('button', { name: 'Discard' }).click();
    const refusal = stale.getByRole('alert').filter({ hasText: 'Refused' });
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /^Refused \(409.*not held for approval/);
    await stale.close();
    await page.getByText(/HR confirmed the leaver/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve and apply' }).count(), 0);
    await page.screenshot({ path: path.join(screenshots, 'reconcile-applied.png'), fullPage: true });

    // Applying went through the ordinary starts: an offboarding for the leaver, an onboarding for the joiner.
    assert.ok((await runsOf(id('leave')))?.offboarding, 'the leaver is offboarded');
    assert.ok((await runsOf(id('join')))?.onboarding, 'the joiner is onboarded');
    assert.equal(await runsOf(id('bad')), undefined, 'nothing starts for an invalid row');
    assert.equal(await runsOf(id('gone')), undefined, 'an absent account is only reported');
    assert.deepEqual(cspViolations, []);
    await page.close();
  });
});

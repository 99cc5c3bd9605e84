/**
 * The console's Reports page in a real browser (Debian's Chromium, driven by playwright-core) against
 * `npm start` in Europe/Berlin with the working day ending at 18:00, its store seeded with a known mix
 * (test/helpers/report-seed.ts: hires activated after 2 and 9 days, one expired, one waiting; leavers
 * deactivated on time and late, one started late; a deletion on schedule and one after a hold; two
 * reconciliations in January and one still planning): the API and the page's accessible tables show
 * exactly the seeded figures, every chart is drawn under the console's CSP without a violation, and the
 * CSV download is the API's. The page is saved as test-results/console/reports.png
 * (docs/console-reports.png is a copy).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { openStore, type Report } from '../../store';
import { connectStore } from '../../store/connection';
import { type NpmStart, startNpmStart } from '../helpers/npm-start';
import {
  REPORT_END_OF_WORKING_DAY,
  REPORT_PERIOD,
  REPORT_TIME_ZONE,
  expectedDrift,
  expectedTotals,
  januaryWeeks,
  seedReconciliations,
  seedReportMix,
} from '../helpers/report-seed';

const root = path.resolve(__dirname, '..', '..');
const screenshots = path.join(root, 'test-results', 'console');
const HR_KEY = `hr-key-${randomBytes(16).toString('hex')}`;
const query = `from=${REPORT_PERIOD.from}&to=${REPORT_PERIOD.to}&by=week`;

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

/** The figures as the page shows them: `2`, `1.52`, `2 (50%)`, `—` for nothing to measure. */
function shown(report: Report, values: Report['total'], shareOf?: string): string[] {
  return report.columns.map(({ key }) => {
    const value = values[key];
    if (value === null || value === undefined) return '—';
    const whole = shareOf === undefined || key === shareOf ? undefined : values[shareOf];
    const text = value.toLocaleString('en', { maximumFractionDigits: 2 });
    return whole ? `${text} (${Math.round((value / whole) * 100)}%)` : text;
  });
}

describe('HR console: Reports (Chromium against npm start)', { timeout: 180_000 }, () => {
  let stack: NpmStart;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];
  const api = (path: string, accept = 'application/json') =>
    fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${HR_KEY}`, accept } });

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startNpmStart({
      LIFECYCLE_API_KEY: HR_KEY,
      LIFECYCLE_TIME_ZONE: REPORT_TIME_ZONE,
      OFFBOARDING_END_OF_WORKING_DAY: REPORT_END_OF_WORKING_DAY,
    });
    const store = await openStore({ kind: 'sqlite', file: stack.storeFile });
    const raw = await connectStore({ kind: 'sqlite', file: stack.storeFile });
    try {
      await seedReportMix(store, 'rep');
      // Two reconciliations in January (weeks 1 and 3) and one still planning: reconciliation-drift.
      await seedReconciliations(store, async (planId, at) => {
        await raw.db.updateTable('reconcile_plan').set({ created_at: at }).where('id', '=', planId).execute();
      });
    } finally {
      await raw.close();
      await store.close();
    }
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${stack.apiUrl}/`);
    await page.getByLabel('API key').waitFor();
    await page.keyboard.type(HR_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    if (stack) {
      const code = await stack.stop();
      stack.kill();
      assert.equal(code, 0, stack.output().slice(-3000));
    }
  });

  it('the API answers exactly the seeded figures', async () => {
    for (const [name, total] of Object.entries(expectedTotals)) {
      const answer = await api(`/v1/reports/${name}?${query}`);
      assert.equal(answer.status, 200, name);
      const report = (await answer.json()) as Report;
      assert.equal(report.timeZone, REPORT_TIME_ZONE);
      assert.deepEqual(report.total, total, name);
    }
  });

  it('the Reports page shows every seeded figure in its tables, charts drawn under the CSP', async () => {
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByLabel('From').fill(REPORT_PERIOD.from);
    await page.getByLabel('To', { exact: true }).fill(REPORT_PERIOD.to);
    await page.getByLabel('By').selectOption('week');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText(`Reports from ${REPORT_PERIOD.from} to ${REPORT_PERIOD.to} by ISO week.`).waitFor();

    const titles: Record<keyof typeof expectedTotals, [string, string?]> = {
      'activation-funnel': ['Activation funnel', 'invited'],
      'time-to-activate': ['Time to activate'],
      'leaver-timeliness': ['Leaver timeliness'],
      'needs-attention': ['Needs attention'],
    };
    for (const [name, [title, shareOf]] of Object.entries(titles)) {
      const report = (await (await api(`/v1/reports/${name}?${query}`)).json()) as Report;
      const table = page.getByRole('table', { name: `${title}: figures` });
      const headers = await table.getByRole('columnheader').allTextContents();
      assert.deepEqual(headers, ['ISO week', ...report.columns.map((column) => column.label)], name);
      const rowHeaders = await table.getByRole('rowheader').allTextContents();
      assert.deepEqual(rowHeaders, [...januaryWeeks, 'Total'], name);
      const totalCells = await table
        .getByRole('row', { name: /^Total/ })
        .getByRole('cell')
        .allTextContents();
      assert.deepEqual(
        totalCells,
        shown(report, expectedTotals[name as keyof typeof expectedTotals], shareOf),
      );
      for (const row of report.rows) {
        const cells = await table
          .getByRole('row', { name: new RegExp(`^${row.period}`) })
          .getByRole('cell')
          .allTextContents();
        assert.deepEqual(cells, shown(report, row.values, shareOf), `${name} ${row.period}`);
      }
    }
    // The figures security asks for, spelled out.
    const leavers = page
      .getByRole('table', { name: 'Leaver timeliness: figures' })
      .getByRole('row', { name: /^Total/ });
    assert.deepEqual(await leavers.getByRole('cell').allTextContents(), [
      '2',
      '1.52',
      '2.85',
      '1',
      '1',
      '0',
      '1',
      '1',
    ]);
    const funnel = page
      .getByRole('table', { name: 'Activation funnel: figures' })
      .getByRole('row', { name: /^Total/ });
    assert.deepEqual(await funnel.getByRole('cell').allTextContents(), [
      '4',
      '0 (0%)',
      '1 (25%)',
      '2 (50%)',
      '2 (50%)',
      '2 (50%)',
      '1 (25%)',
      '1 (25%)',
      '0 (0%)',
    ]);
    // Each week's latest reconciliation, its people per situation; the total: the month's latest.
    const drift = (await (await api(`/v1/reports/reconciliation-drift?${query}`)).json()) as Report;
    assert.deepEqual(drift.total, expectedDrift.total);
    const driftTable = page.getByRole('table', { name: 'Reconciliation drift: figures' });
    assert.deepEqual(
      await driftTable
        .getByRole('row', { name: /^Total/ })
        .getByRole('cell')
        .allTextContents(),
      shown(drift, expectedDrift.total),
    );
    for (const [week, values] of Object.entries(expectedDrift.weeks)) {
      const cells = await driftTable
        .getByRole('row', { name: new RegExp(`^${week}`) })
        .getByRole('cell')
        .allTextContents();
      assert.deepEqual(cells, shown(drift, values), `reconciliation-drift ${week}`);
    }

    // Five charts, each with pixels drawn on its canvas, and no CSP violation on the way.
    const drawn = await page.evaluate<number[]>(`[...document.querySelectorAll('canvas')].map((canvas) => {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
      return painted;
    })`);
    assert.equal(drawn.length, 5);
    assert.ok(
      drawn.every((painted) => painted > 1000),
      `painted pixels per chart: ${drawn.join(', ')}`,
    );
    assert.deepEqual(cspViolations, []);
    await page.screenshot({ path: path.join(screenshots, 'reports.png'), fullPage: true });
  });

  it('downloads the API’s CSV of a report', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Leaver timeliness (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'leaver-timeliness-2027-01-01-2027-01-31-by-week.csv');
    const file = await download.path();
    const fromApi = await (await api(`/v1/reports/leaver-timeliness?${query}`, 'text/csv')).text();
    assert.equal(readFileSync(file, 'utf8'), fromApi);
    assert.match(fromApi, /^total,2027-01-01,2027-01-31,2,1\.52,2\.85,1,1,0,1,1\r$/m);
  });
});

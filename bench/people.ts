/**
 * `npm run bench -- people`: the person index at scale (issue 29). Fills a fresh store with
 * PEOPLE_N people (default 100,000) through the worker's index-writing activity — two stage changes
 * each, as a run's first steps write them — then measures, one request after another as the HR API
 * asks them: a name search (a page of 25), paging through a filter, the exact counts by lifecycle and
 * stage, the index's size per person, and the worker's added cost per stage change. Prints figures;
 * nothing here asserts a time.
 *
 * PEOPLE_STORE: `sqlite` (the embedded default), `postgres` (a throwaway PostgreSQL 15 started here, as
 * the store's tests start one: `npm run install:cluster` installs it) or `both` (default).
 * PEOPLE_REQUESTS (default 200): requests per measured question. PEOPLE_REPORT_REQUESTS (default 20):
 * requests per report (bench/people-reports.ts), each over the whole period.
 */
import { type LifecycleStore } from '../store';
import { startStoreDatabases, type StoreKind } from '../test/helpers/store-databases';
import { personIndexFill, type FillFigures } from './people-fill';
import { printReportTimings, timeReports } from './people-reports';
import { storeSizeBytes } from './people-size';

export interface PeopleBenchOptions {
  people: number;
  requests: number;
  reportRequests: number;
  stores: StoreKind[];
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number ≥ 1 (got ${raw})`);
  return value;
}

export function peopleOptionsFromEnv(env: NodeJS.ProcessEnv): PeopleBenchOptions {
  const store = env.PEOPLE_STORE ?? 'both';
  const stores: Record<string, StoreKind[]> = {
    sqlite: ['sqlite'],
    postgres: ['postgres'],
    both: ['sqlite', 'postgres'],
  };
  const chosen = stores[store];
  if (!chosen) throw new Error(`PEOPLE_STORE must be sqlite, postgres or both (got ${store})`);
  return {
    people: wholeNumber(env, 'PEOPLE_N', 100_000),
    requests: wholeNumber(env, 'PEOPLE_REQUESTS', 200),
    reportRequests: wholeNumber(env, 'PEOPLE_REPORT_REQUESTS', 20),
    stores: chosen,
  };
}

interface Timing {
  median: number;
  p95: number;
  max: number;
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}

async function timed<T>(samples: number[], ask: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const answer = await ask();
  samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  return answer;
}

interface QuestionFigures {
  search: Timing & { meanTotal: number };
  paging: Timing & { pages: number };
  counts: Timing & { people: number };
}

async function askQuestions(
  store: LifecycleStore,
  lastNames: readonly string[],
  requests: number,
): Promise<QuestionFigures> {
  const search: number[] = [];
  let totals = 0;
  for (let index = 0; index < requests; index += 1) {
    const lastName = lastNames[(index * 7919) % lastNames.length] ?? 'muller';
    const page = await timed(search, () => store.people.findPeople({ q: lastName, limit: 25 }));
    if (page.people.length === 0)
      throw new Error(`the search for ${lastName} found nobody: the fill is wrong`);
    totals += page.total;
  }
  const paging: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (let index = 0; index < requests; index += 1) {
    const page = await timed(paging, () =>
      store.people.findPeople({
        lifecycle: 'onboarding',
        limit: 25,
        ...(cursor !== undefined && { cursor }),
      }),
    );
    pages += 1;
    cursor = page.nextCursor;
    if (cursor === undefined) break;
  }
  const counts: number[] = [];
  let people = 0;
  for (let index = 0; index < Math.min(requests, 50); index += 1) {
    const answer = await timed(counts, () => store.people.countsByLifecycleStage());
    people = Object.values(answer).reduce(
      (sum, stages) => sum + Object.values(stages).reduce((inner, count) => inner + count, 0),
      0,
    );
  }
  return {
    search: { ...timing(search), meanTotal: totals / requests },
    paging: { ...timing(paging), pages },
    counts: { ...timing(counts), people },
  };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function report(
  kind: StoreKind,
  options: PeopleBenchOptions,
  fill: FillFigures,
  questions: QuestionFigures,
  bytes: number,
) {
  const { search, paging, counts } = questions;
  console.log(`\n## ${kind}: ${options.people.toLocaleString('en')} people`);
  console.log(
    `fill: ${fill.writes.toLocaleString('en')} stage changes in ${(fill.wallMs / 1000).toFixed(1)} s ` +
      `(${fill.perWriteMs.toFixed(3)} ms each, CPU ${fill.cpuMsPerThousand.toFixed(0)} ms per 1,000 in this process)`,
  );
  console.log(
    `name search, a page of 25 (${options.requests} requests, ${search.meanTotal.toFixed(0)} found on average): ` +
      `median ${ms(search.median)}, p95 ${ms(search.p95)}, max ${ms(search.max)}`,
  );
  console.log(
    `paging by cursor, lifecycle filter (${paging.pages} pages of 25): median ${ms(paging.median)}, ` +
      `p95 ${ms(paging.p95)}, max ${ms(paging.max)}`,
  );
  console.log(
    `exact counts by lifecycle and stage (${counts.people.toLocaleString('en')} people): median ${ms(counts.median)}, ` +
      `p95 ${ms(counts.p95)}, max ${ms(counts.max)}`,
  );
  console.log(
    `size: ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${(bytes / options.people).toFixed(0)} bytes per person`,
  );
}

export async function runPeopleBench(options: PeopleBenchOptions): Promise<void> {
  console.log(
    `person index bench: ${options.people.toLocaleString('en')} people, ${options.requests} requests a question, ` +
      `stores ${options.stores.join(' and ')}`,
  );
  for (const kind of options.stores) {
    const databases = await startStoreDatabases(kind);
    try {
      // The store is closed with the databases (startStoreDatabases tracks what it opened).
      const { config, store } = await databases.freshStore();
      const fill = await personIndexFill(store, options.people);
      const questions = await askQuestions(store, fill.lastNames, options.requests);
      const reports = await timeReports(store, options.reportRequests);
      report(kind, options, fill, questions, await storeSizeBytes(await databases.connect(config)));
      printReportTimings(reports, options.reportRequests);
    } finally {
      await databases.stop();
    }
  }
}

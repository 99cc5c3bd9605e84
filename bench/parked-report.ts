/** The parked benchmark's table (parked.ts): each run side by side, the unpaced runs' spread. */
import { perThousand } from './cpu';
import { type ParkedOptions } from './parked';
import { type ParkingFigures } from './parked-watch';

function spread(values: number[], digits: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return `${(sorted[0] as number).toFixed(digits)}–${(sorted.at(-1) as number).toFixed(digits)} (median ${median.toFixed(digits)})`;
}

export function report(options: ParkedOptions, results: ParkingFigures[]): void {
  const width = 14;
  const mb = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(0)} MB`);
  const rows: Array<[string, (f: ParkingFigures) => string]> = [
    ['leavers parked per second', (f) => (f.n / f.parkingSeconds).toFixed(2)],
    ['first start to last parked', (f) => `${f.parkingSeconds.toFixed(1)} s`],
    ['Staffbase requests per leaver', (f) => (f.requests / f.n).toFixed(2)],
    ['worker RSS peak (parking)', (f) => mb(f.workerPeakMb)],
    ['worker RSS quiet (all parked)', (f) => mb(f.workerQuietMb)],
    ['dev server RSS peak (parking)', (f) => mb(f.devServerPeakMb)],
    ['CPU per 1,000: worker', (f) => perThousand(f.workerCpu, f.n)],
    ['CPU per 1,000: dev server', (f) => perThousand(f.devServerCpu, f.n)],
    ['CPU per 1,000: CLI import', (f) => (f.cliCpu === undefined ? '—' : perThousand(f.cliCpu, f.n))],
    ['worker RSS peak (whole run)', (f) => (f.deletions ? mb(f.deletions.workerPeakMb) : '—')],
    ['deletions', (f) => (f.deletions ? `${f.deletions.deleted} of ${f.n}` : '—')],
    [
      'max lateness after deleteAt',
      (f) => (f.deletions ? `${(f.deletions.maxLateMs / 1000).toFixed(1)} s` : '—'),
    ],
    ['duration', (f) => (f.deletions ? `${(f.deletions.durationMs / 60_000).toFixed(1)} min` : '—')],
  ];
  console.log('');
  console.log(
    `${n(options)} offboardings, worker at ${options.requestsPerSecond} requests/s ` +
      `(CPU: user + system seconds, first start to last parked)`,
  );
  console.log(`${''.padEnd(30)}${results.map((f) => f.label.padStart(width)).join('')}`);
  for (const [name, cell] of rows) {
    console.log(`${name.padEnd(30)}${results.map((f) => cell(f).padStart(width)).join('')}`);
  }
  const unpaced = results.filter((f) => f.label.startsWith('unpaced'));
  if (unpaced.length > 1) {
    console.log('');
    console.log(`unpaced over ${unpaced.length} runs:`);
    console.log(
      `  leavers parked per second  ${spread(
        unpaced.map((f) => f.n / f.parkingSeconds),
        2,
      )}`,
    );
    console.log(
      `  requests per leaver        ${spread(
        unpaced.map((f) => f.requests / f.n),
        2,
      )}`,
    );
    console.log(
      `  worker RSS peak (MB)       ${spread(
        unpaced.map((f) => f.workerPeakMb),
        0,
      )}`,
    );
    console.log(
      `  worker RSS quiet (MB)      ${spread(
        unpaced.map((f) => f.workerQuietMb),
        0,
      )}`,
    );
  }
  for (const f of results) {
    if (!f.requestsByRoute) continue;
    const routes = [...f.requestsByRoute]
      .sort((a, b) => b[1] - a[1])
      .map(([route, calls]) => `${route} ${(calls / f.n).toFixed(2)}`);
    console.log(`${f.label}: requests per leaver by route: ${routes.join(', ')}`);
  }
  const incomplete = results.filter((f) => f.deletions && f.deletions.notCompleted > 0);
  for (const f of incomplete) console.log(`${f.label}: ${f.deletions?.notCompleted} runs not completed`);
}

const n = (options: ParkedOptions) => options.count.toLocaleString('en');

/**
 * Report periods and their buckets (ISO week or month) in the policy time zone, computed in code: the
 * two databases handle time zones differently (SQLite not at all), and milestone times are UTC text.
 */
import { shiftDate, zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import { calendarDate, StoreInputError } from './store-input-error';

export type ReportGrouping = 'week' | 'month';

/** Longest period a report covers: enough for multi-year trends, bounded so a bucket list stays small. */
export const REPORT_MAX_DAYS = 5 * 366;

export interface ReportBucket {
  /** `2027-W03` or `2027-01`. */
  key: string;
  /** The bucket's first and last day within the period (`YYYY-MM-DD`, inclusive). */
  from: string;
  to: string;
}

export interface ReportPeriod {
  from: string;
  to: string;
  by: ReportGrouping;
  timeZone: string;
  /** The period's instants: [startMs, endMs). */
  startMs: number;
  endMs: number;
  buckets: ReportBucket[];
}

const dayMs = 86_400_000;

/** `2027-01-04` → `2027-W01` (ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(day.getTime() + (3 - weekday) * dayMs);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / dayMs / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function bucketKey(date: string, by: ReportGrouping): string {
  return by === 'month' ? date.slice(0, 7) : isoWeek(date);
}

/**
 * The calendar date an instant falls on in a zone. Zone offsets change at most on the hour, so the
 * offset is looked up once per UTC hour (a report reads up to hundreds of thousands of milestones).
 */
export function localDates(timeZone: string): (instantMs: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const byHour = new Map<number, string>();
  return (instantMs) => {
    const hour = Math.floor(instantMs / 3_600_000);
    let date = byHour.get(hour);
    if (date === undefined) {
      date = format.format(new Date(instantMs)); // en-CA: YYYY-MM-DD
      byHour.set(hour, date);
    }
    return date;
  };
}

function validZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    throw new StoreInputError('timeZone', 'must be an IANA time zone such as Europe/Berlin');
  }
}

/** Checks the period (naming the field) and lays out its buckets, empty ones included. */
export function reportPeriod(input: {
  from: string;
  to: string;
  by: ReportGrouping;
  timeZone: string;
}): ReportPeriod {
  const from = calendarDate(input.from, 'from');
  const to = calendarDate(input.to, 'to');
  if (to < from) throw new StoreInputError('to', 'must not be before from');
  const days = Math.round((Date.parse(to) - Date.parse(from)) / dayMs) + 1;
  if (days > REPORT_MAX_DAYS)
    throw new StoreInputError('to', `must be at most ${REPORT_MAX_DAYS} days after from`);
  if (input.by !== 'week' && input.by !== 'month') throw new StoreInputError('by', 'must be week or month');
  const timeZone = validZone(input.timeZone);
  const buckets: ReportBucket[] = [];
  for (let date = from; date <= to; date = shiftDate(date, 1)) {
    const key = bucketKey(date, input.by);
    const last = buckets.at(-1);
    if (last?.key === key) last.to = date;
    else buckets.push({ key, from: date, to: date });
  }
  return {
    from,
    to,
    by: input.by,
    timeZone,
    startMs: zonedDateTimeToEpochMs(from, '00:00', timeZone),
    endMs: zonedDateTimeToEpochMs(shiftDate(to, 1), '00:00', timeZone),
    buckets,
  };
}

/**
 * A percentile by linear interpolation between the closest ranks (the spreadsheet's PERCENTILE.INC):
 * the median of 2 and 9 is 5.5. Null for no values.
 */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const below = sorted[lower] ?? 0;
  const above = sorted[Math.min(lower + 1, sorted.length - 1)] ?? below;
  return below + (above - below) * (position - lower);
}

/** Two decimals: reports show hours and days, not floating-point noise. */
export const rounded = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 100) / 100;

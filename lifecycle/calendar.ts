/**
 * Date maths for schedules. Pure and free of Node built-ins: workflows use it. Intl's time zone data
 * only shapes timer durations, which replay does not compare, so it keeps workflows replayable.
 */
export const millisecondsPerDay = 24 * 60 * 60 * 1000;

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one (reports). */
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormatters.set(timeZone, format);
  }
  return format;
}

function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts = zoneFormatter(timeZone).formatToParts(new Date(instantMs));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant at which a wall-clock date and time (YYYY-MM-DD, HH:MM) happens in an IANA time zone.
 *
 * On the days the zone changes between standard and summer time, east and west of Greenwich alike:
 * a time the clocks skip (02:30 when they jump from 02:00 to 03:00) happens as late as the clocks
 * jumped (03:30 summer time), and a time that happens twice (02:30 when they fall back from 03:00)
 * means the first of the two — the rule of java.time and TC39 Temporal (`compatible`).
 */
export function zonedDateTimeToEpochMs(date: string, timeOfDay: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = timeOfDay.split(':').map(Number);
  const wallClockAsUtc = Date.UTC(year ?? NaN, (month ?? NaN) - 1, day ?? NaN, hour ?? NaN, minute ?? NaN);
  if (!Number.isFinite(wallClockAsUtc)) return NaN;
  // The offsets a day before and a day after: a zone changes them at most once within two days.
  const offsetBefore = zoneOffsetMs(wallClockAsUtc - millisecondsPerDay, timeZone);
  const offsetAfter = zoneOffsetMs(wallClockAsUtc + millisecondsPerDay, timeZone);
  const shows = (instant: number) => instant + zoneOffsetMs(instant, timeZone) === wallClockAsUtc;
  const candidates = [wallClockAsUtc - offsetBefore, wallClockAsUtc - offsetAfter].filter(shows);
  // None shows it: a skipped time, read with the offset from before the jump (so: later).
  return candidates.length > 0 ? Math.min(...candidates) : wallClockAsUtc - offsetBefore;
}

/** A calendar date `days` later (or earlier): 2026-03-30 minus 3 days is 2026-03-27, whatever the zone does. */
export function shiftDate(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year ?? NaN, (month ?? NaN) - 1, (day ?? NaN) + days)).toISOString().slice(0, 10);
}

/** Whole days of 24 hours: across a change of summer time the wall-clock time moves by the hour. */
export function addDays(epochMs: number, days: number): number {
  return epochMs + days * millisecondsPerDay;
}

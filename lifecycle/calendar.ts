/**
 * Date maths for schedules. Pure and free of Node built-ins: workflows use it. Intl's time zone data
 * only shapes timer durations, which replay does not compare, so it keeps workflows replayable.
 */
export const millisecondsPerDay = 24 * 60 * 60 * 1000;

function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instantMs));
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

/** The instant at which a wall-clock date and time (YYYY-MM-DD, HH:MM) happens in an IANA time zone. */
export function zonedDateTimeToEpochMs(date: string, timeOfDay: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = timeOfDay.split(':').map(Number);
  const wallClockAsUtc = Date.UTC(year ?? NaN, (month ?? NaN) - 1, day ?? NaN, hour ?? NaN, minute ?? NaN);
  // Two passes settle the offset on days when the zone changes between standard and summer time.
  let instant = wallClockAsUtc - zoneOffsetMs(wallClockAsUtc, timeZone);
  instant = wallClockAsUtc - zoneOffsetMs(instant, timeZone);
  return instant;
}

export function addDays(epochMs: number, days: number): number {
  return epochMs + days * millisecondsPerDay;
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): either delta-seconds or an HTTP-date. Returns the wait in
 * milliseconds, 0 for a date already past, undefined when absent or unreadable (the caller then
 * falls back to its own backoff).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// The three HTTP-date forms. Parsed by hand: Date.parse reads asctime as local time and accepts
// far too much (e.g. "-1" is a valid year for it).
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const RFC850_DATE = /^[a-z]+, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

export function parseRetryAfter(
  header: string | string[] | undefined,
  now: Date = new Date(),
): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (/^\d+$/.test(value)) {
    const seconds = Number(value);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined;
  }
  const at = parseHttpDate(value, now);
  if (at === undefined) return undefined;
  return Math.max(0, at - now.getTime());
}

function parseHttpDate(value: string, now: Date): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match) {
    const [, day, month, year, hour, minute, second] = match;
    return utc(year, month, day, hour, minute, second);
  }
  match = RFC850_DATE.exec(value);
  if (match) {
    const [, day, month, twoDigitYear, hour, minute, second] = match;
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const century = Math.floor(now.getUTCFullYear() / 100) * 100;
    let year = century + Number(twoDigitYear);
    if (year > now.getUTCFullYear() + 50) year -= 100;
    return utc(String(year), month, day, hour, minute, second);
  }
  match = ASCTIME_DATE.exec(value);
  if (match) {
    const [, month, day, hour, minute, second, year] = match;
    return utc(year, month, day?.trim(), hour, minute, second);
  }
  return undefined;
}

function utc(...parts: (string | undefined)[]): number | undefined {
  const [year, monthName, day, hour, minute, second] = parts;
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase());
  const numbers = [year, day, hour, minute, second].map(Number);
  const [y = NaN, d = NaN, h = NaN, mi = NaN, s = NaN] = numbers;
  if (month < 0 || numbers.some(Number.isNaN)) return undefined;
  if (d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const time = Date.UTC(y, month, d, h, mi, s);
  // Date.UTC rolls 31 Feb over into March: reject dates that do not exist.
  return new Date(time).getUTCDate() === d ? time : undefined;
}

/** The shortest wait a Retry-After may ask for: 0 or a past date must not make a hot retry loop. */
export const RETRY_AFTER_MIN_MS = 1_000;
/** The longest: a proxy's "come back tomorrow" must not park a leaver's logout for a day. */
export const RETRY_AFTER_MAX_MS = 15 * 60_000;

/** A Retry-After wait clamped to [1 s, 15 min]; undefined stays undefined (the retry policy's backoff). */
export function clampRetryAfterMs(retryAfterMs: number | undefined): number | undefined {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return undefined;
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(RETRY_AFTER_MIN_MS, retryAfterMs));
}

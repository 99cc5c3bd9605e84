/**
 * Date cells of an import file. ISO dates (YYYY-MM-DD) are always read; `--date-format` adds the one
 * regional form an HR system exports, so `31.12.2026` never has to be rewritten by hand. One file, one
 * extra form: guessing per cell would read 03/04/2027 as March in one row and April in the next.
 */

export const dateFormats = ['DD.MM.YYYY', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY/MM/DD'] as const;
export type DateFormat = (typeof dateFormats)[number];

export function isDateFormat(text: string): text is DateFormat {
  return (dateFormats as readonly string[]).includes(text);
}

interface DateParts {
  year: string;
  month: string;
  day: string;
}

/** Day and month may lose their leading zero (1.2.2027), as spreadsheets print them. */
const readers: Record<DateFormat, (text: string) => DateParts | undefined> = {
  'DD.MM.YYYY': (text) => partsOf(/^(?<day>\d{1,2})\.(?<month>\d{1,2})\.(?<year>\d{4})$/.exec(text)),
  'MM/DD/YYYY': (text) => partsOf(/^(?<month>\d{1,2})\/(?<day>\d{1,2})\/(?<year>\d{4})$/.exec(text)),
  'DD/MM/YYYY': (text) => partsOf(/^(?<day>\d{1,2})\/(?<month>\d{1,2})\/(?<year>\d{4})$/.exec(text)),
  'YYYY/MM/DD': (text) => partsOf(/^(?<year>\d{4})\/(?<month>\d{1,2})\/(?<day>\d{1,2})$/.exec(text)),
};

function partsOf(match: RegExpExecArray | null): DateParts | undefined {
  const groups = match?.groups;
  if (!groups?.year || !groups.month || !groups.day) return undefined;
  return { year: groups.year, month: groups.month.padStart(2, '0'), day: groups.day.padStart(2, '0') };
}

function isCalendarDay({ year, month, day }: DateParts): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day)
  );
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Excel stores dates as days since 1900; a date column exported without its date format arrives as
 * such a number (46387 is 2026-12-31). Five digits covers 1927–2173, every plausible HR date.
 */
const excelSerialNumber = /^\d{5}(\.\d+)?$/;

/**
 * One date cell → `YYYY-MM-DD`, or a problem naming the expected form. ISO text passes through
 * unchanged so the request schema judges it (one message for an impossible ISO date everywhere).
 */
export function readDateCell(
  text: string,
  format: DateFormat | undefined,
): { value: string } | { problem: string } {
  if (isoDate.test(text)) return { value: text };
  if (format) {
    const parts = readers[format](text);
    if (parts) {
      return isCalendarDay(parts)
        ? { value: `${parts.year}-${parts.month}-${parts.day}` }
        : { problem: `"${text}" is not a day of the calendar (read as ${format})` };
    }
  }
  const expected = `must be a date in the form YYYY-MM-DD${format ? ` or ${format}` : ''}`;
  if (excelSerialNumber.test(text)) {
    return {
      problem:
        `${expected}, not the number ${text}: Excel wrote the date as its serial number; ` +
        'format the column as a date (or as text YYYY-MM-DD) and export again',
    };
  }
  const lookalikes = dateFormats.filter((candidate) => {
    const parts = candidate !== format ? readers[candidate](text) : undefined;
    return parts !== undefined && isCalendarDay(parts);
  });
  return lookalikes.length > 0
    ? { problem: `${expected} (the file looks like ${lookalikes.join(' or ')}: see --date-format)` }
    : { problem: expected };
}

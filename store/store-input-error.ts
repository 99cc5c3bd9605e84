/** Bad input to the store, refused before anything is written: names the field, never echoes a value. */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

const isoMomentPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC moment as `Date.toISOString()` writes it (so text order is time order), normalised to ms. */
export function isoMoment(value: string, field: string): string {
  const time = new Date(value);
  if (!isoMomentPattern.test(value) || Number.isNaN(time.getTime()))
    throw new StoreInputError(field, 'must be a UTC time like 2026-12-07T09:00:00.000Z');
  return time.toISOString();
}

export function calendarDate(value: string, field: string): string {
  const time = new Date(`${value}T00:00:00Z`);
  if (!datePattern.test(value) || Number.isNaN(time.getTime()) || !time.toISOString().startsWith(value))
    throw new StoreInputError(field, 'must be a date like 2026-12-07');
  return value;
}

export function nonEmpty(value: string, field: string, maxLength = 256): string {
  if (value.trim() === '' || value.length > maxLength)
    throw new StoreInputError(field, `must be 1 to ${maxLength} characters`);
  return value;
}

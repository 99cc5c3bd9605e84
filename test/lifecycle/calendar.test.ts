import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, shiftDate, zonedDateTimeToEpochMs } from '../../lifecycle/calendar';

const at = (date: string, time: string, zone: string) =>
  new Date(zonedDateTimeToEpochMs(date, time, zone)).toISOString();

/**
 * The schedules' date maths in the zones HR tenants live in. Europe/Berlin is the normal case:
 * summer time (UTC+2) from the last Sunday of March 02:00 to the last Sunday of October 03:00.
 * Nothing here depends on the zone of the machine running the tests.
 */
describe('calendar: wall-clock times in a time zone', () => {
  it('reads an HR time of day in Berlin in winter and in summer', () => {
    assert.equal(at('2026-01-15', '09:00', 'Europe/Berlin'), '2026-01-15T08:00:00.000Z');
    assert.equal(at('2026-07-15', '09:00', 'Europe/Berlin'), '2026-07-15T07:00:00.000Z');
    assert.equal(at('2026-12-31', '17:30', 'Europe/Berlin'), '2026-12-31T16:30:00.000Z');
  });

  it('puts the day of the spring change on the right side of the jump', () => {
    assert.equal(at('2026-03-28', '09:00', 'Europe/Berlin'), '2026-03-28T08:00:00.000Z');
    assert.equal(at('2026-03-29', '01:30', 'Europe/Berlin'), '2026-03-29T00:30:00.000Z', 'before the jump');
    assert.equal(at('2026-03-29', '03:00', 'Europe/Berlin'), '2026-03-29T01:00:00.000Z', 'right after');
    assert.equal(at('2026-03-29', '09:00', 'Europe/Berlin'), '2026-03-29T07:00:00.000Z');
  });

  it('puts the day of the autumn change on the right side of the fall-back', () => {
    assert.equal(at('2026-10-25', '01:59', 'Europe/Berlin'), '2026-10-24T23:59:00.000Z');
    assert.equal(at('2026-10-25', '03:00', 'Europe/Berlin'), '2026-10-25T02:00:00.000Z');
    assert.equal(at('2026-10-25', '09:00', 'Europe/Berlin'), '2026-10-25T08:00:00.000Z');
    assert.equal(at('2026-10-26', '09:00', 'Europe/Berlin'), '2026-10-26T08:00:00.000Z');
  });

  it('reads a skipped time as the time the clocks jumped to, east and west of Greenwich alike', () => {
    // Berlin 02:30 does not exist on 2026-03-29: it is 03:30 summer time.
    assert.equal(at('2026-03-29', '02:30', 'Europe/Berlin'), '2026-03-29T01:30:00.000Z');
    // New York 02:30 does not exist on 2026-03-08: it is 03:30 EDT, not 01:30 EST.
    assert.equal(at('2026-03-08', '02:30', 'America/New_York'), '2026-03-08T07:30:00.000Z');
  });

  it('reads a time that happens twice as the first of the two, east and west alike', () => {
    // Berlin 02:30 on 2026-10-25: first in summer time (UTC+2), then again in winter time.
    assert.equal(at('2026-10-25', '02:30', 'Europe/Berlin'), '2026-10-25T00:30:00.000Z');
    // New York 01:30 on 2026-11-01: first in EDT (UTC−4).
    assert.equal(at('2026-11-01', '01:30', 'America/New_York'), '2026-11-01T05:30:00.000Z');
  });

  it('follows each zone by its own rules and offsets', () => {
    // New York is already in summer time while Berlin is not (2026-03-08 vs 2026-03-29).
    assert.equal(at('2026-03-20', '09:00', 'America/New_York'), '2026-03-20T13:00:00.000Z');
    assert.equal(at('2026-03-20', '09:00', 'Europe/Berlin'), '2026-03-20T08:00:00.000Z');
    // Southern summer: 09:00 in Sydney is the evening before in UTC.
    assert.equal(at('2026-01-15', '09:00', 'Australia/Sydney'), '2026-01-14T22:00:00.000Z');
    // Half-hour offset, no summer time.
    assert.equal(at('2026-01-15', '09:00', 'Asia/Kolkata'), '2026-01-15T03:30:00.000Z');
    assert.equal(at('2026-07-15', '09:00', 'Asia/Kolkata'), '2026-07-15T03:30:00.000Z');
    assert.equal(at('2026-07-15', '09:00', 'UTC'), '2026-07-15T09:00:00.000Z');
  });

  it('answers NaN for what is no date or time (the workflows refuse a start-date change by it)', () => {
    assert.ok(Number.isNaN(zonedDateTimeToEpochMs('next monday', '09:00', 'Europe/Berlin')));
    assert.ok(Number.isNaN(zonedDateTimeToEpochMs('2026-03-29', 'nine', 'Europe/Berlin')));
  });
});

describe('calendar: days', () => {
  it('adds days of 24 hours: across the spring change the wall-clock time moves an hour later', () => {
    const saturday = zonedDateTimeToEpochMs('2026-03-28', '09:00', 'Europe/Berlin');
    assert.equal(new Date(addDays(saturday, 1)).toISOString(), '2026-03-29T08:00:00.000Z'); // 10:00 CEST
    assert.equal(addDays(saturday, -2), saturday - 2 * 86_400_000);
  });

  it('shifts calendar dates over month, year and leap-day ends', () => {
    assert.equal(shiftDate('2026-03-30', -3), '2026-03-27');
    assert.equal(shiftDate('2026-03-01', -1), '2026-02-28');
    assert.equal(shiftDate('2028-03-01', -1), '2028-02-29');
    assert.equal(shiftDate('2026-12-31', 1), '2027-01-01');
    assert.equal(shiftDate('2026-01-15', 0), '2026-01-15');
  });

  it('gives the wall-clock time on a day before a date across a summer-time change', () => {
    // An invitation three days before a start on Monday 2026-03-30, at 09:00 in Berlin: Friday 09:00
    // CET, an hour later in UTC than the 09:00 CEST of the start day.
    const invite = zonedDateTimeToEpochMs(shiftDate('2026-03-30', -3), '09:00', 'Europe/Berlin');
    assert.equal(new Date(invite).toISOString(), '2026-03-27T08:00:00.000Z');
    const startDay = zonedDateTimeToEpochMs('2026-03-30', '09:00', 'Europe/Berlin');
    assert.equal(startDay - invite, 3 * 86_400_000 - 3_600_000, 'three calendar days are 71 hours here');
  });
});

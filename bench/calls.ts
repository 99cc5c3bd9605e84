/** Figures from the simulator's call log: what Staffbase saw, whoever sent it. */
import { type CallRecord } from '../simulator/types';

export interface CreationFigures {
  created: number;
  /** Created users per second, first create to last. */
  usersPerSecond: number;
  /** Every call in that window per created user (look-ups, retries, 429s included). */
  callsPerUser: number;
  /** Share of those calls answered 429. */
  rateLimitedShare: number;
}

const isCreate = (call: CallRecord) => call.method === 'POST' && /\/users$/.test(call.path);

/** The window from the first answered create to the last successful one. */
export function creationFigures(log: CallRecord[]): CreationFigures {
  const created = log.filter((call) => isCreate(call) && call.status >= 200 && call.status < 300);
  const first = log.find(isCreate);
  const last = created.at(-1);
  if (!first || !last || created.length < 2) {
    return { created: created.length, usersPerSecond: 0, callsPerUser: 0, rateLimitedShare: 0 };
  }
  const from = Date.parse(first.time);
  const to = Date.parse(last.time);
  const window = log.filter((call) => {
    const at = Date.parse(call.time);
    return at >= from && at <= to;
  });
  return {
    created: created.length,
    usersPerSecond: (created.length - 1) / ((to - from) / 1000),
    callsPerUser: window.length / created.length,
    rateLimitedShare: window.filter((call) => call.status === 429).length / window.length,
  };
}

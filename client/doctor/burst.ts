/**
 * A bounded burst: at most {@link MAX_BURST_REQUESTS} cheap GETs paced at STAFFBASE_REQUESTS_PER_SECOND,
 * recording every status, each 429's Retry-After and body, and every header that looks like rate-limit
 * information (/rate|limit|retry/i), so the configured rate can be compared with what the tenant allows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type DoctorProbe } from './probe';
import { type DoctorCheck, check } from './report';

export const MAX_BURST_REQUESTS = 20;
const RATE_HEADER = /rate|limit|retry/i;

export interface BurstObservations {
  requests: number;
  requestsPerSecond: number;
  statuses: Record<string, number>;
  retryAfter: string[];
  /** Rate-limit headers by name, each with the distinct values seen. */
  rateHeaders: Record<string, string[]>;
  /** The first 429's body (an error object from the tenant, no user data). */
  tooManyRequestsBody?: string;
}

export async function burstCheck(
  probe: DoctorProbe,
  requestsPerSecond: number,
  requests = MAX_BURST_REQUESTS,
): Promise<DoctorCheck> {
  const count = Math.max(1, Math.min(MAX_BURST_REQUESTS, Math.floor(requests)));
  const gapMs = 1000 / requestsPerSecond;
  const seen: BurstObservations = {
    requests: count,
    requestsPerSecond,
    statuses: {},
    retryAfter: [],
    rateHeaders: {},
  };
  const started = Date.now();
  for (let index = 0; index < count; index += 1) {
    // Paced from the start, so a slow answer does not make the next ones bunch up.
    const due = started + index * gapMs;
    if (due > Date.now()) await sleep(due - Date.now());
    const answer = await probe.send('GET', '/users', { query: { limit: 1 } });
    seen.statuses[String(answer.status)] = (seen.statuses[String(answer.status)] ?? 0) + 1;
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!RATE_HEADER.test(name)) continue;
      const values = (seen.rateHeaders[name] ??= []);
      if (!values.includes(value)) values.push(value);
    }
    if (answer.status === 429) {
      seen.retryAfter.push(answer.headers['retry-after'] ?? '(none)');
      seen.tooManyRequestsBody ??= answer.bodyText.slice(0, 300);
    }
  }
  const limited = seen.statuses['429'] ?? 0;
  const headerNames = Object.keys(seen.rateHeaders);
  const headers =
    headerNames.length > 0 ? `rate-limit headers: ${headerNames.join(', ')}` : 'no rate-limit headers';
  const details = { ...seen };
  const title = `burst of ${count} GETs at ${requestsPerSecond}/s`;
  if (limited === 0) {
    return check('rate-limit', title, 'ok', `no 429; ${headers}`, 'keeps STAFFBASE_REQUESTS_PER_SECOND', {
      details,
    });
  }
  return check(
    'rate-limit',
    title,
    'differs',
    `${limited} of ${count} answered 429 (Retry-After ${seen.retryAfter.join(', ')}); ${headers}`,
    'each 429 waits its Retry-After; lower STAFFBASE_REQUESTS_PER_SECOND to the tenant’s contracted rate',
    { details },
  );
}

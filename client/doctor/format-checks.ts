/**
 * What the answers themselves say: the response media type, `Deprecation` / `Sunset` headers (an API
 * version on its way out), whether the every-status list answered at all (a 400 must not read as "no
 * users"), and the JSON type of `userName` (the changelog shows it becoming `{value, source}`).
 */
import { type Listed, type ProbeAnswer, describeAnswer } from './probe';
import { type DoctorCheck, check } from './report';

export function mediaTypeCheck(answer: ProbeAnswer): DoctorCheck {
  const title = 'response media type';
  const type = answer.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    return check('media-type', title, 'ok', type, 'reads every answer as JSON', {
      details: { contentType: type },
    });
  }
  return /[/+]json$/.test(type)
    ? check('media-type', title, 'differs', type, 'reads it as JSON (the body is JSON)', {
        details: { contentType: type },
      })
    : check(
        'media-type',
        title,
        'failed',
        type === '' ? 'no Content-Type' : type,
        'the client reads JSON only: report this tenant answer',
        { details: { contentType: type } },
      );
}

export function deprecationCheck(answer: ProbeAnswer): DoctorCheck {
  const title = 'Deprecation / Sunset headers';
  const seen = Object.fromEntries(
    Object.entries(answer.headers).filter(
      ([name]) => name === 'deprecation' || name === 'sunset' || name === 'link',
    ),
  );
  if (seen.deprecation === undefined && seen.sunset === undefined) {
    return check('deprecation', title, 'ok', 'none', 'nothing to do');
  }
  return check(
    'deprecation',
    title,
    'differs',
    Object.entries(seen)
      .map(([name, value]) => `${name}: ${value}`)
      .join('; '),
    'the API version the client speaks is announced to go: report this to the project before the Sunset date',
    { details: seen },
  );
}

/** The every-status list the look-ups and sweeps rely on: only a 2xx list counts, never "no users". */
export function allStatusListCheck(answer: ProbeAnswer, listed: Listed[] | undefined): DoctorCheck {
  const title = 'list filtered on every managed status';
  return answer.status >= 200 && answer.status < 300 && listed !== undefined
    ? check(
        'list-all-statuses',
        title,
        'ok',
        `HTTP ${answer.status}, ${listed.length} users`,
        'sweeps and look-ups ask this way',
      )
    : check(
        'list-all-statuses',
        title,
        'failed',
        describeAnswer(answer),
        'sweeps and look-ups by status would fail: report this tenant answer',
      );
}

export function userNameTypeCheck(listed: readonly Listed[]): DoctorCheck {
  const title = 'JSON type of userName';
  const counts: Record<string, number> = {};
  for (const user of listed) {
    const value = user.userName;
    const kind =
      value === null || value === undefined ? 'missing' : typeof value === 'object' ? 'object' : typeof value;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  const summary = Object.entries(counts)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  if (listed.length === 0) {
    return check('username-type', title, 'skipped', 'no users listed', 'run it against a tenant with users');
  }
  return (counts.object ?? 0) > 0 || (counts.number ?? 0) > 0 || (counts.boolean ?? 0) > 0
    ? check(
        'username-type',
        title,
        'differs',
        summary,
        'the client reads a userName that is not a string as absent; runs find people by externalID, not userName',
        { details: counts },
      )
    : check('username-type', title, 'ok', summary || 'none', 'reads it as text', { details: counts });
}

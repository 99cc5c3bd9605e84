/**
 * The read-only checks: authentication, User-Agent, the list envelope and its largest `limit`, the
 * shapes of users in a list page and from `GET /users/{id}`, and the look-ups by externalID. Nothing
 * changes on the tenant.
 */
import { ALL_USER_STATUSES, DEFAULT_PAGE_SIZE } from '../../staffbase/api-choices';
import { statusCondition } from '../../staffbase/filters';
import { isStaffbaseApiError } from '../../staffbase/errors';
import { type DoctorProbe, type ProbeAnswer, describeAnswer, listOf, userPath } from './probe';
import { type DoctorCheck, check } from './report';
import { externalIdChecks } from './lookup-checks';
import { allStatusListCheck, deprecationCheck, mediaTypeCheck, userNameTypeCheck } from './format-checks';
import { shapeChecks, statusCheck, summarizeUsers } from './user-shapes';

const MAX_LIMIT_PROBE = 1000;
const allStatuses = statusCondition(ALL_USER_STATUSES);

export interface ReadFindings {
  checks: DoctorCheck[];
  /** false when the tenant could not be reached or refused the token: nothing else can be checked. */
  reachable: boolean;
  /** Whether `externalId eq` filters are refused (400). */
  externalIdFilterRefused: boolean | undefined;
}

export async function readChecks(probe: DoctorProbe, write: boolean): Promise<ReadFindings> {
  const checks: DoctorCheck[] = [];
  let first: ProbeAnswer;
  try {
    first = await probe.send('GET', '/users', { query: { limit: 1 } });
  } catch (error) {
    const message = isStaffbaseApiError(error) ? error.message : String(error);
    checks.push(
      check(
        'auth',
        'authentication',
        'failed',
        `no answer: ${message}`,
        'check STAFFBASE_BASE_URL (host + /api) and the network',
      ),
    );
    return { checks, reachable: false, externalIdFilterRefused: undefined };
  }
  const html = /html/i.test(first.contentType);
  if (first.status === 403 && html) {
    checks.push(
      check(
        'user-agent',
        'User-Agent accepted',
        'failed',
        `HTTP 403 with an HTML page (a proxy such as Cloudflare) for ${probe.userAgent}`,
        'ask Staffbase to allow this User-Agent; the project always sends it',
      ),
    );
    return { checks, reachable: false, externalIdFilterRefused: undefined };
  }
  if (first.status === 401 || first.status === 403 || first.status < 200 || first.status >= 300) {
    const hint =
      first.status === 401
        ? 'copy the token again from Studio → API access; it is sent as is (already base64)'
        : first.status === 403
          ? 'use an Administrative token: changing users needs one'
          : 'check that STAFFBASE_BASE_URL is the full base URL including /api';
    checks.push(check('auth', 'authentication', 'failed', `GET /users → ${describeAnswer(first)}`, hint));
    return { checks, reachable: false, externalIdFilterRefused: undefined };
  }
  checks.push(
    check(
      'auth',
      'authentication',
      'ok',
      `GET /users → HTTP ${first.status}: the token is accepted as sent`,
      'sends it unchanged as `Authorization: Basic <token>`',
    ),
  );
  // With --write the create check decides the token level.
  if (!write) {
    checks.push(
      check(
        'token-level',
        'token level',
        'skipped',
        'reads work; only a write shows an Administrative token',
        'run the doctor with --write to check it',
      ),
    );
  }
  checks.push(
    check(
      'user-agent',
      'User-Agent accepted',
      'ok',
      `${probe.userAgent} got a JSON answer`,
      'sends it on every request',
    ),
  );
  checks.push(mediaTypeCheck(first));
  checks.push(deprecationCheck(first));
  checks.push(envelopeCheck(first));
  checks.push(await maxLimitCheck(probe));

  const page = await probe.send('GET', '/users', {
    query: { filter: allStatuses, limit: DEFAULT_PAGE_SIZE },
  });
  checks.push(allStatusListCheck(page, listOf(page.json)));
  const listed = listOf(page.json) ?? [];
  checks.push(userNameTypeCheck(listed));
  const shapes = summarizeUsers(listed);
  checks.push(...shapeChecks('list', 'list page', shapes));
  checks.push(statusCheck('list page filtered on every managed status', shapes));

  const sample = listed.find((user) => typeof user.id === 'string');
  if (sample) {
    const single = await probe.send('GET', userPath(String(sample.id)));
    checks.push(
      ...shapeChecks('user', 'GET /users/{id}', summarizeUsers(single.status === 200 ? [single.json] : [])),
    );
  } else if (!write) {
    checks.push(...shapeChecks('user', 'GET /users/{id}', summarizeUsers([])));
  }

  const lookups = await externalIdChecks(probe, listed, write);
  checks.push(...lookups.checks);
  return { checks, reachable: true, externalIdFilterRefused: lookups.refused };
}

function envelopeCheck(answer: ProbeAnswer): DoctorCheck {
  const title = 'list envelope {total, limit, offset, data}';
  if (Array.isArray(answer.json)) {
    return check(
      'list-envelope',
      title,
      'failed',
      'a bare JSON array',
      'the client needs {data: [...]}: report this tenant answer to the project',
    );
  }
  const envelope = answer.json as Record<string, unknown> | undefined;
  if (!envelope || !Array.isArray(envelope.data)) {
    return check(
      'list-envelope',
      title,
      'failed',
      `no data array (${describeAnswer(answer)})`,
      'the client cannot page users: report this tenant answer to the project',
    );
  }
  const missing = ['total', 'limit', 'offset'].filter((key) => typeof envelope[key] !== 'number');
  return missing.length === 0
    ? check(
        'list-envelope',
        title,
        'ok',
        `total ${String(envelope.total)}, limit ${String(envelope.limit)}, offset ${String(envelope.offset)}, data`,
        'pages by offset until total',
      )
    : check(
        'list-envelope',
        title,
        'differs',
        `without ${missing.join(', ')}`,
        'pages go on while they come back full (no total needed)',
      );
}

async function maxLimitCheck(probe: DoctorProbe): Promise<DoctorCheck> {
  const title = `largest page (limit=${MAX_LIMIT_PROBE})`;
  const answer = await probe.send('GET', '/users', { query: { limit: MAX_LIMIT_PROBE } });
  if (answer.status !== 200) {
    return check(
      'list-max-limit',
      title,
      'differs',
      describeAnswer(answer),
      `keep bulk page sizes at the default ${DEFAULT_PAGE_SIZE}`,
    );
  }
  const limit = (answer.json as { limit?: unknown } | undefined)?.limit;
  if (typeof limit === 'number' && limit < MAX_LIMIT_PROBE) {
    return check(
      'list-max-limit',
      title,
      'differs',
      `clamped to ${limit}`,
      'pages advance by the users that came back, so none is skipped',
    );
  }
  return check(
    'list-max-limit',
    title,
    'ok',
    typeof limit === 'number' ? `accepted (${limit})` : 'accepted (limit not echoed)',
    'pages advance by the users that came back',
  );
}

/**
 * Read-only checks of the two documented look-ups by externalID: the `externalId eq` filter (older
 * reference: filterable; current filter page: presence-only) and `GET /users/{externalID}`.
 */
import { ALL_USER_STATUSES, EXTERNAL_ID_FILTER_CONTROL } from '../../staffbase/api-choices';
import { and, equals, externalIdEquals, statusCondition } from '../../staffbase/filters';
import { type DoctorProbe, type Listed, describeAnswer, listOf, userPath } from './probe';
import { type DoctorCheck, check } from './report';

const allStatuses = statusCondition(ALL_USER_STATUSES);
const controlFilter = equals(EXTERNAL_ID_FILTER_CONTROL.attribute, EXTERNAL_ID_FILTER_CONTROL.value);
const LOOKUP_MODE = 'STAFFBASE_LOOKUP_MODE';
const useFilter = { recommends: { variable: LOOKUP_MODE, value: 'filter' } };
const usePath = { recommends: { variable: LOOKUP_MODE, value: 'path' } };

export async function externalIdChecks(
  probe: DoctorProbe,
  listed: Listed[],
  write: boolean,
): Promise<{ checks: DoctorCheck[]; refused: boolean }> {
  const withId = listed.filter((user) => typeof user.externalID === 'string' && user.externalID !== '');
  const sample = withId[0];
  const probeId = sample ? String(sample.externalID) : `doctor-nobody-${Date.now()}`;
  const checks: DoctorCheck[] = [];
  const byFilter = await probe.send('GET', '/users', {
    query: { filter: and(externalIdEquals(probeId), allStatuses), limit: 10 },
  });
  const title = '`externalId eq` filter';
  let refused = byFilter.status === 400;
  if (refused) {
    // As the client does: only an accepted control filter shows that the attribute is what is refused.
    const control = await probe.send('GET', '/users', { query: { filter: controlFilter, limit: 1 } });
    const controlAccepted = control.status >= 200 && control.status < 300;
    refused = controlAccepted;
    checks.push(
      controlAccepted
        ? check(
            'externalid-filter',
            title,
            'differs',
            `refused: ${describeAnswer(byFilter)}; the control filter ${controlFilter} is accepted`,
            'look-ups use GET /users/{externalID} with an exact externalID comparison',
            usePath,
          )
        : check(
            'externalid-filter',
            title,
            'failed',
            `refused, and the control filter ${controlFilter} too (${describeAnswer(control)}): the filter syntax or its encoding is refused`,
            'see the filter-space-encoding check; look-ups by externalID would fail',
          ),
    );
  } else if (byFilter.status !== 200) {
    checks.push(
      check(
        'externalid-filter',
        title,
        'failed',
        describeAnswer(byFilter),
        'look-ups by externalID fail: report this tenant answer to the project',
      ),
    );
  } else if (!sample) {
    checks.push(
      check(
        'externalid-filter',
        title,
        'ok',
        'accepted (no listed user has an externalID to match)',
        write ? 'matching is checked with the throwaway user below' : 'run --write to check matching',
        useFilter,
      ),
    );
  } else {
    const found = (listOf(byFilter.json) ?? []).some((user) => user.externalID === probeId);
    checks.push(
      found
        ? check(
            'externalid-filter',
            title,
            'ok',
            'finds the user with that externalID',
            'look-ups filter on externalID and every status, then compare it exactly',
            useFilter,
          )
        : check(
            'externalid-filter',
            title,
            'failed',
            'accepted, but does not find a listed user by its externalID',
            'look-ups would miss existing accounts: report this tenant answer to the project',
          ),
    );
  }
  if (sample) {
    const byPath = await probe.send('GET', userPath(probeId));
    const same = (byPath.json as Listed | undefined)?.externalID === probeId;
    checks.push(
      byPath.status === 200 && same
        ? check(
            'externalid-path',
            'GET /users/{externalID}',
            'ok',
            'finds the user',
            refused ? 'used for every look-up by externalID' : 'the fallback if the filter is refused',
            refused ? usePath : {},
          )
        : check(
            'externalid-path',
            'GET /users/{externalID}',
            refused ? 'failed' : 'differs',
            describeAnswer(byPath),
            refused
              ? 'neither look-up works: accounts cannot be found by externalID'
              : 'not needed while the filter works',
          ),
    );
  }
  return { checks, refused };
}

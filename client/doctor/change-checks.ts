/**
 * Write checks on the throwaway user that read the result back: whether look-ups see it in a
 * status and whether a PUT changes only what it sends (`profile` merge or replace: placement-checks.ts).
 */
import { withExternalIdLookupDecided } from '../../staffbase/external-id-lookup';
import { ALL_USER_STATUSES } from '../../staffbase/api-choices';
import { and, externalIdEquals, statusCondition } from '../../staffbase/filters';
import { type DoctorProbe, describeAnswer, userPath } from './probe';
import { type DoctorCheck, check } from './report';
import { type WriteContext } from './write-checks';

/** Whether the externalID filter (with every status) lists a user in this status. */
export async function statusLookupCheck(
  context: WriteContext,
  externalID: string,
  status: 'pending' | 'deactivated',
  userId: string,
): Promise<DoctorCheck> {
  const id = `externalid-${status}`;
  const title = `look-up by externalID includes ${status} users`;
  if (context.externalIdFilterRefused) {
    const viaPath = await withExternalIdLookupDecided(() => context.client.findUserByExternalId(externalID));
    return viaPath?.id === userId
      ? check(
          id,
          title,
          'ok',
          'GET /users/{externalID} finds it (the filter is refused)',
          'look-ups use GET /users/{externalID}',
        )
      : check(
          id,
          title,
          'failed',
          'GET /users/{externalID} does not find it',
          'accounts in this status cannot be found',
        );
  }
  const answer = await context.probe.send('GET', '/users', {
    query: { filter: and(externalIdEquals(externalID), statusCondition(ALL_USER_STATUSES)), limit: 10 },
  });
  const data = (answer.json as { data?: { id?: unknown }[] } | undefined)?.data ?? [];
  return answer.status === 200 && data.some((user) => user.id === userId)
    ? check(id, title, 'ok', 'the filter with every status lists it', 'look-ups always ask for every status')
    : check(
        id,
        title,
        'failed',
        `not listed (${describeAnswer(answer)})`,
        'look-ups would miss such accounts and try to create them again',
      );
}

export async function partialUpdateCheck(probe: DoctorProbe, userId: string): Promise<DoctorCheck> {
  const title = 'partial update keeps the fields not sent';
  const put = await probe.send('PUT', userPath(userId), { body: { firstName: 'Doctor2' } });
  const read = await probe.send('GET', userPath(userId));
  const user = read.json as { firstName?: unknown; lastName?: unknown } | undefined;
  if (put.status < 200 || put.status >= 300)
    return check(
      'partial-update',
      title,
      'failed',
      `PUT → ${describeAnswer(put)}`,
      'changes cannot be applied',
    );
  return user?.firstName === 'Doctor2' && user.lastName === 'Check'
    ? check(
        'partial-update',
        title,
        'ok',
        `PUT → HTTP ${put.status}; only firstName changed`,
        'sends only the fields that change',
      )
    : check(
        'partial-update',
        title,
        'failed',
        `after PUT {firstName}: firstName ${String(user?.firstName)}, lastName ${String(user?.lastName)}`,
        'a PUT replaces the user: changes would wipe fields, report this',
      );
}
